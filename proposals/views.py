"""Pages of the proposals app: the deputy portal, the unit workbench and the staff desks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from deputies.models import Congress, Deputy
from liaison.access import get_visible_or_404, in_region, user_is_staff
from liaison.audit import audit
from liaison.converters import parse_date, parse_id
from liaison.errors import ApplicationError
from liaison.jinja2 import render_partial
from liaison.listing import RowsPaginator, keyset_paginate
from liaison.models import Organization, Region, User
from liaison.reauth import require_recent_password
from proposals import selectors, services
from proposals.actions import PAGE_ACTIONS
from proposals.forms import ContactForm, DraftForm, RateForm, ReplyForm
from proposals.models import AFTER_CONTACT_STATUSES, AssignmentMeeting, Proposal

S = Proposal.Status


def _staff_only(request):
    if not user_is_staff(request.user):
        raise Http404


def _page(request, qs, size=50):
    return Paginator(qs, size).get_page(request.GET.get("page"))


@login_required
def proposal_list(request):
    """Deputy: my proposals and co-sign requests. Unit: the workbench. Staff: every proposal, filterable."""
    user = request.user
    if user.role == User.Role.UNIT:
        return redirect("proposals:workbench")
    status = request.GET.get("status") or None
    q = request.GET.get("q", "").strip() or None
    page = keyset_paginate(
        request,
        selectors.proposal_rows(user=user, status=status, q=q),
        keys=selectors.LIST_KEYS,
        per_page=50,
    )
    context = {
        "page": page,
        "rows_html": _rows_html(page),
        "keyset": True,
        "statuses": S.choices,
        "status": status,
        "q": q or "",
        "title": _("代表建议"),
    }
    if user.role == User.Role.DEPUTY:
        context["title"] = _("我的建议")
        context["cosign_requests"] = selectors.cosign_requests(user=user)
    return render(request, "proposals/list.html", context)


def _rows_html(page, show_promise=False):
    """The table rows of a page of ``selectors.proposal_rows``; the page keeps the rows, now with their units."""
    page.object_list = selectors.with_units(page.object_list)
    return proposal_rows_html(page.object_list, show_promise=show_promise)


def proposal_rows_html(rows, *, show_promise=False):
    """The ``<tr>`` elements of ``rows`` (``selectors.proposal_rows`` with their units) for ``<tbody>``."""
    return render_partial("proposals/_rows.jinja", {"rows": rows, "show_promise": show_promise})


def assignment_rows_html(rows, *, today):
    """The ``<tr>`` elements of assignment rows (``selectors.assignment_rows``), flagged by deadline."""
    return render_partial(
        "proposals/_assignment_rows.jinja", {"rows": rows, "today": today, "deadline_flag": selectors.deadline_flag}
    )


def _list_page(request, title, qs, template="proposals/list.html", **extra):
    _staff_only(request)
    page = _page(request, selectors.as_rows(qs))
    context = {"page": page, "rows_html": _rows_html(page, extra.get("show_promise", False)), "title": title}
    return render(request, template, {**context, "hide_filters": True, **extra})


@login_required
def review_queue(request):
    """Submitted proposals waiting for review, each with its likely duplicates."""
    _staff_only(request)
    page = _page(request, selectors.proposal_list(user=request.user, status=S.SUBMITTED))
    hints = selectors.duplicate_hints(user=request.user, proposals=list(page.object_list))
    rows = [(proposal, hints.get(proposal.pk, [])) for proposal in page.object_list]
    return render(request, "proposals/review.html", {"page": page, "rows": rows})


@login_required
def key_supervision_list(request):
    return _list_page(request, _("重点督办建议"), selectors.proposal_list(user=request.user, key_supervised=True))


@login_required
def ledger(request):
    return _list_page(request, _("B类跟踪督办台账"), selectors.b_class_promises(user=request.user), show_promise=True)


@login_required
def unrated(request):
    """Staff: replies the deputies have not rated yet, with days waiting and survey reminders sent."""
    _staff_only(request)
    from proposals.reminders import unrated_replies

    today = timezone.localdate()
    page = _page(request, unrated_replies(user=request.user))
    for reply in page.object_list:
        reply.days_waiting = (today - reply.replied_on).days
    return render(request, "proposals/unrated.html", {"page": page, "title": _("待评价答复"), "today": today})


@login_required
def overdue(request):
    _staff_only(request)
    return _assignments_page(request, selectors.overdue_assignments(user=request.user), _("逾期未答复"))


def _assignments_page(request, assignments, title):
    """``proposals/assignments.html`` for a page of ``assignments`` as rows (``selectors.assignment_rows``), each
    flagged by deadline; the page counts the assignments without the joins its rows read."""
    rows = selectors.assignment_rows(assignments)
    page = RowsPaginator(rows, 50, count_queryset=assignments).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "proposals/assignments.html",
        {"page": page, "rows_html": assignment_rows_html(page.object_list, today=timezone.localdate()), "title": title},
    )


@login_required
def workbench(request):
    """The handling unit's assignments, soonest deadline first; due-soon and overdue marked."""
    if request.user.role != User.Role.UNIT:
        raise Http404
    return _assignments_page(request, selectors.unit_assignments(user=request.user), _("本单位承办建议"))


@login_required
def draft_new(request):
    deputy = getattr(request.user, "deputy", None) if request.user.role == User.Role.DEPUTY else None
    if deputy is None:
        raise Http404
    congresses = Congress.objects.filter(memberships__deputy=deputy, memberships__status="in_office")
    form = DraftForm(request.POST or None, congresses=congresses, initial={"congress": congresses.first()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        proposal = services.proposal_create_draft(actor=request.user, lead_deputy=deputy, **data)
        messages.success(request, _("草稿已保存。"))
        return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "title": _("起草建议")})


@login_required
def draft_edit(request, pk):
    proposal = get_visible_or_404(Proposal.objects, request.user, pk=pk)
    deputy = proposal.lead_deputy
    congresses = Congress.objects.filter(pk=proposal.congress_id)
    initial = {f: getattr(proposal, f) for f in ("kind", "session", "category", "title", "content")}
    form = DraftForm(request.POST or None, congresses=congresses, initial={**initial, "congress": proposal.congress})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.proposal_update_draft(
            actor=request.user,
            proposal=proposal,
            title=data["title"],
            content=data["content"],
            category=data["category"],
            kind=data["kind"],
            session=data["session"],
        )
        messages.success(request, _("草稿已保存。"))
        return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "title": _("修改建议"), "deputy": deputy})


@login_required
def detail(request, pk):
    """The full history of one proposal and the actions the caller may take now."""
    proposal = selectors.proposal_detail(user=request.user, pk=pk).first()
    if proposal is None:
        get_visible_or_404(Proposal.objects, request.user, pk=pk)
    user = request.user
    context = {
        "proposal": proposal,
        "timeline": selectors.proposal_timeline(proposal=proposal),
        "is_staff": user_is_staff(user),
        "is_lead_deputy": proposal.lead_deputy.user_id == user.pk,
        "contact_form": ContactForm(initial={"contacted_on": timezone.localdate()}),
        "reply_form": ReplyForm(),
        "rate_form": RateForm(),
        "handling": proposal.status in (S.ASSIGNED, S.REHANDLING),
        # 办后: the lead unit collects the deputy's feedback after the reply, until 办结
        "after_contact_open": proposal.status in AFTER_CONTACT_STATUSES,
        "after_contact_form": ContactForm(initial={"stage": "after", "contacted_on": timezone.localdate()}),
    }
    if user.role == User.Role.UNIT:
        context["my_assignment"] = next((a for a in proposal.unit_list if a.unit_id == user.organization_id), None)
    if user.role == User.Role.DEPUTY:
        context["my_cosign"] = next((c for c in proposal.cosigners.all() if c.deputy.user_id == user.pk), None)
        context["cosigner_choices"] = (
            Deputy.objects.filter(memberships__congress=proposal.congress, memberships__status="in_office")
            .exclude(pk=proposal.lead_deputy_id)
            .order_by("name")
        )
    if context["is_staff"]:
        if proposal.status == S.SUBMITTED:
            context["similar"] = selectors.similar_proposals(user=user, proposal=proposal)
        context["units"] = Organization.objects.visible_to(user).filter(
            kind=Organization.Kind.HANDLING_UNIT, region=proposal.region
        )
    return render(request, "proposals/detail.html", context)


@login_required
@require_POST
def act(request, pk, action):
    proposal = get_visible_or_404(Proposal.objects, request.user, pk=pk)
    entry = PAGE_ACTIONS.get(action)
    if entry is None:
        raise Http404
    try:
        entry.run(actor=request.user, proposal=proposal, **entry.page_kwargs(request, proposal))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, entry.done or _("操作已完成。"))
    return redirect(proposal)


@login_required
def assign_batch(request):
    """交办会: each accepted proposal gets a lead unit and optional co-units; one submit assigns them all."""
    _staff_only(request)
    accepted = list(selectors.proposal_list(user=request.user, status=S.ACCEPTED)[:200])
    units = (
        Organization.objects.visible_to(request.user)
        .filter(kind=Organization.Kind.HANDLING_UNIT)
        .select_related("region")
    )
    if request.method == "POST":
        by_pk = {str(u.pk): u for u in units}
        items = []
        for proposal in accepted:
            lead = by_pk.get(request.POST.get(f"lead_{proposal.pk}", ""))
            if lead is not None:
                co = [by_pk[pk] for pk in request.POST.getlist(f"co_{proposal.pk}") if pk in by_pk]
                items.append((proposal, lead, co))
        if not items:
            messages.error(request, _("请至少为一件建议选择主办单位。"))
        else:
            try:
                services.assignment_meeting_hold(
                    actor=request.user,
                    region=request.user.region,
                    title=request.POST.get("title") or _("代表建议交办会"),
                    held_on=parse_date(request.POST.get("held_on"), "held_on") or timezone.localdate(),
                    items=items,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, ngettext("已交办 %(n)d 件建议。", "已交办 %(n)d 件建议。", len(items)) % {"n": len(items)}
                )
                return redirect("proposals:assign")
    meetings = (
        AssignmentMeeting.objects.filter(in_region("region", request.user.region))[:5] if request.user.region_id else []
    )
    return render(
        request,
        "proposals/assign.html",
        {"accepted": accepted, "units": units, "today": timezone.localdate(), "meetings": meetings},
    )


def _figure_filters(request):
    params = request.GET
    congress = parse_id(params.get("congress"), "congress")
    unit = parse_id(params.get("unit"), "unit")
    region = parse_id(params.get("region"), "region")
    return {
        "region": get_visible_or_404(Region.objects, request.user, pk=region) if region else None,
        "congress": get_visible_or_404(Congress.objects, request.user, pk=congress) if congress else None,
        "session": params.get("session") or None,
        "unit": get_visible_or_404(Organization.objects, request.user, pk=unit) if unit else None,
        "date_from": parse_date(params.get("date_from"), "date_from"),
        "date_to": parse_date(params.get("date_to"), "date_to"),
    }


@login_required
def figures(request):
    _staff_only(request)
    return render(
        request,
        "proposals/figures.html",
        {
            "figures": selectors.figures(request.user, **_figure_filters(request)),
            "regions": Region.objects.visible_to(request.user).filter(level__lte=Region.Level.TOWNSHIP),
            "sessions": selectors.figure_sessions(request.user),
            "congresses": Congress.objects.visible_to(request.user),
            "units": Organization.objects.visible_to(request.user).filter(kind=Organization.Kind.HANDLING_UNIT),
            "params": request.GET,
        },
    )


@login_required
@require_recent_password(when=lambda request: user_is_staff(request.user))
def export_ledger(request):
    """The 台账 as .xlsx: every proposal in the caller's scope with units, class, rating and status."""
    _staff_only(request)
    from proposals.resources import ledger_workbook

    ledger = selectors.staff_ledger(user=request.user, filters=request.GET)
    content = ledger_workbook(ledger)
    audit(
        request.user,
        "proposal.export",
        request=request,
        object_type="proposals.proposal",
        # the ledger was iterated to build the workbook: len() reads its cache, no second query
        data={
            "rows": len(ledger),
            "filters": {"status": request.GET.get("status", "")},
            "search": bool(request.GET.get("q")),
        },
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="proposals-ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
