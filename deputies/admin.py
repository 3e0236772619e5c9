from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from deputies.models import (
    Congress,
    Deputy,
    DeputyGroup,
    DutyRecord,
    DutyStory,
    Membership,
    PointRule,
    ProfessionalGroup,
)
from liaison.admin import ScopedAdminMixin


@admin.register(Congress)
class CongressAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region", "level", "term", "is_current"]
    list_filter = ["level", "is_current"]
    search_fields = ["name", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "congress"]
    search_fields = ["name"]
    list_select_related = ["congress"]


@admin.register(ProfessionalGroup)
class ProfessionalGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "congress"]
    search_fields = ["name"]
    list_select_related = ["congress"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["congress", "electoral_unit", "group", "status", "terminated_on", "termination_reason"]
    autocomplete_fields = ["congress", "group"]


@admin.register(Deputy)
class DeputyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "gender", "party", "occupation", "masked_mobile"]
    search_fields = ["code", "name", "workplace"]
    list_filter = ["gender", "party"]
    inlines = [MembershipInline]
    autocomplete_fields = ["user"]
    fieldsets = (
        (_("基本信息"), {"fields": ("code", "name", "gender", "ethnicity", "birth_date", "party", "education")}),
        (_("工作"), {"fields": ("occupation", "workplace", "sector")}),
        (_("联系方式与账号"), {"fields": ("mobile", "user")}),
        (_("公开信息"), {"fields": ("public_profile",)}),
    )

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["deputy", "congress", "electoral_unit", "group", "status"]
    list_filter = ["status", "congress__level"]
    search_fields = ["deputy__name", "deputy__code", "electoral_unit"]
    list_select_related = ["deputy", "congress", "group"]
    autocomplete_fields = ["deputy", "congress", "group"]
    filter_horizontal = ["professional_groups"]


@admin.register(DutyRecord)
class DutyRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["membership", "kind", "occurred_on", "place", "entered_by"]
    list_filter = ["kind"]
    search_fields = ["membership__deputy__name", "description"]
    list_select_related = ["membership__deputy", "membership__congress", "entered_by"]
    autocomplete_fields = ["membership"]
    date_hierarchy = "occurred_on"
    readonly_fields = ["entered_by", "source_key"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ["congress", "kind", "points", "valid_from", "note"]
    list_filter = ["kind", "congress"]
    list_select_related = ["congress"]


@admin.register(DutyStory)
class DutyStoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Stories of duty (代表风采): staff write or receive them; they go public only through 审核发布."""

    list_display = ["title", "deputy", "region", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "deputy__name"]
    list_select_related = ["deputy", "region"]
    autocomplete_fields = ["deputy", "region"]
    readonly_fields = ["status", "published_at", "approved_by"]
    fieldsets = [
        (_("内容"), {"fields": ["deputy", "region", "title", "summary", "body", "happened_on"]}),
        (_("审核"), {"fields": ["status", "published_at", "approved_by"]}),
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

    @admin.action(description=_("审核发布所选代表风采"))
    def approve(self, request, queryset):
        from deputies.services import duty_story_approve

        self._run(request, queryset, duty_story_approve, _("已发布 {count} 篇。"))

    @admin.action(description=_("撤下所选代表风采"))
    def withdraw(self, request, queryset):
        from deputies.services import duty_story_withdraw

        self._run(request, queryset, duty_story_withdraw, _("已撤下 {count} 篇。"))
