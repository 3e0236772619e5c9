from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from deputies import services
from deputies.models import (
    Congress,
    Deputy,
    DeputyGroup,
    DutyRecord,
    DutyRecordStatusChange,
    DutyStory,
    Membership,
    PointRule,
    ProfessionalGroup,
)
from deputies.resources import RosterResource, RosterXLSX
from liaison.access import user_is_staff
from liaison.admin import AuditedExportMixin, MobileSearchMixin, ScopedAdminMixin
from liaison.errors import ApplicationError
from liaison.workflow_admin import TransitionTableAdminMixin


class LiaisonStaffAdminMixin(ScopedAdminMixin):
    """Liaison staff work here on their own region's rows; their role, not per-model permissions, lets them in.

    Deleting stays with superusers: seats end through 资格终止, rows are kept for the record.
    Every foreign-key choice is limited to what the user may see.
    """

    def has_module_permission(self, request):
        return user_is_staff(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return user_is_staff(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return user_is_staff(request.user) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return user_is_staff(request.user) or super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "visible_to"):
            field.queryset = queryset.visible_to(request.user)
        return field


class InScopedCongressMixin(LiaisonStaffAdminMixin):
    """For rows that hang off a congress and have no ``visible_to`` of their own."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(congress__in=Congress.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "congress":
            field.queryset = Congress.objects.visible_to(request.user)
        return field


@admin.register(Congress)
class CongressAdmin(LiaisonStaffAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region", "level", "term", "is_current"]
    list_filter = ["level", "is_current"]
    search_fields = ["name", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(DeputyGroup)
class DeputyGroupAdmin(InScopedCongressMixin, admin.ModelAdmin):
    list_display = ["name", "congress"]
    list_filter = [("congress", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["congress"]


@admin.register(ProfessionalGroup)
class ProfessionalGroupAdmin(InScopedCongressMixin, admin.ModelAdmin):
    list_display = ["name", "congress"]
    list_filter = [("congress", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["congress"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["congress", "electoral_unit", "group", "status", "terminated_on", "termination_reason"]
    readonly_fields = ["status", "terminated_on", "termination_reason"]
    autocomplete_fields = ["congress", "group"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("congress", "group")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "congress":
            field.queryset = Congress.objects.visible_to(request.user)
        return field

    def has_add_permission(self, request, obj=None):
        return user_is_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_staff(request.user)


@admin.register(Deputy)
class DeputyAdmin(MobileSearchMixin, LiaisonStaffAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "gender", "party", "occupation", "masked_mobile"]
    search_fields = ["code", "name", "workplace"]
    list_filter = ["gender", "party"]
    inlines = [MembershipInline]
    autocomplete_fields = ["user"]
    fieldsets = (
        (
            gettext_lazy("基本信息"),
            {"fields": ("code", "name", "gender", "ethnicity", "birth_date", "party", "education")},
        ),
        (gettext_lazy("工作"), {"fields": ("occupation", "workplace", "sector")}),
        (gettext_lazy("联系方式与账号"), {"fields": ("mobile", "user")}),
        (gettext_lazy("公开信息"), {"fields": ("public_profile",)}),
    )

    @admin.display(description=gettext_lazy("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile


class TerminationForm(forms.Form):
    terminated_on = forms.DateField(
        label=gettext_lazy("终止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=gettext_lazy("终止原因"), max_length=200)


@admin.register(Membership)
class MembershipAdmin(
    AuditedExportMixin, TransitionTableAdminMixin, MobileSearchMixin, LiaisonStaffAdminMixin, ImportExportModelAdmin
):
    """The roster (代表名册): one row per seat, with import (preview first) and export (masked mobiles)."""

    mobile_hash_lookup = "deputy__mobile_hash"

    list_display = ["deputy_code", "deputy", "congress", "electoral_unit", "group", "masked_mobile", "status"]
    list_filter = ["status", "congress__level", ("congress", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["deputy__name", "deputy__code", "electoral_unit"]
    list_select_related = ["deputy", "congress", "group"]
    autocomplete_fields = ["deputy", "congress", "group"]
    filter_horizontal = ["professional_groups"]
    readonly_fields = ["status", "terminated_on", "termination_reason"]
    actions = ["terminate"]
    resource_classes = [RosterResource]
    import_formats = [RosterXLSX, CSV]
    export_formats = [XLSX, CSV]
    import_template_name = "admin/deputies/membership/roster_import.html"
    skip_admin_log = True  # one audit row per import instead of 10,000 admin log rows
    export_audit_action = "roster.export"

    @admin.display(description=gettext_lazy("代表编号"), ordering="deputy__code")
    def deputy_code(self, obj):
        return obj.deputy.code

    @admin.display(description=gettext_lazy("手机号"))
    def masked_mobile(self, obj):
        return obj.deputy.masked_mobile

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_queryset(self, request):
        queryset = super().get_export_queryset(request)
        return queryset.select_related("deputy", "congress", "group").prefetch_related("professional_groups")

    def get_export_filename(self, request, queryset, file_format):
        return f"roster-{timezone.localdate().isoformat()}.{file_format.get_extension()}"

    @admin.action(description=gettext_lazy("终止所选代表资格"))
    def terminate(self, request, queryset):
        form = TerminationForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for membership in queryset.select_related("deputy", "congress"):
                try:
                    services.membership_terminate(
                        actor=request.user,
                        membership=membership,
                        terminated_on=form.cleaned_data["terminated_on"],
                        reason=form.cleaned_data["reason"],
                    )
                    done += 1
                except ApplicationError as error:
                    self.message_user(request, f"{membership}：{error.message}", messages.ERROR)
            if done:
                self.message_user(request, _("已终止 %(n)s 名代表的资格。") % {"n": done}, messages.SUCCESS)
            return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "title": _("终止代表资格"),
            "opts": self.model._meta,
            "memberships": queryset.select_related("deputy", "congress"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/deputies/membership/terminate.html", context)


class DutyRecordStatusChangeInline(admin.TabularInline):
    model = DutyRecordStatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DutyRecord)
class DutyRecordAdmin(TransitionTableAdminMixin, LiaisonStaffAdminMixin, admin.ModelAdmin):
    """Duty records: staff-entered ones are approved at once; a deputy's own registration waits for 审核 (the
    actions, or the review page), and only approved records count for points. 公开 is set through the actions."""

    list_display = ["membership", "kind", "occurred_on", "place", "status", "is_public", "entered_by"]
    list_filter = [
        "status",
        "self_registered",
        "is_public",
        "kind",
        ("membership__congress", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["membership__deputy__name", "description"]
    list_select_related = ["membership__deputy", "membership__congress", "entered_by"]
    autocomplete_fields = ["membership"]
    date_hierarchy = "occurred_on"
    readonly_fields = ["entered_by", "source_key", "status", "self_registered", "return_reason", "is_public"]
    inlines = [DutyRecordStatusChangeInline]
    actions = ["approve_public", "approve_private", "publish", "unpublish"]

    def _run(self, request, queryset, service, done, **options):
        count = 0
        for record in queryset:
            try:
                service(actor=request.user, record=record, **options)
            except ApplicationError as exc:
                self.message_user(request, f"{record}: {exc.message}", level=messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done.format(count=count), level=messages.SUCCESS)

    @admin.action(description=gettext_lazy("审核通过所选履职登记（公开）"))
    def approve_public(self, request, queryset):
        self._run(request, queryset, services.duty_record_approve, _("已通过 {count} 条。"), public=True)

    @admin.action(description=gettext_lazy("审核通过所选履职登记（不公开）"))
    def approve_private(self, request, queryset):
        self._run(request, queryset, services.duty_record_approve, _("已通过 {count} 条。"), public=False)

    @admin.action(description=gettext_lazy("在公开履职档案中显示所选记录"))
    def publish(self, request, queryset):
        self._run(request, queryset, services.duty_record_set_public, _("已公开 {count} 条。"), public=True)

    @admin.action(description=gettext_lazy("在公开履职档案中隐藏所选记录"))
    def unpublish(self, request, queryset):
        self._run(request, queryset, services.duty_record_set_public, _("已隐藏 {count} 条。"), public=False)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "membership", "kind", "occurred_on", "attachment"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        record = services.duty_record_create(
            actor=request.user,
            membership=obj.membership,
            kind=obj.kind,
            occurred_on=obj.occurred_on,
            place=obj.place,
            description=obj.description,
            attachment=form.cleaned_data.get("attachment") or None,
        )
        obj.__dict__.update({k: v for k, v in record.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            return form_class

        class DutyRecordAddForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("membership") and cleaned.get("occurred_on"):
                    try:
                        services.duty_record_validate(
                            membership=cleaned["membership"],
                            occurred_on=cleaned["occurred_on"],
                            attachment=cleaned.get("attachment") or None,
                        )
                    except ApplicationError as error:
                        fields = error.extra.get("fields") or {}
                        if not fields:
                            raise forms.ValidationError(error.message) from error
                        for name in fields:
                            self.add_error(name if name in self.fields else None, error.message)
                return cleaned

        return DutyRecordAddForm


@admin.register(PointRule)
class PointRuleAdmin(InScopedCongressMixin, admin.ModelAdmin):
    """积分规则: each (congress, kind, valid_from) is one version; a later valid_from starts a new version."""

    list_display = ["congress", "kind", "points", "valid_from", "note"]
    list_filter = ["kind", ("congress", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["congress"]

    def get_readonly_fields(self, request, obj=None):
        return ["congress", "kind", "valid_from"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        rule = services.point_rule_set(
            actor=request.user,
            congress=obj.congress,
            kind=obj.kind,
            points=obj.points,
            valid_from=obj.valid_from,
            note=obj.note,
        )
        obj.pk = rule.pk


@admin.register(DutyStory)
class DutyStoryAdmin(TransitionTableAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Stories of duty (代表风采): staff write or receive them; they go public only through 审核发布."""

    list_display = ["title", "deputy", "region", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "deputy__name"]
    list_select_related = ["deputy", "region"]
    autocomplete_fields = ["deputy", "region"]
    readonly_fields = ["status", "published_at", "approved_by"]
    fieldsets = [
        (gettext_lazy("内容"), {"fields": ["deputy", "region", "title", "summary", "body", "happened_on"]}),
        (gettext_lazy("审核"), {"fields": ["status", "published_at", "approved_by"]}),
    ]
    actions = ["approve", "withdraw"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        from deputies.services import duty_story_create

        fields = {name: form.cleaned_data.get(name) for name in ["title", "summary", "body", "happened_on"]}
        created = duty_story_create(
            actor=request.user, deputy=form.cleaned_data["deputy"], region=form.cleaned_data["region"], **fields
        )
        obj.pk = created.pk
        obj.status = created.status

    def _run(self, request, queryset, service, done):
        from liaison.errors import ApplicationError

        count = 0
        for story in queryset:
            try:
                service(actor=request.user, story=story)
            except ApplicationError as exc:
                self.message_user(request, f"{story}: {exc.message}", level=messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done.format(count=count), level=messages.SUCCESS)

    @admin.action(description=gettext_lazy("审核发布所选代表风采"))
    def approve(self, request, queryset):
        from deputies.services import duty_story_approve

        self._run(request, queryset, duty_story_approve, _("已发布 {count} 篇。"))

    @admin.action(description=gettext_lazy("撤下所选代表风采"))
    def withdraw(self, request, queryset):
        from deputies.services import duty_story_withdraw

        self._run(request, queryset, duty_story_withdraw, _("已撤下 {count} 篇。"))
