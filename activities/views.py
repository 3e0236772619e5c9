"""Pages: staff plan and run activities; deputies answer invitations and sign in on a phone by the QR code."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import selectors, services
from activities.forms import (
    ActivityPlanForm,
    AttendanceRecordForm,
    CancelForm,
    FileForm,
    MinutesForm,
    OutcomeForm,
    RespondForm,
)
from activities.models import Activity, ActivityFile, Invitation
from liaison import qr
from liaison.access import Role, get_visible_or_404, user_is_staff
from liaison.errors import ApplicationError

PAGE_SIZE = 30


def _staff_only(request):
    if not user_is_staff(request.user):
        raise Http404


def _deputy_only(request):
    if request.user.role != Role.DEPUTY:
        raise Http404


def _form_errors(form, error):
    """Put a service's refusal beside the field it names, or on top of the form."""
    fields = (error.extra or {}).get("fields") or {}
    placed = False
    for name, problems in fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def sign_in_url(request, activity):
    path = reverse("activities:sign_in", args=[activity.pk])
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    return f"{base.rstrip('/')}{path}" if base else request.build_absolute_uri(path)


# Staff ---------------------------------------------------------------------------------------------------------


@login_required
def activity_list(request):
    _staff_only(request)
    filters = selectors.activity_filters(request.GET)
    page = Paginator(selectors.activity_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/activity_list.html",
        {"page": page, "statuses": Activity.Status.choices, "kinds": Activity.Kind.choices},
    )


@login_required
def activity_plan(request):
    _staff_only(request)
    form = ActivityPlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_plan(
                actor=request.user,
                congress=data["congress"],
                kind=data["kind"],
                title=data["title"],
                place=data["place"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                agenda=data["agenda"],
                group=data["group"],
                invite_by=data["invite_by"],
                memberships=list(data["memberships"]),
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("活动已计划，邀请已发送给 %(n)s 名代表。") % {"n": activity.invitations.count()}
            )
            return redirect(activity.get_absolute_url())
    return render(request, "activities/activity_plan.html", {"form": form})


@login_required
def activity_detail(request, pk):
    _staff_only(request)
    activity = selectors.activity_detail(user=request.user, pk=pk)
    invitees = list(selectors.activity_invitees(activity=activity))
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "invitees": invitees,
            "attended": sum(1 for row in invitees if row.membership.attendance),
            "attendance_form": AttendanceRecordForm(user=request.user, activity=activity),
            "cancel_form": CancelForm(),
            "history": activity.status_changes.select_related("actor"),
            "recordable": activity.status in services.RECORDABLE,
            "minutes_form": MinutesForm(initial={"minutes": activity.minutes}),
            "file_form": FileForm(),
            "outcome_form": OutcomeForm(user=request.user, activity=activity),
            "files": activity.files.all(),
            "outcomes": activity.outcomes.select_related("proposal"),
            "sign_in_url": sign_in_url(request, activity),
        },
    )


ACTIONS = {
    "held": (services.activity_mark_held, _("活动已标记为已举行。")),
    "close": (services.activity_close, _("活动已结束，签到代表的履职记录已生成。")),
}


@login_required
@require_POST
def activity_action(request, pk, action):
    _staff_only(request)
    activity = get_visible_or_404(Activity.objects, request.user, pk=pk)
    try:
        if action == "cancel":
            reason = request.POST.get("reason", "")[:200]
            services.activity_cancel(actor=request.user, activity=activity, reason=reason)
            done = _("活动已取消。")
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(actor=request.user, activity=activity)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def attendance_record(request, pk):
    _staff_only(request)
    activity = get_visible_or_404(Activity.objects, request.user, pk=pk)
    form = AttendanceRecordForm(request.POST, user=request.user, activity=activity)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect(activity.get_absolute_url())
    membership = form.cleaned_data["membership"]
    try:
        _attendance, created = services.attendance_record(actor=request.user, activity=activity, membership=membership)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(request, _("已登记签到：%(name)s") % {"name": membership.deputy.name})
        else:
            messages.info(request, _("%(name)s 已签到，无需重复登记。") % {"name": membership.deputy.name})
    return redirect(activity.get_absolute_url())


def _form_messages(request, form):
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, problem)


@login_required
@require_POST
def activity_minutes(request, pk):
    _staff_only(request)
    activity = get_visible_or_404(Activity.objects, request.user, pk=pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect(activity.get_absolute_url())
    try:
        services.activity_minutes_record(actor=request.user, activity=activity, minutes=form.cleaned_data["minutes"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("活动纪要已保存。"))
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def activity_file_add(request, pk):
    _staff_only(request)
    activity = get_visible_or_404(Activity.objects, request.user, pk=pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect(activity.get_absolute_url())
    try:
        services.activity_file_add(
            actor=request.user, activity=activity, file=form.cleaned_data["file"], title=form.cleaned_data["title"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect(activity.get_absolute_url())


@login_required
def activity_file(request, pk):
    """A file of an activity the caller may see (staff of the region)."""
    row = get_visible_or_404(ActivityFile.objects, request.user, pk=pk)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.file.name.rsplit("/")[-1])


@login_required
@require_POST
def activity_outcome_add(request, pk):
    _staff_only(request)
    activity = get_visible_or_404(Activity.objects, request.user, pk=pk)
    form = OutcomeForm(request.POST, user=request.user, activity=activity)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect(activity.get_absolute_url())
    try:
        services.activity_outcome_add(actor=request.user, activity=activity, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("活动成果已登记。"))
    return redirect(activity.get_absolute_url())


@login_required
def activity_qr(request, pk, fmt):
    """The sign-in QR code to show at the activity (a deputy scans it with the phone)."""
    _staff_only(request)
    if fmt not in ("png", "svg", "pdf"):
        raise Http404
    activity = get_visible_or_404(Activity.objects.select_related("congress"), request.user, pk=pk)
    url = sign_in_url(request, activity)
    if fmt == "svg":
        return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    if fmt == "pdf":
        starts = timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")
        pdf = qr.poster_pdf(
            title=activity.title,
            subtitle=_("代表活动签到 · 请用手机扫码签到"),
            lines=[
                activity.get_kind_display(),
                _("时间：%(at)s") % {"at": starts},
                _("地点：%(place)s") % {"place": activity.place},
            ],
            url=url,
            footer=_("登录平台后签到，活动开始前 1 小时起可签到"),
        )
        return HttpResponse(pdf, content_type="application/pdf")
    return HttpResponse(qr.qr_png(url), content_type="image/png")


# Deputies ------------------------------------------------------------------------------------------------------


@login_required
def my_activities(request):
    _deputy_only(request)
    awaiting = request.GET.get("response") == Invitation.Response.PENDING
    invitations = selectors.my_invitations(user=request.user, awaiting=awaiting)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/my_activities.html", {"page": page, "now": timezone.now(), "awaiting": awaiting})


@login_required
@require_POST
def invitation_respond(request, pk):
    _deputy_only(request)
    invitation = get_visible_or_404(Invitation.objects, request.user, pk=pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择参加或请假。"))
        return redirect("activities:mine")
    try:
        services.invitation_respond(
            actor=request.user,
            invitation=invitation,
            response=form.cleaned_data["response"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已答复。"))
    return redirect("activities:mine")


@login_required
def sign_in(request, pk):
    """The page the activity's QR code opens: GET shows the activity and a 签到 button, POST signs in."""
    _deputy_only(request)
    activity = get_visible_or_404(Activity.objects.select_related("congress"), request.user, pk=pk)
    attendance = activity.attendances.filter(membership__deputy__user=request.user).first()
    if request.method == "POST":
        try:
            attendance, created = services.attendance_sign_in(actor=request.user, activity=activity)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if created:
                messages.success(request, _("签到成功。"))
            else:
                messages.info(request, _("您已签到，无需重复签到。"))
        return redirect("activities:sign_in", pk=activity.pk)
    now = timezone.now()
    return render(
        request,
        "activities/sign_in.html",
        {
            "activity": activity,
            "attendance": attendance,
            "window_open": activity.status in (Activity.Status.PLANNED, Activity.Status.HELD)
            and activity.sign_in_opens_at <= now <= activity.ends_at,
        },
    )
