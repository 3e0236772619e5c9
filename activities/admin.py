"""Admin for activities: read and act (held, close) through the services; activities are planned on their page."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from activities import services
from activities.models import Activity, ActivityFile, Attendance, Invitation, Outcome
from liaison.admin import ScopedAdminMixin
from liaison.errors import ApplicationError
from liaison.workflow_admin import TransitionTableAdminMixin


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["membership", "response", "reason", "responded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["membership", "signed_in_at", "how", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FileInline(admin.TabularInline):
    model = ActivityFile
    extra = 0
    fields = ["title", "file", "uploaded_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = ["kind", "title", "proposal", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, service, done):
    for activity in queryset:
        try:
            service(actor=request.user, activity=activity)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{activity}：{exc.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{activity}：{done}", messages.SUCCESS)


@admin.register(Activity)
class ActivityAdmin(TransitionTableAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "congress", "starts_at", "place", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "place", "congress__name"]
    list_select_related = ["congress"]
    date_hierarchy = "starts_at"
    inlines = [InvitationInline, AttendanceInline, FileInline, OutcomeInline]
    actions = ["mark_held", "close_activities"]
    fieldsets = (
        (_("活动"), {"fields": ("congress", "group", "kind", "title", "place", "starts_at", "ends_at", "agenda")}),
        (_("状态"), {"fields": ("organizer", "status", "cancel_reason", "closed_at")}),
        (_("活动纪要"), {"fields": ("minutes", "minutes_recorded_at")}),
    )
    readonly_fields = [
        "congress",
        "group",
        "organizer",
        "status",
        "cancel_reason",
        "closed_at",
        "minutes",
        "minutes_recorded_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("标记为已举行"))
    def mark_held(self, request, queryset):
        _run(self, request, queryset, services.activity_mark_held, _("已标记为已举行。"))

    @admin.action(description=_("结束活动并生成履职记录"))
    def close_activities(self, request, queryset):
        _run(self, request, queryset, services.activity_close, _("活动已结束，签到代表的履职记录已生成。"))
