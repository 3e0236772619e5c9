from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from deputies import selectors
from deputies.models import Congress, Membership
from liaison.access import get_visible_or_404, user_is_staff


@login_required
def portal(request):
    """The deputy's home: seats, this year's points and rank, latest duty records."""
    deputy = getattr(request.user, "deputy", None)
    if deputy is None:
        raise Http404
    year = timezone.localdate().year
    summary = selectors.deputy_points_summary(deputy=deputy, year=year)
    records = selectors.duty_records_with_points(user=request.user, year=year)[:20]
    return render(
        request, "deputies/portal.html", {"deputy": deputy, "summary": summary, "records": records, "year": year}
    )


@login_required
def roster(request):
    if not user_is_staff(request.user):
        raise Http404
    filters = {
        "congress": request.GET.get("congress") or None,
        "status": request.GET.get("status") or None,
        "q": request.GET.get("q", "").strip() or None,
    }
    page = Paginator(selectors.membership_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    congresses = Congress.objects.visible_to(request.user).select_related("region")
    return render(
        request,
        "deputies/roster.html",
        {"page": page, "congresses": congresses, "filters": filters, "statuses": Membership.Status.choices},
    )


@login_required
def ranking(request, congress_id):
    if not user_is_staff(request.user):
        raise Http404
    congress = get_visible_or_404(Congress.objects, request.user, pk=congress_id)
    year = int(request.GET.get("year") or timezone.localdate().year)
    rows = selectors.points_ranking(user=request.user, congress=congress, year=year)
    return render(request, "deputies/ranking.html", {"congress": congress, "rows": rows, "year": year})
