"""Liaison stations, reception days and citizens' opinions (码上找代表), with triage and 12345 work orders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.access import ANYONE, InRegion, Role, ScopedQuerySet, Via
from liaison.fields import (
    EncryptedMobileField,
    MobileHashField,
    PersonalDataModelMixin,
    PersonalDataQuerySetMixin,
)
from liaison.links import object_url
from liaison.models import Region, TimeStampedModel
from liaison.privacy import mask_mobile
from liaison.uploads import PHOTOS, UploadCheck
from liaison.workflow import StatusChange, register

PHOTO_MAX_BYTES = 5 * 1024 * 1024  # a citizen's photo


def _current_assignment_q(prefix=""):
    """Assignments in force today: no end date, or an end date not yet passed."""
    from django.utils import timezone

    return Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": timezone.localdate()})


def _stations_of_deputy(queryset, user):
    """A deputy: the stations they are assigned to today."""
    current = StationAssignment.objects.filter(deputy__user=user).filter(_current_assignment_q())
    return queryset.filter(pk__in=current.values("station_id"))


class StationQuerySet(ScopedQuerySet):
    """Stations a logged-in user works with: staff by region subtree, managers their own, deputies theirs."""

    access = {
        Role.STAFF: InRegion("region"),
        Role.STATION_MANAGER: "managers",
        Role.DEPUTY: _stations_of_deputy,
    }

    def public(self):
        return self.filter(is_active=True)


class Station(TimeStampedModel):
    """代表联络站: a 中心联络站 of a township/street with its 联络点, or a sector station."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("固定站")
        MOBILE = "mobile", _("流动站")
        CLOUD = "cloud", _("云端站")

    class Sector(models.TextChoices):
        NONE = "", _("无")
        INDUSTRY_CHAIN = "industry_chain", _("产业链")
        PARK = "park", _("园区")
        FINANCE = "finance", _("金融")
        RURAL = "rural", _("乡村振兴")
        OTHER = "other", _("其他")

    region = models.ForeignKey(Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="stations")
    name = models.CharField(_("站点名称"), max_length=100, db_index=True)
    kind = models.CharField(_("站点形式"), max_length=16, choices=Kind.choices, default=Kind.FIXED, db_index=True)
    sector = models.CharField(_("专业领域"), max_length=32, choices=Sector.choices, blank=True, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属中心联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points",
        help_text=_("联络点填写其所属的中心联络站；中心联络站留空。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("站点电话"), max_length=32, blank=True)
    introduction = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True, db_index=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("站点管理员"),
        blank=True,
        related_name="managed_stations",
        limit_choices_to={"role": Role.STATION_MANAGER},
    )
    deputies = models.ManyToManyField(
        "deputies.Deputy",
        verbose_name=_("进站代表"),
        through="StationAssignment",
        related_name="stations",
        blank=True,
    )

    objects = StationQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "name"]
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="station_unique_name_per_region")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return object_url("stations:public_station", self.pk)

    @property
    def is_center(self):
        return self.parent_id is None


class StationAssignment(TimeStampedModel):
    """A deputy placed in a station (编入) from ``since``; ``until`` closes the assignment."""

    station = models.ForeignKey(Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="assignments")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="station_assignments"
    )
    since = models.DateField(_("编入日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["station", "deputy__name"]
        verbose_name = _("代表进站编组")
        verbose_name_plural = _("代表进站编组")
        constraints = [
            models.UniqueConstraint(fields=["station", "deputy", "since"], name="assignment_unique_start"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="assignment_until_after_since"
            ),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.station}"


class ReceptionDayQuerySet(ScopedQuerySet):
    access = {ANYONE: Via("station")}


@register
class ReceptionDay(TimeStampedModel):
    """A reception day (接待日) with the deputies on duty; after the day, its log."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("每月定期接待")
        CAMPAIGN = "campaign", _("集中进站履职")
        OTHER = "other", _("其他活动")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        HELD = "held", _("已举行")
        CANCELLED = "cancelled", _("已取消")

    # A scheduled day is held (its log may be corrected later) or cancelled.
    TRANSITIONS = {Status.SCHEDULED: {Status.HELD, Status.CANCELLED}, Status.HELD: {Status.HELD}}
    STATUS_CHANGES = None  # no history of its own: the audit rows record it
    TRANSITION_REFUSED = _("只有已安排的接待日可以取消。")

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.PROTECT, related_name="reception_days"
    )
    date = models.DateField(_("接待日期"), db_index=True)
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)
    kind = models.CharField(_("接待类型"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    deputies_on_duty = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("值班代表"), blank=True, related_name="reception_duties"
    )
    deputies_present = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("到场代表"), blank=True, related_name="receptions_attended"
    )
    citizens_received = models.PositiveIntegerField(_("接待群众人次"), default=0)
    opinions_taken = models.PositiveIntegerField(_("收集意见条数"), default=0)
    log_note = models.TextField(_("接待记录"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("安排人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    objects = ReceptionDayQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="reception_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.station} {self.date}"


class OpinionCategory(TimeStampedModel):
    """What an opinion is about. ``code`` is stable: it is the Open311 ``service_code``."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("意见类别")
        verbose_name_plural = _("意见类别")

    def __str__(self):
        return self.name


def _opinions_of_deputy(queryset, user):
    """A deputy: the opinions addressed to them or to the stations they are assigned to today.

    The deputy's id and current stations are read first (two small queries) and passed as values: an OR of two
    subqueries makes PostgreSQL scan every opinion of the province, an OR of two value lists lets it combine the
    deputy_id and station_id indexes (see docs/benchmarks.md).
    """
    deputy = getattr(user, "deputy", None)
    if deputy is None:
        return queryset.none()
    stations = StationAssignment.objects.filter(deputy_id=deputy.pk).filter(_current_assignment_q())
    station_ids = list(stations.values_list("station_id", flat=True))
    return queryset.filter(Q(deputy_id=deputy.pk) | Q(station_id__in=station_ids))


class OpinionQuerySet(PersonalDataQuerySetMixin, ScopedQuerySet):
    """Staff: their region subtree; managers: their stations; deputies: addressed to them or their stations."""

    access = {
        Role.STAFF: InRegion("region"),
        Role.STATION_MANAGER: "station__managers",
        Role.DEPUTY: _opinions_of_deputy,
    }

    def untriaged(self):
        return self.filter(status=Opinion.Status.UNTRIAGED)


@register
class Opinion(PersonalDataModelMixin, TimeStampedModel):
    """A citizen's opinion (群众意见). The mobile number is personal data: masked everywhere but the call-back screen."""

    class Source(models.TextChoices):
        QR = "qr", _("扫码留言")
        RECEPTION = "reception", _("接待日收集")
        PAPER = "paper", _("登记本")
        HOTLINE = "hotline", _("12345热线")

    class Status(models.TextChoices):
        UNTRIAGED = "untriaged", _("待处理")
        HANDLED = "handled", _("已处理")
        PROPOSAL = "proposal", _("转建议")
        HOTLINE = "hotline", _("转12345")
        UNFEASIBLE = "unfeasible", _("无法落实")

    # The triage state machine (赫山区 practice). 转12345 waits for the hotline's result, which closes it.
    TRANSITIONS = {
        Status.UNTRIAGED: {Status.HANDLED, Status.PROPOSAL, Status.HOTLINE, Status.UNFEASIBLE},
        Status.HOTLINE: {Status.HANDLED, Status.UNFEASIBLE},
        Status.HANDLED: set(),
        Status.PROPOSAL: set(),
        Status.UNFEASIBLE: set(),
    }
    STATUS_CHANGES = "status_changes"
    TRANSITION_REFUSED = _("这条意见当前为“%(current)s”，不能改为“%(requested)s”。")

    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True, editable=False)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.QR, db_index=True)
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True, db_index=True)
    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("反映给代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属区域"),
        on_delete=models.PROTECT,
        related_name="opinions",
        help_text=_("联络站所在区域，或代表所在人大的区域；用于工作人员的范围。"),
    )
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("接待日"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    category = models.ForeignKey(
        OpinionCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="opinions"
    )
    content = models.TextField(_("意见内容"), max_length=2000)
    citizen_name = models.CharField(_("群众姓名"), max_length=32, blank=True)
    mobile = EncryptedMobileField(_("手机号"), blank=True)
    mobile_hash = MobileHashField(_("手机号摘要"), db_index=True)
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True, db_index=True, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.UNTRIAGED, db_index=True)
    outcome_note = models.TextField(
        _("处理情况"), blank=True, help_text=_("已处理时写明做了什么；无法落实时写明原因。群众在查询页可以看到。")
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    triaged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personal_data_erased_at = models.DateTimeField(_("个人信息清除时间"), null=True, blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("转成的代表建议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_opinions",
        help_text=_("转建议时起草的建议；建议的来源标识为 opinion:<查询码>。"),
    )

    objects = OpinionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        constraints = [
            models.CheckConstraint(
                condition=Q(station__isnull=False) | Q(deputy__isnull=False), name="opinion_has_station_or_deputy"
            ),
        ]
        indexes = [
            models.Index(fields=["content_hash", "created_at"], name="opinion_dedupe"),
            # The lists' order (selectors.OPINION_KEYS): keyset pages read it backwards from their cursor.
            models.Index(fields=["created_at", "id"], name="opinion_created_id"),
            # Open311's requests.json: the hotline's requests of a window (a day's poll read 91,000 entries of the
            # source index to find 80).
            models.Index(fields=["source", "created_at"], name="opinion_source_created"),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def masked_mobile(self):
        return mask_mobile(self.mobile)

    def get_absolute_url(self):
        """The staff's page of the opinion (citizens follow theirs by tracking code)."""
        return object_url("stations:opinion_detail", self.pk)

    @property
    def is_triaged(self):
        return self.status != self.Status.UNTRIAGED


class OpinionPhoto(TimeStampedModel):
    opinion = models.ForeignKey(Opinion, verbose_name=_("群众意见"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("照片"),
        upload_to="opinions/%Y/%m/",
        validators=[UploadCheck(PHOTOS, max_bytes=PHOTO_MAX_BYTES, extension_required=False)],
    )
    content_type = models.CharField(_("文件类型"), max_length=32)
    size = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        ordering = ["opinion", "id"]
        verbose_name = _("意见照片")
        verbose_name_plural = _("意见照片")

    def __str__(self):
        return self.image.name


class OpinionStatusChange(StatusChange):
    """One step of an opinion's state machine; ``note`` is what the citizen reads on the tracking page."""

    opinion = models.ForeignKey(
        Opinion, verbose_name=_("群众意见"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=Opinion.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Opinion.Status.choices)
    notified_at = models.DateTimeField(_("短信通知时间"), null=True, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("意见状态变更")
        verbose_name_plural = _("意见状态变更")

    def __str__(self):
        return f"{self.opinion} {self.from_status} → {self.to_status}"
