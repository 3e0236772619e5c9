from django.contrib import admin

from liaison.admin import recipient_scope
from liaison.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_filter = ["template_key", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__display_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient", "reminder"]

    def get_queryset(self, request):
        return recipient_scope(request, super().get_queryset(request))

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
        return recipient_scope(request, super().get_queryset(request), field="user")
