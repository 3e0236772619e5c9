"""Pages of joint supervision (联合督办): the staff desk (open an item for a committee, pick proposals, log visits,
end it, export the ledger) and the committee's own view of its items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liaison.access import get_visible_or_404, user_is_staff
from liaison.audit import audit
from liaison.errors import ApplicationError
from liaison.reauth import require_recent_password
from proposals import selectors, services
from proposals.models import JointSupervision


def _staff_or_committee(request):
    if not (user_is_staff(request.user) or selectors.is_committee_user(request.user)):
        raise Http404(_("记录不存在或无权查看。"))


def _staff_only(request):
    if not user_is_staff(request.user):
        raise Http404(_("记录不存在或无权查看。"))


@login_required
def supervision_list(request):
    """Staff: every joint supervision of their region's committees. A committee's users: their own items."""
    _staff_or_committee(request)
    status = request.GET.get("status") or None
    if status not in JointSupervision.Status.values:
        status = None
    qs = selectors.joint_supervision_list(user=request.user, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/supervision_list.html",
        {
            "title": _("联合督办"),
            "page": page,
            "status": status or "",
            "statuses": JointSupervision.Status.choices,
            "is_staff": user_is_staff(request.user),
        },
    )


@login_required
def supervision_new(request):
    """Staff open an item: a special committee, a theme, its focus, and the proposals it follows."""
    _staff_only(request)
    committees = selectors.special_committees(user=request.user)
    q = request.GET.get("q", "").strip()
    form = {"committee": "", "title": "", "focus": "", "proposals": []}
    if request.method == "POST":
        form = {
            "committee": request.POST.get("committee", ""),
            "title": request.POST.get("title", ""),
            "focus": request.POST.get("focus", ""),
            "proposals": request.POST.getlist("proposals"),
        }
        try:
            committee = committees.filter(pk=int(form["committee"] or 0)).first()
            if committee is None:
                raise ApplicationError(_("请选择牵头的专门委员会。"), code="committee_required")
            ids = [int(pk) for pk in form["proposals"] if pk.isdigit()]
            proposals = selectors.chosen_proposals(user=request.user, ids=ids)
            supervision = services.joint_supervision_create(
                actor=request.user,
                committee=committee,
                title=form["title"],
                focus=form["focus"],
                proposals=proposals,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("联合督办已创建。"))
            return redirect(supervision)
    return render(
        request,
        "proposals/supervision_form.html",
        {
            "title": _("新建联合督办"),
            "committees": committees,
            "candidates": selectors.joint_supervision_candidates(user=request.user, q=q or None),
            "q": q,
            "form": form,
        },
    )


@login_required
def supervision_detail(request, pk):
    """One item: its proposals with their state, units and replies, its visits, and the forms the caller may use."""
    supervision = selectors.joint_supervision_detail(user=request.user, pk=pk).first()
    if supervision is None:
        get_visible_or_404(JointSupervision.objects, request.user, pk=pk)
    return render(
        request,
        "proposals/supervision_detail.html",
        {
            "title": supervision.title,
            "supervision": supervision,
            "is_staff": user_is_staff(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def supervision_add(request, pk):
    """Staff add proposals to an open item: the creation form's search and checklist, without those it follows."""
    _staff_only(request)
    supervision = get_visible_or_404(JointSupervision.objects.select_related("committee__region"), request.user, pk=pk)
    if not supervision.is_open:
        messages.error(request, _("联合督办已结束，不能再添加建议。"))
        return redirect(supervision)
    chosen = request.POST.getlist("proposals") if request.method == "POST" else []
    if request.method == "POST":
        proposals = selectors.chosen_proposals(user=request.user, ids=[int(v) for v in chosen if v.isdigit()])
        try:
            added = services.joint_supervision_add_proposals(
                actor=request.user, supervision=supervision, proposals=proposals
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if added:
                messages.success(
                    request, ngettext("已添加 %(n)d 件建议。", "已添加 %(n)d 件建议。", len(added)) % {"n": len(added)}
                )
            else:
                messages.info(request, _("所选建议已在本项联合督办中。"))
            return redirect(supervision)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "proposals/supervision_add.html",
        {
            "title": _("添加督办建议"),
            "supervision": supervision,
            "candidates": selectors.joint_supervision_candidates(
                user=request.user, q=q or None, supervision=supervision
            ),
            "q": q,
            "form": {"proposals": chosen},
        },
    )


@login_required
@require_POST
def supervision_visit(request, pk):
    supervision = get_visible_or_404(JointSupervision.objects, request.user, pk=pk)
    visited_on = parse_date(request.POST.get("visited_on", "") or "")
    try:
        if visited_on is None:
            raise ApplicationError(_("请填写正确的日期。"), code="date_invalid")
        services.site_visit_record(
            actor=request.user,
            supervision=supervision,
            visited_on=visited_on,
            place=request.POST.get("place", ""),
            participants=request.POST.get("participants", ""),
            summary=request.POST.get("summary", ""),
            findings=request.POST.get("findings", ""),
            follow_ups=request.POST.get("follow_ups", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("现场督办记录已保存。"))
    return redirect(supervision)


@login_required
@require_POST
def supervision_close(request, pk):
    _staff_only(request)
    supervision = get_visible_or_404(JointSupervision.objects, request.user, pk=pk)
    try:
        services.joint_supervision_close(
            actor=request.user, supervision=supervision, conclusion=request.POST.get("conclusion", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("联合督办已结束。"))
    return redirect(supervision)


@login_required
@require_recent_password(when=lambda request: user_is_staff(request.user))
def supervision_export(request):
    """The joint-supervision ledger (联合督办台账) as .xlsx: one row per supervised proposal, with the latest
    reply and the item's visits."""
    _staff_or_committee(request)
    from proposals.resources import joint_supervision_workbook

    rows = selectors.joint_supervision_detail(user=request.user)
    content = joint_supervision_workbook(rows)
    audit(
        request.user,
        "proposal.joint_supervision_export",
        request=request,
        object_type="proposals.jointsupervision",
        data={"rows": len(rows)},
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"joint-supervision-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
