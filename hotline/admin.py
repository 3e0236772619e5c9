"""Admin of the 12345 integration: API clients (key shown once, rotate, revoke) and work orders (resend)."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from hotline import net, services
from hotline.models import ApiClient, HotlineWorkOrder, HotlineWorkOrderStatusChange
from liaison.admin import ScopedAdminMixin
from liaison.errors import ApplicationError
from liaison.models import User
from liaison.workflow_admin import TransitionTableAdminMixin


class ApiClientForm(forms.ModelForm):
    endpoint_url = forms.URLField(
        label=_("工单推送地址"), required=False, assume_scheme="https", max_length=200, help_text=_("须为 https。")
    )

    class Meta:
        model = ApiClient
        fields = ["name", "region", "endpoint_url", "ip_allowlist", "throttle_rate"]

    def clean_endpoint_url(self):
        url = self.cleaned_data["endpoint_url"]
        if url:
            try:
                net.check_url(url)
            except ApplicationError as error:
                raise forms.ValidationError(error.message)
        return url


def _key_page(request, clients_and_keys):
    return TemplateResponse(
        request,
        "admin/hotline/apiclient/key_shown.html",
        {
            "title": _("新密钥（只显示这一次）"),
            "rows": clients_and_keys,
            "opts": ApiClient._meta,
            "site_header": admin.site.site_header,
            "site_title": admin.site.site_title,
            "has_permission": True,
        },
    )


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Registering a client shows its key once; afterwards only the key id is visible. Keys rotate and clients are
    revoked with the actions, which call the services (audited)."""

    form = ApiClientForm
    list_display = ["name", "key_id", "region", "endpoint_url", "is_active", "last_used_at", "rotated_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "key_id"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    readonly_fields = ["key_id", "revoked_at", "rotated_at", "last_used_at", "created_by"]
    actions = ["rotate_key", "revoke"]
    fieldsets = (
        (_("基本信息"), {"fields": ("name", "region", "key_id")}),
        (_("接入设置"), {"fields": ("endpoint_url", "ip_allowlist", "throttle_rate")}),
        (_("状态"), {"fields": ("revoked_at", "rotated_at", "last_used_at", "created_by")}),
    )

    @admin.display(boolean=True, description=_("有效"))
    def is_active(self, obj):
        return obj.is_active

    # Liaison staff register the hotline systems of their own region (docs/hotline-api.md) without model
    # permissions being handed out one by one: the queryset (ScopedAdminMixin) and the services keep them to their
    # region, and the region of a new client is forced to theirs.
    @staticmethod
    def _regional_staff(request):
        user = request.user
        return user.is_active and user.is_staff and user.role == User.Role.STAFF and bool(user.region_id)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._regional_staff(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._regional_staff(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._regional_staff(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._regional_staff(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("region")
        return fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                services.api_client_update(
                    actor=request.user,
                    client=obj,
                    name=data["name"],
                    endpoint_url=data["endpoint_url"],
                    ip_allowlist=data["ip_allowlist"],
                    throttle_rate=data["throttle_rate"],
                )
            else:
                region = data["region"] if request.user.is_superuser else request.user.region
                client, key = services.api_client_register(
                    actor=request.user,
                    name=data["name"],
                    region=region,
                    endpoint_url=data["endpoint_url"],
                    ip_allowlist=data["ip_allowlist"],
                    throttle_rate=data["throttle_rate"],
                )
                obj.pk = client.pk
                obj._new_key = key
        except ApplicationError as error:
            obj._error = error.message

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_error", None):
            self.message_user(request, obj._error, messages.ERROR)
            return super().response_post_save_add(request, obj)
        return _key_page(request, [(obj, obj._new_key)])

    def response_change(self, request, obj):
        if getattr(obj, "_error", None):
            self.message_user(request, obj._error, messages.ERROR)
        return super().response_change(request, obj)

    def log_addition(self, request, obj, message):
        if obj.pk:
            super().log_addition(request, obj, message)

    @admin.action(description=_("轮换密钥（旧密钥立即失效）"))
    def rotate_key(self, request, queryset):
        rows = []
        for client in queryset:
            try:
                rows.append(services.api_client_rotate_key(actor=request.user, client=client))
            except ApplicationError as error:
                self.message_user(request, f"{client}: {error.message}", messages.WARNING)
        return _key_page(request, rows) if rows else None

    @admin.action(description=_("吊销"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.api_client_revoke(actor=request.user, client=client)
        self.message_user(request, _("已吊销：%(n)d 个") % {"n": queryset.count()})


class WorkOrderStatusChangeInline(admin.TabularInline):
    model = HotlineWorkOrderStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "client", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HotlineWorkOrder)
class HotlineWorkOrderAdmin(TransitionTableAdminMixin, admin.ModelAdmin):
    """Work orders are read here; a failed outbound order is sent again with the resend action."""

    list_display = ["id", "direction", "status", "external_id", "opinion", "deputy", "client", "attempts", "sent_at"]
    list_filter = ["direction", "status"]
    search_fields = ["external_id", "opinion__tracking_code", "deputy__name"]
    list_select_related = ["opinion", "deputy", "client"]
    readonly_fields = [
        "opinion",
        "deputy",
        "client",
        "direction",
        "status",
        "external_id",
        "payload",
        "attempts",
        "sent_at",
        "closed_at",
        "deadline",
        "result",
        "last_error",
    ]
    fields = readonly_fields
    inlines = [WorkOrderStatusChangeInline]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        return qs.visible_to(user)

    @admin.action(description=_("重新发送"))
    def resend(self, request, queryset):
        done = 0
        for order in queryset:
            try:
                services.work_order_resend(actor=request.user, order=order)
                done += 1
            except ApplicationError as error:
                self.message_user(request, f"#{order.pk}: {error.message}", messages.WARNING)
        self.message_user(request, _("已重新排队发送：%(n)d 个") % {"n": done})
