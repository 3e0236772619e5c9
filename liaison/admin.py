from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from liaison import crypto, holidays
from liaison.access import in_region
from liaison.models import AuditLog, HolidayDay, HolidaySchedule, Organization, Region, User
from liaison.privacy import is_valid_mobile


class ScopedAdminMixin:
    """Staff users in the admin see only their region's records, like everywhere else."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if hasattr(qs, "visible_to"):
            return qs.visible_to(request.user)
        return qs


class AuditedExportMixin:
    """An import-export admin whose every export writes exactly one audit row (issue 23): the export page and the
    "export selected" action both end in ``get_export_data``. The row holds who, ``export_audit_action``, the
    format, the row count and the change-list filters; a search term is recorded only as present (it may be a
    citizen's whole mobile number, which never goes into the log)."""

    export_audit_action = ""

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        from liaison.audit import audit

        filters = {k: v for k, v in request.GET.items() if k not in ("q", "o", "p") and v}
        audit(
            request.user,
            self.export_audit_action or f"{self.opts.model_name}.export",
            request=request,
            object_type=self.opts.label_lower,
            data={
                "rows": queryset.count(),
                "format": file_format.get_title(),
                "filters": filters,
                "search": bool(request.GET.get("q", "").strip()),
                "admin": True,
            },
        )
        return data


class MobileSearchMixin:
    """Search by a whole mobile number: an exact match on its keyed hash (the column itself is encrypted, so no
    partial search). ``mobile_hash_lookup`` is the path to the hash column from the admin's model."""

    mobile_hash_lookup = "mobile_hash"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if is_valid_mobile(term):
            by_mobile = queryset.filter(**{f"{self.mobile_hash_lookup}__in": crypto.lookup_hashes(term)})
            results = results | by_mobile
        return results, may_have_duplicates


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "region", "contact_person", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(MobileSearchMixin, DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "region", "organization", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "display_name"]
    list_select_related = ["region", "organization"]
    autocomplete_fields = ["region", "organization"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "mobile", "email", "language")}),
        (_("角色与范围"), {"fields": ("role", "region", "organization")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("角色与范围"), {"fields": ("display_name", "mobile", "role", "region", "organization")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if request.user.region_id:
            return qs.filter(in_region("region", request.user.region)) | qs.filter(
                in_region("organization__region", request.user.region)
            )
        return qs.none()


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_repr", "action", "object_type", "object_repr", "ip_address", "result"]
    list_filter = ["action", "result", "object_type"]
    search_fields = ["actor_repr", "object_repr", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------------------------------------------------
# Notifications and reminders (issue 7): their admins are in liaison/notifications/admin.py and
# liaison/reminders/admin.py; both scope by recipient with this.
# ---------------------------------------------------------------------------------------------------------------------

from liaison.errors import ApplicationError  # noqa: E402


def recipient_scope(request, qs, field="recipient"):
    """Staff see the reminders and messages of people in their region (users and handling units)."""
    if request.user.is_superuser:
        return qs
    if request.user.region_id:
        region = request.user.region
        return qs.filter(in_region(f"{field}__region", region) | in_region(f"{field}__organization__region", region))
    return qs.none()


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 0
    fields = ["date", "kind", "name"]


class HolidayScheduleForm(forms.ModelForm):
    bulk_lines = forms.CharField(
        label=_("批量录入"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "每行一个日期或日期范围，例如“2027-01-01至2027-01-03 元旦”；调休上班的日子写“2027-02-20 上班 春节调休”。"
            "保存时追加到下方的日期中（同一天以这里为准）。"
        ),
    )

    class Meta:
        model = HolidaySchedule
        fields = ["year", "source", "published_on"]

    def clean(self):
        cleaned = super().clean()
        year, text = cleaned.get("year"), cleaned.get("bulk_lines", "")
        if year and text.strip():
            try:
                holidays.parse_holiday_lines(text, year=year)
            except ApplicationError as error:
                self.add_error("bulk_lines", error.message)
        return cleaned


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(admin.ModelAdmin):
    """A year's State Council holiday notice: paste its lines into 批量录入, or edit single days below."""

    form = HolidayScheduleForm
    list_display = ["year", "source", "published_on", "updated_at"]
    search_fields = ["source"]
    inlines = [HolidayDayInline]
    fieldsets = [
        (None, {"fields": ["year", "source", "published_on"]}),
        (_("批量录入"), {"fields": ["bulk_lines"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        text = form.cleaned_data.get("bulk_lines", "")
        if text.strip():
            holidays.holiday_schedule_enter(actor=request.user, year=form.instance.year, text=text, replace=False)
        holidays.forget_year(form.instance.year)

    def delete_model(self, request, obj):
        year = obj.year
        super().delete_model(request, obj)
        holidays.forget_year(year)

    def delete_queryset(self, request, queryset):
        years = list(queryset.values_list("year", flat=True))
        super().delete_queryset(request, queryset)
        for year in years:
            holidays.forget_year(year)
