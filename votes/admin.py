"""Admin for vote sessions and projects. State changes go through actions that call the services.

Ballots and receipts are not registered: nobody browses them, ``verify_vote`` reads them.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from liaison.admin import ScopedAdminMixin
from liaison.errors import ApplicationError
from liaison.workflow_admin import TransitionTableAdminMixin
from votes import services
from votes.models import Candidate, Inspection, ListItem, Milestone, ProgressReport, Project, VoteSession


class CandidateInline(admin.StackedInline):
    model = Candidate
    extra = 0
    fields = [
        "position",
        "title",
        "description",
        "budget",
        "department",
        "timeline",
        "beneficiaries",
        "source",
        "source_detail",
        "votes_for",
        "votes_against",
        "votes_abstain",
        "rank",
        "outcome",
    ]
    readonly_fields = ["votes_for", "votes_against", "votes_abstain", "rank", "outcome"]
    autocomplete_fields = ["department"]

    def _editable(self, obj):
        return obj is None or (obj.status == VoteSession.Status.DRAFT and obj.candidates_locked_at is None)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


def _run(modeladmin, request, queryset, service, done):
    for session in queryset:
        try:
            service(actor=request.user, session=session)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{session}：{exc.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{session}：{done}", messages.SUCCESS)


@admin.register(VoteSession)
class VoteSessionAdmin(TransitionTableAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "congress", "meeting_date", "seats", "status", "ballots_cast", "tie_detected"]
    list_filter = ["status", "year", "majority_base"]
    search_fields = ["title", "meeting", "congress__name"]
    list_select_related = ["congress"]
    autocomplete_fields = ["congress"]
    inlines = [CandidateInline]
    actions = ["lock_candidates", "open_sessions", "close_sessions", "publish_sessions", "start_revote"]
    fieldsets = (
        (_("会议"), {"fields": ("congress", "title", "meeting", "meeting_date", "year")}),
        (_("票决规则"), {"fields": ("seats", "margin_ratio", "majority_base", "allow_self_checkin")}),
        (
            _("状态与结果"),
            {
                "fields": (
                    "status",
                    "round_number",
                    "parent",
                    "candidates_locked_at",
                    "electorate_size",
                    "present_count",
                    "ballots_cast",
                    "electronic_ballots",
                    "paper_ballots",
                    "majority_threshold",
                    "tie_detected",
                    "final_hash",
                )
            },
        ),
    )
    readonly_fields = [
        "year",
        "status",
        "round_number",
        "parent",
        "candidates_locked_at",
        "electorate_size",
        "present_count",
        "ballots_cast",
        "electronic_ballots",
        "paper_ballots",
        "majority_threshold",
        "tie_detected",
        "final_hash",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != VoteSession.Status.DRAFT:
            return [*self.readonly_fields, "congress", "seats", "margin_ratio", "majority_base", "meeting_date"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.session_create(
            actor=request.user,
            congress=obj.congress,
            title=obj.title,
            meeting=obj.meeting,
            meeting_date=obj.meeting_date,
            seats=obj.seats,
            margin_ratio=obj.margin_ratio,
            majority_base=obj.majority_base,
            allow_self_checkin=obj.allow_self_checkin,
        )
        obj.pk = created.pk
        obj._state.adding = False
        obj.year = created.year

    @admin.action(description=_("锁定候选清单"))
    def lock_candidates(self, request, queryset):
        _run(self, request, queryset, services.session_lock_candidates, _("候选项目清单已锁定。"))

    @admin.action(description=_("开始投票"))
    def open_sessions(self, request, queryset):
        _run(self, request, queryset, services.session_open, _("已开始投票。"))

    @admin.action(description=_("结束投票并计票"))
    def close_sessions(self, request, queryset):
        _run(self, request, queryset, services.session_close, _("已结束投票并完成计票。"))

    @admin.action(description=_("公布结果"))
    def publish_sessions(self, request, queryset):
        _run(self, request, queryset, services.session_publish, _("票决结果已公布。"))

    @admin.action(description=_("对平票项目重新表决"))
    def start_revote(self, request, queryset):
        _run(self, request, queryset, services.session_start_revote, _("已安排重新表决。"))


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ListItemInline(admin.TabularInline):
    model = ListItem
    extra = 0


class ProgressReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    fields = ["created_at", "percent", "text", "reported_by"]
    readonly_fields = ["created_at", "percent", "text", "reported_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(TransitionTableAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "year", "session", "department", "budget", "status", "progress"]
    list_filter = ["status", "year"]
    search_fields = ["title", "department__name"]
    list_select_related = ["session", "department"]
    filter_horizontal = ["supervisors"]
    readonly_fields = ["candidate", "session", "status", "progress", "finished_on"]
    fields = [
        "title",
        "year",
        "budget",
        "department",
        "candidate",
        "session",
        "status",
        "progress",
        "finished_on",
        "supervisors",
    ]
    inlines = [MilestoneInline, ListItemInline, ProgressReportInline]
    actions = ["finish_projects"]

    def has_add_permission(self, request):
        return False  # projects come from published vote results

    @admin.action(description=_("标记为已完成（开始满意度测评）"))
    def finish_projects(self, request, queryset):
        from django.utils import timezone

        for project in queryset:
            try:
                services.project_finish(actor=request.user, project=project, finished_on=timezone.localdate())
            except ApplicationError as exc:
                self.message_user(request, f"{project}：{exc.message}", messages.ERROR)


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["project", "occurred_on", "place", "recorded_by"]
    list_select_related = ["project", "recorded_by"]
    readonly_fields = ["project", "occurred_on", "place", "findings", "participants", "recorded_by"]

    def has_add_permission(self, request):
        return False  # logged through the supervision page so duty records follow

    def get_queryset(self, request):
        return super().get_queryset(request).filter(project__in=Project.objects.visible_to(request.user))
