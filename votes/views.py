"""Pages: staff run sessions; deputies vote on a phone-sized page; the public sees results and project progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deputies.models import Membership
from liaison.access import get_visible_or_404, in_region, user_is_staff
from liaison.converters import YEAR_MAX, YEAR_MIN, parse_int
from liaison.errors import ApplicationError
from liaison.models import Organization, User
from liaison.reauth import password_reentry_redirect
from votes import selectors, services
from votes.forms import BallotForm, CandidateForm, InspectionForm, ProgressReportForm, RatingForm
from votes.models import ListItem, Project, VoteSession


def _staff_only(request):
    if not user_is_staff(request.user):
        raise Http404


# Staff ---------------------------------------------------------------------------------------------------------


@login_required
def session_list(request):
    _staff_only(request)
    page = Paginator(selectors.session_list(user=request.user, status=request.GET.get("status")), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "votes/session_list.html", {"page": page, "statuses": VoteSession.Status.choices})


@login_required
def session_detail(request, pk):
    _staff_only(request)
    session = get_visible_or_404(VoteSession.objects.select_related("congress", "parent"), request.user, pk=pk)
    candidates = session.candidates.select_related("department").order_by("position", "id")
    form = None
    if session.status == VoteSession.Status.DRAFT and session.candidates_locked_at is None:
        path = session.congress.region.path
        ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        departments = Organization.objects.filter(
            in_region("region", session.congress.region) | Q(region__path__in=ancestors)
        )
        form = CandidateForm(request.POST or None, departments=departments)
        if request.method == "POST" and form.is_valid():
            try:
                services.candidate_add(actor=request.user, session=session, **form.cleaned_data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已添加候选项目。"))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "votes/session_detail.html",
        {
            "session": session,
            "candidates": candidates,
            "form": form,
            "counts": selectors.session_counts(session=session),
            "revote": session.revotes.first(),
        },
    )


SESSION_ACTIONS = {
    "lock": (services.session_lock_candidates, _("候选项目清单已锁定。")),
    "open": (services.session_open, _("已开始投票。")),
    "close": (services.session_close, _("已结束投票并完成计票。")),
    "publish": (services.session_publish, _("票决结果已公布，当选项目进入实施监督。")),
    "revote": (services.session_start_revote, _("已安排对平票项目重新表决。")),
}


@login_required
@require_POST
def session_action(request, pk, action):
    _staff_only(request)
    session = get_visible_or_404(VoteSession.objects, request.user, pk=pk)
    if action not in SESSION_ACTIONS:
        raise Http404
    service, done = SESSION_ACTIONS[action]
    if action == "close" and (ask := password_reentry_redirect(request)):
        return ask
    try:
        result = service(actor=request.user, session=session)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(session.get_absolute_url())
    messages.success(request, done)
    return redirect(result.get_absolute_url())


@login_required
def checkin(request, pk):
    """The sign-in desk: check deputies in and hand out paper ballots."""
    _staff_only(request)
    session = get_visible_or_404(VoteSession.objects.select_related("congress"), request.user, pk=pk)
    if request.method == "POST":
        membership = get_object_or_404(Membership, pk=request.POST.get("membership"), congress=session.congress)
        try:
            if request.POST.get("action") == "paper":
                services.paper_ballot_issue(actor=request.user, session=session, membership=membership)
                messages.success(request, _("已发放纸质选票：%(name)s") % {"name": membership.deputy.name})
            else:
                services.checkin_register(actor=request.user, session=session, membership=membership)
                messages.success(request, _("已签到：%(name)s") % {"name": membership.deputy.name})
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("votes:checkin", pk=session.pk)
    rows = selectors.electorate(session=session)
    return render(
        request,
        "votes/checkin.html",
        {"session": session, "rows": rows, "counts": selectors.session_counts(session=session)},
    )


@login_required
def paper_entry(request, pk):
    _staff_only(request)
    session = get_visible_or_404(VoteSession.objects.select_related("congress"), request.user, pk=pk)
    candidates = session.candidates.order_by("position", "id")
    form = BallotForm(request.POST or None, candidates=candidates, with_serial=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_ballot_enter(
                actor=request.user, session=session, serial=form.cleaned_data["serial"], choices=form.choices()
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("纸质选票 %(serial)s 已录入。") % {"serial": form.cleaned_data["serial"]})
            return redirect("votes:paper_entry", pk=session.pk)
    return render(
        request,
        "votes/paper_entry.html",
        {"session": session, "form": form, "counts": selectors.session_counts(session=session)},
    )


# Deputy --------------------------------------------------------------------------------------------------------


def _deputy(request):
    deputy = getattr(request.user, "deputy", None)
    if deputy is None:
        raise Http404
    return deputy


@login_required
def my_ballots(request):
    _deputy(request)
    return render(request, "votes/my_ballots.html", {"sessions": selectors.open_sessions_for_deputy(user=request.user)})


@login_required
def ballot(request, pk):
    """The deputy's phone-sized ballot page: check in (when allowed), then vote once."""
    deputy = _deputy(request)
    session = get_visible_or_404(VoteSession.objects.select_related("congress"), request.user, pk=pk)
    candidates = session.candidates.select_related("department").order_by("position", "id")
    form = BallotForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "checkin":
                services.checkin_self(actor=request.user, session=session)
                messages.success(request, _("签到成功，可以投票了。"))
                return redirect("votes:ballot", pk=session.pk)
            if form.is_valid():
                services.ballot_cast(actor=request.user, session=session, choices=form.choices())
                messages.success(request, _("投票成功，感谢您参加票决。"))
                return redirect("votes:ballot", pk=session.pk)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    state = selectors.deputy_ballot_state(session=session, deputy=deputy)
    return render(request, "votes/ballot.html", {"session": session, "form": form, "state": state})


# Public --------------------------------------------------------------------------------------------------------


def result_list(request):
    year = parse_int(request.GET.get("year"), "year", minimum=YEAR_MIN, maximum=YEAR_MAX)
    page = Paginator(selectors.public_session_list(year=year), 30).get_page(request.GET.get("page"))
    return render(request, "votes/result_list.html", {"page": page, "year": year})


def result_detail(request, pk):
    session = (
        VoteSession.objects.public().select_related("congress", "congress__region", "parent").filter(pk=pk).first()
    )
    if session is None:
        raise Http404(_("记录不存在或无权查看。"))
    rounds = selectors.result_rounds(session=session)
    for item in rounds:
        item.result_rows = list(item.candidates.select_related("department").order_by("position", "id"))
        item.turnout = f"{item.ballots_cast * 100 / item.electorate_size:.1f}" if item.electorate_size else "0.0"
    return render(request, "votes/result_detail.html", {"session": session, "rounds": rounds})


def project_list(request):
    year = parse_int(request.GET.get("year"), "year", minimum=YEAR_MIN, maximum=YEAR_MAX)
    page = Paginator(selectors.project_list(public=True, year=year), 30).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.rate = selectors.satisfaction_rate(project.ratings_satisfied, project.ratings_total)
    return render(
        request,
        "votes/project_list.html",
        {
            "page": page,
            "year": year,
            "yearly": selectors.yearly_satisfaction(),
            "figures": selectors.project_figures(year=year),
        },
    )


def project_public(request, pk):
    project = selectors.project_detail(pk=pk)
    if project is None:
        raise Http404(_("记录不存在或无权查看。"))
    project.rate = selectors.satisfaction_rate(project.ratings_satisfied, project.ratings_total)
    user = request.user
    context = {"project": project, "lists": _three_lists(project)}
    deputy = getattr(user, "deputy", None) if user.is_authenticated else None
    if deputy is not None:
        seat = project.session.congress.memberships.filter(deputy=deputy, status="in_office").first()
        context["can_rate"] = (
            seat is not None
            and project.status == Project.Status.FINISHED
            and not project.ratings.filter(membership=seat).exists()
        )
        context["rating_form"] = RatingForm()
        context["can_inspect"] = seat is not None and project.supervisors.filter(pk=seat.pk).exists()
    if user.is_authenticated and (
        user_is_staff(user) or (user.role == User.Role.UNIT and user.organization_id == project.department_id)
    ):
        context["can_report"] = project.status == Project.Status.IMPLEMENTING
    return render(request, "votes/project_detail.html", context)


def _three_lists(project):
    items = list(project.list_items.all())
    return [(label, [i for i in items if i.kind == kind]) for kind, label in ListItem.Kind.choices]


@login_required
def progress_report(request, pk):
    project = get_visible_or_404(Project.objects, request.user, pk=pk)
    form = ProgressReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_add(
                actor=request.user, project=project, photos=request.FILES.getlist("photos"), **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("进展报告已提交。"))
            return redirect(project.get_absolute_url())
    return render(request, "votes/progress_form.html", {"project": project, "form": form})


@login_required
@require_POST
def rate(request, pk):
    project = get_visible_or_404(Project.objects, request.user, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_submit(actor=request.user, project=project, rating=form.cleaned_data["rating"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("感谢您的评价。"))
    return redirect(project.get_absolute_url())


@login_required
def inspect(request, pk):
    """A supervision-group deputy logs an inspection for the group members who took part."""
    deputy = _deputy(request)
    project = get_visible_or_404(
        Project.objects.prefetch_related(Prefetch("supervisors", queryset=Membership.objects.select_related("deputy"))),
        request.user,
        pk=pk,
    )
    group = list(project.supervisors.all())
    if not any(m.deputy_id == deputy.pk for m in group):
        raise Http404
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = {int(x) for x in request.POST.getlist("participants") if x.isdigit()}
        try:
            services.inspection_log(
                actor=request.user,
                project=project,
                participants=[m for m in group if m.pk in chosen],
                **form.cleaned_data,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("监督检查已记录。"))
            return redirect(project.get_absolute_url())
    return render(request, "votes/inspection_form.html", {"project": project, "form": form, "group": group})
