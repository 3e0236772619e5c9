"""Deputies' proposals (建议、批评和意见 and 议案) through 提 → 交 → 办 → 督.

The status field follows ``Proposal.TRANSITIONS`` (beside its ``Status``); every change goes through
:func:`liaison.workflow.transition`, called by a service in ``proposals.services``, and leaves a
:class:`ProposalStatusChange` row.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.access import InRegion, OwnOrganization, Role, ScopedQuerySet, Via, in_region
from liaison.links import object_url
from liaison.models import Organization, Region, TimeStampedModel
from liaison.uploads import DOCUMENTS, UploadCheck
from liaison.workflow import StatusChange, register

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # a proposal's attachment


def _proposals_in_region(queryset, user):
    """Staff: their region subtree's proposals, drafts excepted."""
    return queryset.filter(in_region("region", user.region)).exclude(status=Proposal.Status.DRAFT)


def _proposals_of_unit(queryset, user):
    """A unit: the proposals assigned to it (not drafts), and for a special committee the proposals its joint
    supervisions follow (read-only: every action checks the unit's own assignment)."""
    assigned = Assignment.objects.filter(unit_id=user.organization_id).values("proposal_id")
    supervised = JointSupervision.proposals.through.objects.filter(
        jointsupervision__committee_id=user.organization_id
    ).values("proposal_id")
    return queryset.filter(Q(pk__in=assigned) | Q(pk__in=supervised))


def _proposals_of_deputy(queryset, user):
    """A deputy: where lead or co-signer."""
    cosigned = CoSigner.objects.filter(deputy__user=user).values("proposal_id")
    return queryset.filter(Q(lead_deputy__user=user) | Q(pk__in=cosigned))


class ProposalQuerySet(ScopedQuerySet):
    """Staff: their region's subtree; unit: proposals assigned to it or supervised by it; deputy: where lead or
    co-signer; station manager: the drafts they started."""

    access = {
        Role.STAFF: InRegion(rule=_proposals_in_region),
        Role.UNIT: OwnOrganization(rule=_proposals_of_unit),
        Role.DEPUTY: _proposals_of_deputy,
        Role.STATION_MANAGER: "created_by",
    }


@register
class Proposal(TimeStampedModel):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("建议、批评和意见")
        BILL = "bill", _("议案")

    class Origin(models.TextChoices):
        DEPUTY = "deputy", _("代表提出")
        OPINION = "opinion", _("群众意见转建议")
        IMPORT = "import", _("历史导入")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        REVISION = "revision", _("退回修改")
        ACCEPTED = "accepted", _("已立案待交办")
        MERGED = "merged", _("已并案")
        TRANSFERRED = "transferred", _("已转办")
        RETURNED = "returned", _("不予立案")
        WITHDRAWN = "withdrawn", _("已撤回")
        ASSIGNED = "assigned", _("办理中")
        REPLIED = "replied", _("已答复待评价")
        REHANDLING = "rehandling", _("二次交办")
        TRACKING = "tracking", _("跟踪督办")
        SATISFIED = "satisfied", _("代表满意")
        STAFF_CLOSED = "staff_closed", _("工委确认办结")
        CLOSED = "closed", _("已办结")

    # The workflow. A status not listed as a key is final.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {
            Status.ACCEPTED,
            Status.MERGED,
            Status.REVISION,
            Status.TRANSFERRED,
            Status.RETURNED,
            Status.WITHDRAWN,
        },
        Status.REVISION: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.ACCEPTED: {Status.ASSIGNED, Status.MERGED},
        Status.ASSIGNED: {Status.REPLIED},
        Status.REPLIED: {Status.SATISFIED, Status.TRACKING, Status.REHANDLING},
        Status.REHANDLING: {Status.REPLIED},
        Status.TRACKING: {Status.SATISFIED, Status.STAFF_CLOSED},
        Status.SATISFIED: {Status.CLOSED},
        Status.STAFF_CLOSED: {Status.CLOSED},
    }
    STATUS_CHANGES = "status_changes"

    class ReplyClass(models.TextChoices):
        A = "A", _("A类（已解决或基本解决）")
        B = "B", _("B类（正在解决或列入计划）")
        C = "C", _("C类（留作参考）")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    number = models.CharField(_("编号"), max_length=32, blank=True, db_index=True)
    congress = models.ForeignKey(
        "deputies.Congress", verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="proposals"
    )
    region = models.ForeignKey(Region, verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="+")
    session = models.CharField(
        _("会议"), max_length=64, blank=True, help_text=_("如“第十六届人大四次会议”；留空为闭会期间。")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.SUGGESTION)
    category = models.CharField(_("分类"), max_length=32, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices, default=Origin.DEPUTY)
    origin_reference = models.CharField(_("来源标识"), max_length=100, blank=True)
    lead_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("领衔代表"), on_delete=models.PROTECT, related_name="led_proposals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    transfer_target = models.CharField(_("转交机关"), max_length=128, blank=True)
    reply_class = models.CharField(_("答复类别"), max_length=1, choices=ReplyClass.choices, blank=True, db_index=True)
    promised_on = models.DateField(_("承诺解决日期"), null=True, blank=True)
    rating = models.CharField(_("满意度"), max_length=16, choices=Rating.choices, blank=True, db_index=True)
    rehandle_count = models.PositiveSmallIntegerField(_("二次交办次数"), default=0)
    is_key_supervised = models.BooleanField(_("重点督办"), default=False, db_index=True)
    key_supervision_leaders = models.CharField(_("督办领导"), max_length=200, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        indexes = [
            models.Index(fields=["region", "status"], name="proposal_region_status"),
            # The lists' order (selectors.LIST_KEYS): keyset pages read it backwards from their cursor. Staff lists
            # never show drafts (NULL submitted_at, first in that order): the partial index leaves them out.
            models.Index(fields=["submitted_at", "id"], name="proposal_submitted_id", condition=~Q(status="draft")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="proposal_merged_has_survivor"
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="proposal_not_merged_into_self"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return object_url("proposals:detail", self.pk)

    @property
    def session_display(self):
        return self.session or _("闭会期间")

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


S = Proposal.Status

# The workflow table, for code that reads it without the model.
TRANSITIONS = Proposal.TRANSITIONS

# Statuses in which the handling units work on the proposal.
HANDLING_STATUSES = (S.ASSIGNED, S.REHANDLING)

# Statuses in which the lead unit records the 办后 contact (the deputy's feedback on the reply): after the reply,
# until 办结.
AFTER_CONTACT_STATUSES = (S.REPLIED, S.TRACKING, S.SATISFIED, S.STAFF_CLOSED)

# Statuses in which a special committee may take a proposal up for joint supervision (联合督办): accepted and
# not yet satisfied or closed.
JOINT_SUPERVISION_STATUSES = (S.ACCEPTED, *HANDLING_STATUSES, S.REPLIED, S.TRACKING)


class ProposalStatusChange(StatusChange):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Proposal.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("建议状态变更")
        verbose_name_plural = _("建议状态变更")

    def __str__(self):
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class CoSigner(TimeStampedModel):
    """附议代表. A co-signer added by the lead confirms; deputies of a merged proposal join the survivor confirmed."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="cosigners")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("附议代表"), on_delete=models.PROTECT, related_name="cosigned"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    via_merge = models.BooleanField(_("并案加入"), default=False)

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("附议代表")
        verbose_name_plural = _("附议代表")
        constraints = [models.UniqueConstraint(fields=["proposal", "deputy"], name="cosigner_unique")]

    def __str__(self):
        return str(self.deputy)


class Attachment(TimeStampedModel):
    class Purpose(models.TextChoices):
        PROPOSAL = "proposal", _("建议附件")
        REPLY = "reply", _("答复附件")

    proposal = models.ForeignKey(Proposal, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="attachments")
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices, default=Purpose.PROPOSAL)
    file = models.FileField(
        _("文件"), upload_to="proposals/%Y/%m/", validators=[UploadCheck(DOCUMENTS, max_bytes=MAX_ATTACHMENT_BYTES)]
    )
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_withdrawn = models.BooleanField(_("已撤回"), default=False)

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.name


class AssignmentMeeting(TimeStampedModel):
    """交办会."""

    region = models.ForeignKey(Region, verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=128)
    held_on = models.DateField(_("召开日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("交办会")
        verbose_name_plural = _("交办会")

    def __str__(self):
        return self.title


class AssignmentQuerySet(ScopedQuerySet):
    access = {
        Role.STAFF: InRegion("proposal__region"),
        Role.UNIT: OwnOrganization("unit_id"),
        Role.DEPUTY: Via("proposal"),
    }

    def open(self):
        """Still owing work: the proposal is being handled and this unit has not answered in this round."""
        return self.filter(proposal__status__in=HANDLING_STATUSES, completed_at__isnull=True)


class Assignment(TimeStampedModel):
    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    proposal = models.ForeignKey(Proposal, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(
        Organization, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="proposal_assignments"
    )
    role = models.CharField(_("承办方式"), max_length=8, choices=Role.choices, db_index=True)
    meeting = models.ForeignKey(
        AssignmentMeeting,
        verbose_name=_("交办会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("答复期限"), db_index=True)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    opinion = models.TextField(_("协办意见"), blank=True)
    completed_at = models.DateTimeField(_("本轮完成时间"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "unit"], name="assignment_unique_unit"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(role="lead"), name="assignment_one_lead"),
            models.CheckConstraint(condition=Q(deadline__gt=F("assigned_on")), name="assignment_deadline_after"),
        ]
        # The unit workbench: one unit's assignments by deadline, read in index order.
        indexes = [models.Index(fields=["unit", "deadline", "id"], name="assignment_unit_deadline")]

    def __str__(self):
        return f"{self.proposal} → {self.unit}"


class Contact(TimeStampedModel):
    """办前、办中、办后 contact between a handling unit and the deputy."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("办前")
        DURING = "during", _("办中")
        AFTER = "after", _("办后")

    class Way(models.TextChoices):
        VISIT = "visit", _("登门走访")
        MEETING = "meeting", _("座谈")
        SITE = "site", _("现场察看")
        PHONE = "phone", _("电话")
        OTHER = "other", _("其他")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.PROTECT, related_name="contacts"
    )
    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices)
    way = models.CharField(_("方式"), max_length=8, choices=Way.choices)
    contacted_on = models.DateField(_("日期"))
    summary = models.TextField(_("情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contacted_on", "id"]
        verbose_name = _("沟通联系")
        verbose_name_plural = _("沟通联系")

    def __str__(self):
        return f"{self.get_stage_display()} {self.contacted_on}"


class Reply(TimeStampedModel):
    """One written reply of the lead unit, one per handling round; the deputy's rating is kept on it."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="replies")
    unit = models.ForeignKey(Organization, verbose_name=_("答复单位"), on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    reply_class = models.CharField(_("答复类别"), max_length=1, choices=Proposal.ReplyClass.choices)
    text = models.TextField(_("答复内容"))
    promised_on = models.DateField(_("承诺解决日期"), null=True, blank=True)
    replied_on = models.DateField(_("答复日期"))
    on_time = models.BooleanField(_("按期答复"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.CharField(_("满意度"), max_length=16, choices=Proposal.Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["proposal", "round"]
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="reply_one_per_round"),
            models.CheckConstraint(
                condition=~Q(reply_class="B") | Q(promised_on__isnull=False), name="reply_b_has_promise"
            ),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.reply_class}"


class JointSupervisionQuerySet(ScopedQuerySet):
    """Staff: items of committees in their region's subtree; a committee's users: their committee's items."""

    access = {Role.STAFF: InRegion("committee__region"), Role.UNIT: OwnOrganization("committee_id")}


@register
class JointSupervision(TimeStampedModel):
    """联合督办: a special committee follows a set of proposals and logs its site visits."""

    class Status(models.TextChoices):
        OPEN = "open", _("督办中")
        CLOSED = "closed", _("督办结束")

    TRANSITIONS = {Status.OPEN: {Status.CLOSED}}
    STATUS_CHANGES = None  # its end is recorded on each proposal's timeline
    TRANSITION_REFUSED = _("联合督办已经结束。")

    committee = models.ForeignKey(
        Organization, verbose_name=_("专门委员会"), on_delete=models.PROTECT, related_name="joint_supervisions"
    )
    title = models.CharField(_("督办主题"), max_length=128)
    focus = models.TextField(_("督办重点"), blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    conclusion = models.TextField(_("督办结论"), blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    proposals = models.ManyToManyField(Proposal, verbose_name=_("督办建议"), related_name="joint_supervisions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = JointSupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("联合督办")
        verbose_name_plural = _("联合督办")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="joint_supervision_closed_has_time"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return object_url("proposals:supervision_detail", self.pk)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class SiteVisit(TimeStampedModel):
    """现场督办: one visit of a joint supervision — where, who, what was found and what must follow."""

    supervision = models.ForeignKey(
        JointSupervision, verbose_name=_("联合督办"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=128)
    participants = models.CharField(_("参加人员"), max_length=300, blank=True)
    summary = models.TextField(_("督办情况"))
    findings = models.TextField(_("发现问题"), blank=True)
    follow_ups = models.TextField(_("跟进事项"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = _("现场督办")
        verbose_name_plural = _("现场督办")

    def __str__(self):
        return f"{self.place} {self.visited_on}"
