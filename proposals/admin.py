"""Admin: lists and history for staff. The status never changes by editing; only actions calling services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin

from liaison.admin import ScopedAdminMixin
from liaison.errors import ApplicationError
from liaison.workflow_admin import TransitionTableAdminMixin
from proposals import services
from proposals.models import (
    Assignment,
    AssignmentMeeting,
    Contact,
    JointSupervision,
    Proposal,
    ProposalStatusChange,
    Reply,
    SiteVisit,
)
from proposals.resources import ProposalImportResource


class StatusChangeInline(admin.TabularInline):
    model = ProposalStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    can_delete = False
    fields = ["unit", "role", "assigned_on", "deadline", "extension_reason", "completed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, call):
    done = 0
    for proposal in queryset:
        try:
            call(proposal)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{proposal}: {exc.message}", messages.ERROR)
    if done:
        modeladmin.message_user(
            request, ngettext("已处理 %(n)d 件。", "已处理 %(n)d 件。", done) % {"n": done}, messages.SUCCESS
        )


@admin.register(Proposal)
class ProposalAdmin(TransitionTableAdminMixin, ImportMixin, ScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [ProposalImportResource]
    list_display = ["number", "title", "lead_deputy", "status", "reply_class", "rating", "is_key_supervised"]
    list_filter = ["status", "kind", "reply_class", "rating", "is_key_supervised"]
    search_fields = ["number", "title", "lead_deputy__name"]
    list_select_related = ["lead_deputy"]
    readonly_fields = [f.name for f in Proposal._meta.fields]
    inlines = [AssignmentInline, StatusChangeInline]
    actions = ["accept", "close"]
    fieldsets = (
        (_("建议"), {"fields": ("number", "congress", "session", "kind", "category", "title", "content")}),
        (_("代表"), {"fields": ("lead_deputy", "origin", "origin_reference", "created_by")}),
        (_("办理"), {"fields": ("status", "reply_class", "promised_on", "rating", "rehandle_count", "merged_into")}),
        (_("督办"), {"fields": ("is_key_supervised", "key_supervision_leaders")}),
    )

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("立案所选建议"))
    def accept(self, request, queryset):
        _run(self, request, queryset, lambda p: services.proposal_accept(actor=request.user, proposal=p))

    @admin.action(description=_("办结所选建议"))
    def close(self, request, queryset):
        _run(self, request, queryset, lambda p: services.proposal_close(actor=request.user, proposal=p))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["proposal", "unit", "role", "assigned_on", "deadline", "completed_at"]
    list_filter = ["role"]
    list_select_related = ["proposal", "unit"]


@admin.register(AssignmentMeeting)
class AssignmentMeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "held_on"]
    list_select_related = ["region"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "stage", "way", "contacted_on"]
    list_select_related = ["assignment__proposal", "assignment__unit"]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "round", "unit", "reply_class", "replied_on", "on_time", "rating"]
    list_filter = ["reply_class", "rating", "on_time"]
    list_select_related = ["proposal", "unit"]


class SiteVisitInline(admin.TabularInline):
    model = SiteVisit
    extra = 0
    can_delete = False
    readonly_fields = ["visited_on", "place", "participants", "summary", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JointSupervision)
class JointSupervisionAdmin(TransitionTableAdminMixin, ReadOnlyAdmin):
    list_display = ["title", "committee", "created_at"]
    list_select_related = ["committee"]
    inlines = [SiteVisitInline]
