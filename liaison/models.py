"""The shared core: base model, regions, organisations, users and roles, audit log."""

import functools

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from liaison.access import ANYONE, InRegion, OwnOrganization, Role, ScopedQuerySet, in_region
from liaison.fields import (
    EncryptedMobileField,
    MobileHashField,
    PersonalDataModelMixin,
    PersonalDataQuerySetMixin,
)
from liaison.privacy import mask_mobile


@functools.lru_cache(maxsize=512)
def _choice_labels(field, language):
    """``{value: label}`` of a field's choices, in ``language`` (the current one when it is called)."""
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(model, field_name, value):
    """What ``instance.get_<field_name>_display()`` says for ``value``, without an instance (list rows are dicts)."""
    field = model._meta.get_field(field_name)
    return force_str(_choice_labels(field, get_language()).get(value, value), strings_only=True)


class ChoiceDisplayMixin:
    """``get_<field>_display()`` from a table built once per field and language.

    Django rebuilds the table on every call, translating and hashing every choice's label; a list of 50 rows with
    two or three such columns spent milliseconds there (and DRF's ``status_display`` fields more).
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field, get_language()).get(value, value)
        except TypeError:  # an unhashable value (a list in a JSON field): Django's way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class TimeStampedModel(ChoiceDisplayMixin, models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class RegionQuerySet(ScopedQuerySet):
    access = {ANYONE: InRegion(None)}  # everyone with a region sees its subtree

    def subtree_of(self, region):
        return self.filter(in_region(None, region))


class Region(TimeStampedModel):
    """An administrative region. ``path`` holds the codes from the root down, so a subtree is one prefix match."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市州")
        COUNTY = 3, _("县市区")
        TOWNSHIP = 4, _("乡镇街道")
        VILLAGE = 5, _("村社区")

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区域"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=128, db_index=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        super().save(*args, **kwargs)

    def is_within(self, other):
        return self.path.startswith(other.path)

    @property
    def full_name(self):
        return self.name


class OrganizationQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("region"), ANYONE: OwnOrganization("pk")}


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        HANDLING_UNIT = "handling_unit", _("承办单位")
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        WORKING_BODY = "working_body", _("工作机构")

    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="organizations"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "kind", "name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="organization_unique_name_per_region")]

    def __str__(self):
        return self.name


class UserQuerySet(PersonalDataQuerySetMixin, models.QuerySet):
    pass


class LiaisonUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (``create_user`` …) over a queryset whose ``update(mobile=…)`` keeps the hash."""


class User(PersonalDataModelMixin, AbstractUser):
    """A login. ``role`` decides what the person sees; ``region`` or ``organization`` decides how far."""

    Role = Role

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("简体中文")
        EN = "en", _("English")

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.STAFF, db_index=True)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    mobile = EncryptedMobileField(_("手机号"), blank=True)
    mobile_hash = MobileHashField(_("手机号摘要"), db_index=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("联络工作人员可见本区域及下级区域的全部记录。"),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("承办单位用户只能看到交办给本单位的事项。"),
    )
    language = models.CharField(
        _("界面语言"),
        max_length=8,
        choices=Language.choices,
        default=Language.ZH_HANS,
        help_text=_("页面、站内消息、短信和邮件使用的语言。"),
    )

    objects = LiaisonUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile_hash"],
                condition=~Q(mobile_hash=""),
                name="user_unique_mobile",
                violation_error_message=_("该手机号已被其他账号使用。"),
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def masked_mobile(self):
        return mask_mobile(self.mobile)

    @property
    def is_liaison_staff(self):
        return self.is_superuser or self.role == self.Role.STAFF

    @property
    def is_unit_user(self):
        return self.role == self.Role.UNIT

    @property
    def is_deputy(self):
        return self.role == self.Role.DEPUTY

    @property
    def is_station_manager(self):
        return self.role == self.Role.STATION_MANAGER


class AuditLog(models.Model):
    """Who did what, when, from where, with what result. Rows are never updated or deleted (a database trigger
    refuses it on PostgreSQL)."""

    class Result(models.TextChoices):
        OK = "ok", _("成功")
        DENIED = "denied", _("拒绝")
        FAILED = "failed", _("失败")

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.OK)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action}"


# ---------------------------------------------------------------------------------------------------------------------
# Outbox (issue 11). A Celery call that could not reach the broker is stored here and sent again by
# liaison.outbox.sweep_outbox (beat, every minute, and `manage.py sweep_outbox`), so a Redis outage loses no work.
# ---------------------------------------------------------------------------------------------------------------------


class OutboxMessage(models.Model):
    """One task call waiting for the broker: the task's name, its JSON arguments, and how sending went."""

    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("位置参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("送达队列时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        indexes = [models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_pending_idx")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"


class HolidaySchedule(TimeStampedModel):
    """A year's public holidays and 调休 working days as the State Council published them, entered by staff.

    A year with a schedule is decided by it alone (see :mod:`liaison.reminders.calendar`); chinesecalendar is asked
    only about the years nobody entered, and it knows no year after the last one it was released with.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("来源"), max_length=300, blank=True, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self):
        return _("%(year)s年节假日安排") % {"year": self.year}


class HolidayDay(TimeStampedModel):
    """One day of a :class:`HolidaySchedule`: a public holiday (放假) or a weekend day worked instead (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKING_DAY = "working_day", _("调休上班")

    schedule = models.ForeignKey(
        HolidaySchedule, on_delete=models.CASCADE, related_name="days", verbose_name=_("节假日安排")
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如：元旦、春节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["holiday", "working_day"]), name="holidayday_kind_known"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.schedule_id and self.date and self.date.year != self.schedule.year:
            raise ValidationError({"date": _("日期不在该年度内。")})
