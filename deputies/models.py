"""Deputies: a person modelled once, each seat in a congress (level + region + term) a membership."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.access import ANYONE, InRegion, Role, ScopedQuerySet, Through, Via, in_region
from liaison.fields import (
    EncryptedMobileField,
    MobileHashField,
    PersonalDataModelMixin,
    PersonalDataQuerySetMixin,
)
from liaison.models import Region, TimeStampedModel
from liaison.privacy import mask_mobile
from liaison.status import label as status_label
from liaison.uploads import UploadCheck
from liaison.workflow import StatusChange, register

ATTACHMENT_KINDS = ("pdf", "jpeg", "png", "doc", "docx", "xls", "xlsx")  # a duty record's file (liaison.uploads)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class Level(models.IntegerChoices):
    NATIONAL = 1, _("全国")
    PROVINCIAL = 2, _("省级")
    CITY = 3, _("市级")
    COUNTY = 4, _("县级")
    TOWNSHIP = 5, _("乡镇级")


class CongressQuerySet(ScopedQuerySet):
    access = {
        Role.STAFF: InRegion("region"),
        Role.DEPUTY: Through("memberships__deputy__user", distinct=True),
    }


class Congress(TimeStampedModel):
    """A people's congress of one region and term, e.g. 株洲市第十六届人民代表大会."""

    region = models.ForeignKey(Region, verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="congresses")
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, db_index=True)
    term = models.PositiveSmallIntegerField(_("届次"))
    name = models.CharField(_("名称"), max_length=100)
    started_on = models.DateField(_("本届开始日期"), null=True, blank=True)
    is_current = models.BooleanField(_("本届"), default=True)

    objects = CongressQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "-term"]
        verbose_name = _("人民代表大会")
        verbose_name_plural = _("人民代表大会")
        constraints = [models.UniqueConstraint(fields=["region", "level", "term"], name="congress_unique_term")]

    def __str__(self):
        return self.name


class DeputyGroup(TimeStampedModel):
    """代表小组 (territorial group) within a congress."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["congress", "name"]
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="deputygroup_unique_name")]

    def __str__(self):
        return self.name


class ProfessionalGroup(TimeStampedModel):
    """代表专业小组: 财政经济、教育、卫健、立法、城建环资、农业农村…"""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="professional_groups"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["congress", "name"]
        verbose_name = _("代表专业小组")
        verbose_name_plural = _("代表专业小组")
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="professionalgroup_unique_name")]

    def __str__(self):
        return self.name


def _deputies_seated_in_region(queryset, user):
    """Staff: the deputies with a seat in a congress of the region subtree (a deputy sits in several congresses)."""
    seated = Membership.objects.filter(in_region("congress__region", user.region)).values("deputy_id")
    return queryset.filter(pk__in=seated)


class DeputyQuerySet(PersonalDataQuerySetMixin, ScopedQuerySet):
    access = {Role.STAFF: InRegion(rule=_deputies_seated_in_region), Role.DEPUTY: "user"}


class Deputy(PersonalDataModelMixin, TimeStampedModel):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    code = models.CharField(_("代表编号"), max_length=32, unique=True, help_text=_("稳定的代表编号，导入时据此匹配。"))
    name = models.CharField(_("姓名"), max_length=64, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=16, default="汉族", blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(_("党派"), max_length=32, blank=True)
    education = models.CharField(_("学历"), max_length=32, blank=True)
    occupation = models.CharField(_("职务职业"), max_length=128, blank=True)
    workplace = models.CharField(_("工作单位"), max_length=128, blank=True)
    sector = models.CharField(_("界别"), max_length=32, blank=True)
    mobile = EncryptedMobileField(_("手机号"), blank=True)
    mobile_hash = MobileHashField(_("手机号摘要"), db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )
    public_profile = models.TextField(_("公开简介"), blank=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")

    def __str__(self):
        return self.name

    @property
    def masked_mobile(self):
        return mask_mobile(self.mobile)


class MembershipQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("congress__region"), Role.DEPUTY: "deputy__user"}

    def in_office(self):
        return self.filter(status=Membership.Status.IN_OFFICE)


@register
class Membership(TimeStampedModel):
    """A deputy's seat in one congress."""

    class Status(models.TextChoices):
        IN_OFFICE = "in_office", _("在任")
        TERMINATED = "terminated", _("资格终止")

    TRANSITIONS = {Status.IN_OFFICE: {Status.TERMINATED}}
    STATUS_CHANGES = None  # the termination date and reason are kept on the seat itself

    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="memberships")
    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="memberships"
    )
    electoral_unit = models.CharField(_("原选举单位/选区"), max_length=128, blank=True)
    group = models.ForeignKey(
        DeputyGroup,
        verbose_name=_("代表小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    professional_groups = models.ManyToManyField(
        ProfessionalGroup, verbose_name=_("代表专业小组"), blank=True, related_name="memberships"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.IN_OFFICE, db_index=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    termination_reason = models.CharField(_("终止原因"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["congress", "deputy__name"]
        verbose_name = _("代表资格")
        verbose_name_plural = _("代表资格")
        constraints = [
            models.UniqueConstraint(fields=["deputy", "congress"], name="membership_unique_seat"),
            models.CheckConstraint(
                condition=Q(status="in_office") | Q(terminated_on__isnull=False),
                name="membership_terminated_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.congress}"


class DutyKind(models.TextChoices):
    SESSION = "session", _("出席代表大会会议")
    STATION_RECEPTION = "station_reception", _("进站履职")
    INSPECTION = "inspection", _("视察调研")
    LAW_ENFORCEMENT = "law_enforcement", _("执法检查")
    TRAINING = "training", _("参加培训")
    PROPOSAL = "proposal", _("提出建议议案")
    VOTER_REPORT = "voter_report", _("向选民报告履职")
    DUAL_CONTACT = "dual_contact", _("双联活动")
    GROUP_ACTIVITY = "group_activity", _("代表小组活动")
    VOTE = "vote", _("民生实事票决")
    SUPERVISION = "supervision", _("监督检查")
    ABSENCE = "absence", _("无故缺席")
    OTHER = "other", _("其他")


# The kinds a deputy may register themselves: the others are written by the features that cause them (a session's
# attendance, a proposal, a ballot) or are deductions staff record (unexcused absence).
SELF_REGISTERED_KINDS = (
    DutyKind.STATION_RECEPTION,
    DutyKind.INSPECTION,
    DutyKind.LAW_ENFORCEMENT,
    DutyKind.SUPERVISION,
    DutyKind.TRAINING,
    DutyKind.VOTER_REPORT,
    DutyKind.DUAL_CONTACT,
    DutyKind.GROUP_ACTIVITY,
    DutyKind.OTHER,
)


def self_registered_values():
    """The kinds a deputy may register, by value: the API schema's ``SelfRegisteredDutyKindEnum``
    (SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES; the field describes its enum inline, by value)."""
    return [kind.value for kind in SELF_REGISTERED_KINDS]


class DutyRecordQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("membership__congress__region"), Role.DEPUTY: "membership__deputy__user"}

    def approved(self):
        """The records that count: for points, figures, rankings and the duty file."""
        return self.filter(status=DutyRecord.Status.APPROVED)

    def published(self):
        """What the public duty file shows: approved records staff left public."""
        return self.approved().filter(is_public=True)


@register
class DutyRecord(TimeStampedModel):
    """One activity in a deputy's duty record (履职档案), counted in one congress.

    Staff-entered and generated records are approved from the start; a deputy's own registration (``self_registered``)
    is submitted, and staff of the congress's region approve it or return it with a reason. Only approved records
    count (``DutyRecordQuerySet.approved``).
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", status_label("duty_record", "submitted")
        RETURNED = "returned", status_label("duty_record", "returned")
        APPROVED = "approved", status_label("duty_record", "approved")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
    }
    STATUS_CHANGES = "status_changes"
    TRANSITION_REFUSED = _("该履职登记当前为“%(current)s”，不能转为“%(requested)s”。")

    membership = models.ForeignKey(
        Membership, verbose_name=_("代表资格"), on_delete=models.PROTECT, related_name="duty_records"
    )
    kind = models.CharField(_("履职类型"), max_length=32, choices=DutyKind.choices, db_index=True)
    occurred_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=128, blank=True)
    description = models.TextField(_("内容"), blank=True)
    attachment = models.FileField(
        _("附件"),
        upload_to="duty/%Y/%m/",
        blank=True,
        validators=[UploadCheck(ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)],
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_key = models.CharField(
        _("来源"), max_length=100, blank=True, help_text=_("由其他功能自动生成时的来源标识，如 proposal:12。")
    )
    status = models.CharField(
        _("审核状态"), max_length=16, choices=Status.choices, default=Status.APPROVED, db_index=True
    )
    self_registered = models.BooleanField(_("代表自主登记"), default=False)
    return_reason = models.TextField(_("退回原因"), blank=True)
    is_public = models.BooleanField(
        _("公开"), default=True, help_text=_("审核通过后在公开的代表履职档案中显示；不公开的记录仍计入积分。")
    )

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "source_key"], condition=~Q(source_key=""), name="dutyrecord_unique_source"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="dutyrecord_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="approved") | Q(self_registered=True), name="dutyrecord_review_only_self_registered"
            ),
        ]
        indexes = [models.Index(fields=["membership", "occurred_on"], name="dutyrecord_member_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"


class DutyRecordStatusChange(StatusChange):
    """One step of a self-registered duty record's review; ``note`` is the reason a record was returned."""

    record = models.ForeignKey(
        DutyRecord, verbose_name=_("履职记录"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=DutyRecord.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=DutyRecord.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("履职登记审核记录")
        verbose_name_plural = _("履职登记审核记录")

    def __str__(self):
        return f"{self.record} {self.from_status} → {self.to_status}"


class PointRuleQuerySet(ScopedQuerySet):
    access = {ANYONE: Via("congress")}


class PointRule(TimeStampedModel):
    """Points a kind of activity earns in one congress from ``valid_from`` on; a later rule supersedes it.

    Negative points are deductions (e.g. unexcused absence).
    """

    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="point_rules"
    )
    kind = models.CharField(_("履职类型"), max_length=32, choices=DutyKind.choices)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    valid_from = models.DateField(_("生效日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = PointRuleQuerySet.as_manager()

    class Meta:
        ordering = ["congress", "kind", "-valid_from"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [
            models.UniqueConstraint(fields=["congress", "kind", "valid_from"], name="pointrule_unique_version")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points} ({self.valid_from})"


class DutyStoryQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("region"), Role.DEPUTY: "deputy__user"}

    def published(self):
        return self.filter(status=DutyStory.Status.PUBLISHED)


@register
class DutyStory(TimeStampedModel):
    """A story of a deputy's duty (代表风采), shown on the public pages once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤下")

    TRANSITIONS = {
        Status.PENDING: {Status.PUBLISHED, Status.WITHDRAWN},
        Status.PUBLISHED: {Status.WITHDRAWN},
        Status.WITHDRAWN: {Status.PUBLISHED},
    }
    STATUS_CHANGES = None  # no history of its own: the audit rows record it
    TRANSITION_REFUSED = _("当前状态不能执行此操作。")

    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="stories")
    region = models.ForeignKey(Region, verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    happened_on = models.DateField(_("履职日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DutyStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("代表风采")
        verbose_name_plural = _("代表风采")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="dutystory_published_has_time",
            )
        ]

    def __str__(self):
        return self.title
