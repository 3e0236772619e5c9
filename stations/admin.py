from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from liaison.admin import AuditedExportMixin, MobileSearchMixin, ScopedAdminMixin
from liaison.errors import ApplicationError
from liaison.workflow_admin import TransitionTableAdminMixin
from stations import triage
from stations.models import (
    Opinion,
    OpinionCategory,
    OpinionStatusChange,
    ReceptionDay,
    Station,
    StationAssignment,
)
from stations.resources import OpinionResource, StationResource


class StationAssignmentInline(admin.TabularInline):
    model = StationAssignment
    extra = 0
    fields = ["deputy", "since", "until"]
    autocomplete_fields = ["deputy"]


@admin.register(Station)
class StationAdmin(AuditedExportMixin, ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [StationResource]
    export_audit_action = "station.export"  # contact names and telephones
    list_display = ["name", "region", "kind", "sector", "parent", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["name", "address", "region__name"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["region", "parent", "managers"]
    inlines = [StationAssignmentInline]
    fieldsets = (
        (_("基本信息"), {"fields": ("name", "region", "kind", "sector", "parent", "is_active")}),
        (_("位置与开放"), {"fields": ("address", "latitude", "longitude", "opening_hours")}),
        (_("联系"), {"fields": ("contact_name", "contact_phone", "introduction")}),
        (_("管理"), {"fields": ("managers",)}),
    )


@admin.register(StationAssignment)
class StationAssignmentAdmin(admin.ModelAdmin):
    list_display = ["deputy", "station", "since", "until"]
    search_fields = ["deputy__name", "station__name"]
    list_select_related = ["deputy", "station"]
    autocomplete_fields = ["deputy", "station"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(station__in=Station.objects.visible_to(request.user))


@admin.register(ReceptionDay)
class ReceptionDayAdmin(TransitionTableAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "station", "kind", "status", "citizens_received", "opinions_taken"]
    list_filter = ["status", "kind"]
    search_fields = ["station__name", "topic"]
    list_select_related = ["station"]
    autocomplete_fields = ["station", "deputies_on_duty"]
    date_hierarchy = "date"
    # The log (who came, how many) goes through the page form, which writes duty records.
    readonly_fields = ["status", "deputies_present", "citizens_received", "opinions_taken", "log_note", "logged_by"]
    exclude = ["scheduled_by", "logged_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.scheduled_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(OpinionCategory)
class OpinionCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["code", "name"]


class OpinionStatusChangeInline(admin.TabularInline):
    model = OpinionStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "note", "notified_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(
    AuditedExportMixin, TransitionTableAdminMixin, MobileSearchMixin, ScopedAdminMixin, ImportExportModelAdmin
):
    """Opinions are read here; triage goes through the services (the page or the actions below)."""

    resource_classes = [OpinionResource]
    export_audit_action = "opinion.export"
    list_display = ["tracking_code", "created_at", "station", "deputy", "category", "masked_mobile", "source", "status"]
    list_filter = ["status", "source", "category"]
    search_fields = ["tracking_code", "content", "station__name"]
    list_select_related = ["station", "deputy", "category"]
    date_hierarchy = "created_at"
    inlines = [OpinionStatusChangeInline]
    actions = ["forward_to_hotline"]
    fields = [
        "tracking_code",
        "source",
        "external_id",
        "station",
        "deputy",
        "region",
        "reception_day",
        "category",
        "content",
        "citizen_name",
        "masked_mobile",
        "status",
        "outcome_note",
        "triaged_by",
        "triaged_at",
        "personal_data_erased_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    def get_actions(self, request):
        actions = super().get_actions(request)
        if triage.get(Opinion.Status.HOTLINE) is None:  # 转12345 is registered by the hotline app
            actions.pop("forward_to_hotline", None)
        return actions

    @admin.action(description=_("转12345"))
    def forward_to_hotline(self, request, queryset):
        forward = triage.get(Opinion.Status.HOTLINE)
        done = 0
        for opinion in queryset:
            try:
                forward.run(actor=request.user, opinion=opinion, note="", lead_deputy=None)
                done += 1
            except ApplicationError as error:
                self.message_user(request, f"{opinion.tracking_code}: {error.message}", messages.WARNING)
        self.message_user(request, _("已转 12345：%(n)d 条") % {"n": done})
