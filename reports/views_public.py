"""Public pages (数字人大): no login, read-only, only public fields. The figures come from the same selectors as
the staff dashboard; each page's data is cached for a few minutes (the HTML itself carries a CSRF token, so the
data, not the response, is what is cached)."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from deputies import selectors as deputy_selectors
from deputies.models import Level
from liaison.models import Region
from proposals import selectors as proposal_selectors
from reports.figures import selectors
from stations import selectors as station_selectors

PUBLIC_CACHE_SECONDS = 300


def _cached(key, compute):
    return cache.get_or_set(f"public:v1:{key}", compute, PUBLIC_CACHE_SECONDS)


def _regions():
    return _cached(
        "regions",
        lambda: list(Region.objects.filter(level__lte=Region.Level.COUNTY).only("id", "name", "level", "path")),
    )


def index(request):
    region = selectors.public_region(request.GET.get("region"))
    key = region.pk if region else 0
    summary = _cached(f"index:{key}", lambda: selectors.public_summary(region))
    stories = _cached(f"stories-latest:{key}", lambda: list(deputy_selectors.public_stories(region=region)[:3]))
    return render(
        request,
        "public/index.html",
        {"title": _("数字人大"), "summary": summary, "region": region, "regions": _regions(), "stories": stories},
    )


def deputy_list(request):
    region = selectors.public_region(request.GET.get("region"))
    level = request.GET.get("level") or ""
    level = int(level) if level.isdigit() and int(level) in Level.values else None
    q = (request.GET.get("q") or "").strip()[:20]
    number = request.GET.get("page") or "1"
    key = f"deputies:{region.pk if region else 0}:{level}:{q}:{number}"

    def compute():
        page = Paginator(deputy_selectors.public_memberships(region=region, level=level, q=q or None), 30).get_page(
            number
        )
        return {"rows": list(page.object_list), "number": page.number, "count": page.paginator.count}

    data = _cached(key, compute)
    page = Paginator(range(data["count"]), 30).get_page(data["number"])  # counts and links only
    return render(
        request,
        "public/deputy_list.html",
        {
            "title": _("代表名录"),
            "rows": data["rows"],
            "page": page,
            "region": region,
            "regions": _regions(),
            "levels": Level.choices,
            "level": level,
            "q": q,
        },
    )


def _deputy_page_data(pk):
    """What the public deputy page shows: seats, stories, stations, the duty file and the proposals led."""
    seats = list(deputy_selectors.public_memberships().filter(deputy_id=pk))
    if not seats:
        return {"seats": []}
    return {
        "seats": seats,
        "stories": list(deputy_selectors.public_stories().filter(deputy_id=pk)[:10]),
        "stations": list(station_selectors.public_stations_of_deputy(deputy_id=pk)),
        "duty_file": deputy_selectors.public_duty_file(deputy_id=pk),
        "proposals": proposal_selectors.public_led_proposals(deputy_id=pk),
    }


def _render_deputy_page(request, data, *, preview=False):
    deputy = data["seats"][0].deputy
    return render(
        request,
        "public/deputy_profile.html",
        {
            "title": deputy.name,
            "deputy": deputy,
            "seats": data["seats"],
            "stories": data["stories"],
            "stations": data["stations"],
            "duty_file": deputy_selectors.duty_file_labelled(data["duty_file"]),
            "proposals": proposal_selectors.labelled_public_proposals(data["proposals"]),
            "preview": preview,
        },
    )


def deputy_page_key(pk):
    return f"public:v1:deputy:v2:{int(pk)}"


def deputy_profile(request, pk):
    data = cache.get_or_set(deputy_page_key(pk), lambda: _deputy_page_data(pk), PUBLIC_CACHE_SECONDS)
    if not data["seats"]:
        raise Http404(_("记录不存在或无权查看。"))
    return _render_deputy_page(request, data)


@login_required
def deputy_file_preview(request):
    """The signed-in deputy sees their own public page as it stands now (not from the public pages' cache)."""
    deputy = getattr(request.user, "deputy", None) if request.user.role == request.user.Role.DEPUTY else None
    data = _deputy_page_data(deputy.pk) if deputy is not None else {"seats": []}
    if not data["seats"]:
        raise Http404(_("记录不存在或无权查看。"))
    return _render_deputy_page(request, data, preview=True)


def story_list(request):
    region = selectors.public_region(request.GET.get("region"))
    number = request.GET.get("page") or "1"

    def compute():
        page = Paginator(deputy_selectors.public_stories(region=region), 20).get_page(number)
        return {"rows": list(page.object_list), "number": page.number, "count": page.paginator.count}

    data = _cached(f"stories:{region.pk if region else 0}:{number}", compute)
    page = Paginator(range(data["count"]), 20).get_page(data["number"])
    return render(request, "public/story_list.html", {"title": _("代表风采"), "rows": data["rows"], "page": page})


def story_detail(request, pk):
    story = _cached(f"story:{int(pk)}", lambda: deputy_selectors.public_stories().filter(pk=pk).first())
    if story is None:
        raise Http404(_("记录不存在或无权查看。"))
    return render(request, "public/story_detail.html", {"title": story.title, "story": story})
