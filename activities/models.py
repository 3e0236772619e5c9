"""Deputies' activities (代表活动): planned by staff, deputies invited, answered, signed in by QR code, then closed.

Closing an activity turns each attendance into a duty record (``source_key="activity:<id>"``), so the existing point
rules count it, once.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from deputies.models import DutyKind
from liaison import status
from liaison.access import InRegion, Role, ScopedQuerySet, Through
from liaison.models import TimeStampedModel
from liaison.uploads import UploadCheck
from liaison.workflow import StatusChange, register

# Deputies may sign in from this long before the start until the end.
SIGN_IN_OPENS_BEFORE = datetime.timedelta(hours=1)


class ActivityQuerySet(ScopedQuerySet):
    access = {
        Role.STAFF: InRegion("congress__region"),
        Role.DEPUTY: Through("invitations__membership__deputy__user", distinct=True),
    }


@register
class Activity(TimeStampedModel):
    """One activity of deputies of a congress: a group activity, an inspection, a 恳谈会, a training session…"""

    class Kind(models.TextChoices):
        GROUP = "group", _("代表小组活动")
        INSPECTION = "inspection", _("视察")
        RESEARCH = "research", _("调研")
        FORUM = "forum", _("恳谈会")
        COURTYARD_FORUM = "courtyard_forum", _("屋场恳谈会")
        TRAINING = "training", _("培训")
        LEGISLATIVE = "legislative", _("立法征询")
        SITTING_IN = "sitting_in", _("列席会议")
        DUAL_CONTACT = "dual_contact", _("双联走访")

    class Status(models.TextChoices):
        PLANNED = "planned", status.label("activity", "planned")
        HELD = "held", status.label("activity", "held")
        CLOSED = "closed", status.label("activity", "closed")
        CANCELLED = "cancelled", status.label("activity", "cancelled")

    TRANSITIONS = {
        Status.PLANNED: {Status.HELD, Status.CANCELLED},
        Status.HELD: {Status.CLOSED},
    }
    STATUS_CHANGES = "status_changes"
    TRANSITION_REFUSED = _("活动当前为「%(current)s」，不能变更为「%(requested)s」。")

    # The duty kind an attendance is recorded as (the point rules are per duty kind).
    DUTY_KINDS = {
        Kind.GROUP: DutyKind.GROUP_ACTIVITY,
        Kind.INSPECTION: DutyKind.INSPECTION,
        Kind.RESEARCH: DutyKind.INSPECTION,
        Kind.FORUM: DutyKind.GROUP_ACTIVITY,
        Kind.COURTYARD_FORUM: DutyKind.GROUP_ACTIVITY,
        Kind.TRAINING: DutyKind.TRAINING,
        Kind.LEGISLATIVE: DutyKind.OTHER,
        Kind.SITTING_IN: DutyKind.OTHER,
        Kind.DUAL_CONTACT: DutyKind.DUAL_CONTACT,
    }

    congress = models.ForeignKey(
        "deputies.Congress", verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="activities"
    )
    group = models.ForeignKey(
        "deputies.DeputyGroup",
        verbose_name=_("代表小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("活动名称"), max_length=120)
    place = models.CharField(_("地点"), max_length=128)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    agenda = models.TextField(_("议程"), blank=True)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("结束登记时间"), null=True, blank=True)
    minutes = models.TextField(_("活动纪要"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("纪要登记时间"), null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("代表活动")
        verbose_name_plural = _("代表活动")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
        ]
        indexes = [models.Index(fields=["congress", "-starts_at"], name="activity_congress_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("activities:detail", args=[self.pk])

    @property
    def duty_kind(self):
        return self.DUTY_KINDS[self.Kind(self.kind)]

    @property
    def sign_in_opens_at(self):
        return self.starts_at - SIGN_IN_OPENS_BEFORE


class ActivityStatusChange(StatusChange):
    activity = models.ForeignKey(
        Activity, verbose_name=_("代表活动"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=Activity.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Activity.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("代表活动状态变更")
        verbose_name_plural = _("代表活动状态变更")


class InvitationQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("activity__congress__region"), Role.DEPUTY: "membership__deputy__user"}


class Invitation(TimeStampedModel):
    """A deputy's seat invited to an activity, and the deputy's answer."""

    class Response(models.TextChoices):
        PENDING = "pending", _("未答复")
        ATTEND = "attend", _("参加")
        EXCUSED = "excused", _("请假")

    activity = models.ForeignKey(
        Activity, verbose_name=_("代表活动"), on_delete=models.PROTECT, related_name="invitations"
    )
    membership = models.ForeignKey(
        "deputies.Membership", verbose_name=_("代表资格"), on_delete=models.PROTECT, related_name="activity_invitations"
    )
    response = models.CharField(
        _("答复"), max_length=16, choices=Response.choices, default=Response.PENDING, db_index=True
    )
    reason = models.CharField(_("请假原因"), max_length=200, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "membership__deputy__name", "id"]
        verbose_name = _("活动邀请")
        verbose_name_plural = _("活动邀请")
        constraints = [
            models.UniqueConstraint(fields=["activity", "membership"], name="invitation_unique_seat"),
            models.CheckConstraint(
                condition=~Q(response="excused") | ~Q(reason=""), name="invitation_excused_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.membership.deputy}"


class AttendanceQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("activity__congress__region"), Role.DEPUTY: "membership__deputy__user"}


class Attendance(TimeStampedModel):
    """A deputy present at an activity (签到): by scanning the activity's QR code, or recorded by staff."""

    class How(models.TextChoices):
        QR = "qr", _("扫码签到")
        STAFF = "staff", _("工作人员登记")

    activity = models.ForeignKey(
        Activity, verbose_name=_("代表活动"), on_delete=models.PROTECT, related_name="attendances"
    )
    membership = models.ForeignKey(
        "deputies.Membership", verbose_name=_("代表资格"), on_delete=models.PROTECT, related_name="activity_attendances"
    )
    signed_in_at = models.DateTimeField(_("签到时间"))
    how = models.CharField(_("签到方式"), max_length=8, choices=How.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "signed_in_at", "id"]
        verbose_name = _("活动签到")
        verbose_name_plural = _("活动签到")
        constraints = [models.UniqueConstraint(fields=["activity", "membership"], name="attendance_unique_seat")]

    def __str__(self):
        return f"{self.activity} · {self.membership.deputy}"


FILE_KINDS = ("pdf", "jpeg", "png", "webp", "doc", "docx")  # minutes, photos, sign-in sheets (liaison.uploads)
FILE_MAX_BYTES = 10 * 1024 * 1024


class ActivityFileQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("activity__congress__region")}


class ActivityFile(TimeStampedModel):
    """A file of an activity's record: the minutes as a document, photos, the paper sign-in sheet."""

    activity = models.ForeignKey(Activity, verbose_name=_("代表活动"), on_delete=models.PROTECT, related_name="files")
    title = models.CharField(_("说明"), max_length=120, blank=True)
    file = models.FileField(
        _("文件"), upload_to="activities/%Y/%m/", validators=[UploadCheck(FILE_KINDS, max_bytes=FILE_MAX_BYTES)]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActivityFileQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "created_at", "id"]
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]


class OutcomeQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("activity__congress__region")}


class Outcome(TimeStampedModel):
    """What came out of an activity: an opinion gathered or a research report, optionally the proposal it became
    (so that adoption, 得到吸纳, can be counted)."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("意见建议")
        REPORT = "report", _("调研报告")

    activity = models.ForeignKey(
        Activity, verbose_name=_("代表活动"), on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(_("成果类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("内容"), blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("转为建议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_outcomes",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "created_at", "id"]
        verbose_name = _("活动成果")
        verbose_name_plural = _("活动成果")

    def __str__(self):
        return self.title
