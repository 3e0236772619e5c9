from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
# Notifications and reminders (issue 7).
# ---------------------------------------------------------------------------------------------------------------------
from django.contrib import messages as admin_messages  # noqa: E402

from liaison.errors import ApplicationError  # noqa: E402
from liaison.models import FollowUp, Notification, NotificationPreference, Reminder, ReminderSetting  # noqa: E402


def _recipient_scope(request, qs, field="recipient"):
    """Staff see the reminders and messages of people in their region (users and handling units)."""
    if request.user.is_superuser:
        return qs
    if request.user.region_id:
        region = request.user.region
        return qs.filter(in_region(f"{field}__region", region) | in_region(f"{field}__organization__region", region))
    return qs.none()


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["due_on", "rule", "object_type", "object_id", "recipient", "state", "attempts", "sent_at"]
    list_filter = ["state", "rule", "object_type", "due_on"]
    search_fields = ["object_id", "recipient__username", "recipient__display_name", "last_error"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_on"
    actions = ["resend"]
    readonly_fields = [
        "object_type",
        "object_id",
        "rule",
        "due_on",
        "recipient",
        "template_key",
        "context",
        "link",
        "state",
        "attempts",
        "channels_done",
        "last_error",
        "sent_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = (
        (_("提醒"), {"fields": ("rule", "object_type", "object_id", "due_on", "recipient", "template_key", "link")}),
        (_("发送情况"), {"fields": ("state", "attempts", "channels_done", "last_error", "sent_at")}),
        (_("参数与时间"), {"fields": ("context", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return _recipient_scope(request, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新发送所选的失败提醒"))
    def resend(self, request, queryset):
        from liaison.reminders.services import reminder_resend

        done, refused = 0, 0
        for reminder in queryset:
            try:
                reminder_resend(actor=request.user, reminder=reminder)
            except ApplicationError:
                refused += 1
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("已重新排队发送 %(n)s 条提醒。", "已重新排队发送 %(n)s 条提醒。", done) % {"n": done},
                admin_messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext("%(n)s 条提醒已发送过，未重复发送。", "%(n)s 条提醒已发送过，未重复发送。", refused)
                % {"n": refused},
                admin_messages.WARNING,
            )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_filter = ["template_key", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__display_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient", "reminder"]

    def get_queryset(self, request):
        return _recipient_scope(request, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "sms_enabled", "updated_at"]
    list_filter = ["email_enabled", "sms_enabled"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return _recipient_scope(request, super().get_queryset(request), field="user")


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "note", "updated_at"]
    search_fields = ["key", "note"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["title", "assignee", "due_on", "closed_at"]
    list_filter = [("closed_at", admin.EmptyFieldListFilter), "due_on"]
    search_fields = ["title", "assignee__username", "assignee__display_name"]
    list_select_related = ["assignee"]
    raw_id_fields = ["assignee"]
    date_hierarchy = "due_on"

    def get_queryset(self, request):
        return _recipient_scope(request, super().get_queryset(request), field="assignee")


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
