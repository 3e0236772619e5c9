from django.contrib import admin
from django.contrib import messages as admin_messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.admin import recipient_scope
from liaison.errors import ApplicationError
from liaison.reminders.models import FollowUp, Reminder, ReminderSetting
from liaison.reminders.services import reminder_resend


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
        return recipient_scope(request, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新发送所选的失败提醒"))
    def resend(self, request, queryset):
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
        return recipient_scope(request, super().get_queryset(request), field="assignee")
