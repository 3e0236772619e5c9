"""Livelihood-project votes (民生实事人大代表票决制): collect → vote → supervise → evaluate.

Secret ballot: how "who voted" and "what was voted" are kept apart
==================================================================

Two tables hold a vote, and nothing in either joins a row of one to a row of the other:

* :class:`BallotReceipt` (参与记录) says *that* a seat voted in a session: ``session``, ``membership``, ``channel``.
  It has a random UUID primary key, **no timestamp** and no sequence. The database constraint
  ``UNIQUE (session, membership)`` is the one-deputy-one-ballot rule.
* :class:`Ballot` (选票) says *what* was voted: the choice per candidate, the channel, the hash chain. It has a
  random UUID primary key, **no deputy/user/membership column, no created_at/updated_at**, and a sequence number
  that only orders the hash chain.

Casting writes the receipt and the ballot in one transaction (the unique receipt guards the ballot: if the receipt
cannot be written, no ballot is). Why that is not enough on its own, and what else we do:

* Sequence vs. insertion order. ``Ballot.seq`` is the casting order. Receipts carry no sequence, but their
  physical order in the heap (``ctid``) and any auto-increment id or creation time would repeat the casting order
  and join them to ``seq`` by rank. So receipts have a UUID key and no time, and closing a session rewrites the
  session's receipts in a random order (delete + insert shuffled, one transaction) and VACUUMs the table.
* Transaction ids. On PostgreSQL each row carries ``xmin``, the id of the transaction that wrote it; receipt and
  ballot written together share it. Closing rewrites the session's ballots and receipts (``sealed = true``), so
  afterwards every row of both tables carries the close transaction's ``xmin``; the VACUUM after commit drops the
  old row versions. A test checks the single ``xmin`` after closing.
* Audit log. A cast writes **no** audit row (an audit row has an actor and a precise time, which would rebuild the
  casting order). The close writes one row with the counts and the final hash.
* Duty records. The ``DutyKind.VOTE`` record is added at close for every seat with a receipt, all with the
  meeting date: adding it at cast time would stamp the casting time next to the deputy.
* Paper ballots. Staff record that a deputy took a paper ballot (a receipt with channel ``paper``) and later enter
  the anonymous paper ballots by their printed serial number (unique per session, so each is entered once).
  Serial numbers must not be assigned to named deputies when handed out.
* Reported channel counts. Electronic and paper counts are published separately. If only one or two deputies use a
  channel, those few ballots' content is what they voted: that leak is inherent in publishing the split.
* What the schema cannot stop: whoever operates the live server during the vote (web server access logs, database
  statement logs, WAL, watching ``xmin`` before the close) can correlate a request with a ballot. An
  operator-proof secret ballot needs cryptographic voting (blind signatures, mix-nets), which is out of scope.
  The cast response does not return the ballot's hash, so a deputy cannot prove to a third party how they voted.

Tamper evidence
===============

Each ballot's ``hash = sha256(previous_hash + canonical_content + session salt)`` where ``canonical_content`` is
the sorted compact JSON of ``{seq, channel, paper_serial, choices}``; the first ballot chains from the session's
random salt. Closing computes the tally and the final hash, stores both on the session and in the append-only audit
log, and publishes them on the public result page. ``manage.py verify_vote <session_id>`` recomputes chain and tally
from the stored ballots and fails if a ballot was edited, added or removed.

Rounds
======

A tie at the boundary (the N-th and N+1-th candidate with equal 赞成 and both above the majority) leaves the tied
candidates undecided; a re-vote round is a child session (``parent``, ``round_number`` + 1) with copies of the tied
candidates (``origin``) and the seats still open, and the same checked-in deputies.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.access import InRegion, OwnOrganization, Role, ScopedQuerySet, Through
from liaison.links import object_url
from liaison.models import Organization, TimeStampedModel
from liaison.uploads import UploadCheck
from liaison.workflow import StatusChange, register

PHOTO_KINDS = ("jpeg", "png", "webp")  # a progress report's photos
PHOTO_MAX_BYTES = 5 * 1024 * 1024


class VoteSessionQuerySet(ScopedQuerySet):
    access = {
        Role.STAFF: InRegion("congress__region"),
        Role.DEPUTY: Through("congress__memberships__deputy__user", distinct=True),
    }

    def public(self):
        return self.filter(status__in=[VoteSession.Status.CLOSED, VoteSession.Status.PUBLISHED])


@register
class VoteSession(TimeStampedModel):
    """One vote at a congress meeting: choose ``seats`` projects among the candidates."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已计票")
        PUBLISHED = "published", _("已公布")

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.PUBLISHED},
    }
    STATUS_CHANGES = "status_changes"
    TRANSITION_REFUSED = _("当前状态为「%(current)s」，不能变更为「%(requested)s」。")

    class MajorityBase(models.TextChoices):
        ALL_DEPUTIES = "all", _("全体代表过半数")
        PRESENT_DEPUTIES = "present", _("出席代表过半数")

    congress = models.ForeignKey(
        "deputies.Congress", verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="vote_sessions"
    )
    title = models.CharField(_("名称"), max_length=120)
    meeting = models.CharField(_("会议"), max_length=120, help_text=_("如：永安镇第十九届人民代表大会第三次会议"))
    meeting_date = models.DateField(_("会议日期"))
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    seats = models.PositiveSmallIntegerField(_("应选项目数"))
    margin_ratio = models.PositiveSmallIntegerField(
        _("差额比例（%）"),
        null=True,
        blank=True,
        help_text=_("留空时候选项目至少比应选多 1 个；填写时候选项目数还须不少于应选数 ×（1 + 比例）。"),
    )
    majority_base = models.CharField(
        _("通过标准"), max_length=16, choices=MajorityBase.choices, default=MajorityBase.ALL_DEPUTIES
    )
    allow_self_checkin = models.BooleanField(_("允许代表自助签到"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    candidates_locked_at = models.DateTimeField(_("候选清单锁定时间"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上一轮"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revotes",
    )
    round_number = models.PositiveSmallIntegerField(_("轮次"), default=1)
    chain_salt = models.CharField(_("哈希链盐值"), max_length=64, blank=True, editable=False)
    electorate_size = models.PositiveIntegerField(_("全体代表数"), default=0, editable=False)
    present_count = models.PositiveIntegerField(_("出席代表数"), default=0, editable=False)
    ballots_cast = models.PositiveIntegerField(_("收回选票数"), default=0, editable=False)
    electronic_ballots = models.PositiveIntegerField(_("电子票数"), default=0, editable=False)
    paper_ballots = models.PositiveIntegerField(_("纸质票数"), default=0, editable=False)
    majority_threshold = models.PositiveIntegerField(_("通过所需赞成票"), default=0, editable=False)
    tie_detected = models.BooleanField(_("存在平票"), default=False, editable=False)
    final_hash = models.CharField(_("最终哈希"), max_length=64, blank=True, editable=False)
    opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("计票时间"), null=True, blank=True, editable=False)

    objects = VoteSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-id"]
        verbose_name = _("票决会议")
        verbose_name_plural = _("票决会议")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="votesession_seats_positive"),
            models.UniqueConstraint(
                fields=["parent", "round_number"], condition=Q(parent__isnull=False), name="votesession_unique_round"
            ),
        ]

    def __str__(self):
        if self.round_number > 1:
            return f"{self.title}（第{self.round_number}轮）"
        return self.title

    def get_absolute_url(self):
        return object_url("votes:session_detail", self.pk)

    @property
    def min_candidates(self):
        """The margin rule (差额): at least N+1, and at least N × (1 + ratio) rounded up when a ratio is set."""
        minimum = self.seats + 1
        if self.margin_ratio:
            minimum = max(minimum, -(-self.seats * (100 + self.margin_ratio) // 100))
        return minimum

    @property
    def is_public(self):
        return self.status in (self.Status.CLOSED, self.Status.PUBLISHED)


class VoteSessionStatusChange(StatusChange):
    session = models.ForeignKey(
        VoteSession, verbose_name=_("票决会议"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=VoteSession.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=VoteSession.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("票决会议状态变更")
        verbose_name_plural = _("票决会议状态变更")


class Candidate(TimeStampedModel):
    """A candidate project (项目征评) on the government's list for a session."""

    class Source(models.TextChoices):
        CITIZEN = "citizen", _("群众征集")
        DEPUTY = "deputy", _("代表提出")
        DEPARTMENT = "department", _("部门申报")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待表决")
        PASSED = "passed", _("当选")
        FAILED = "failed", _("未当选")
        TIE = "tie", _("平票待重新表决")

    session = models.ForeignKey(
        VoteSession, verbose_name=_("票决会议"), on_delete=models.CASCADE, related_name="candidates"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("项目名称"), max_length=120)
    description = models.TextField(_("项目内容"))
    budget = models.DecimalField(_("预算（万元）"), max_digits=12, decimal_places=2)
    department = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="vote_candidates"
    )
    timeline = models.CharField(_("实施期限"), max_length=120)
    beneficiaries = models.CharField(_("受益群众"), max_length=200)
    source = models.CharField(_("项目来源"), max_length=16, choices=Source.choices)
    source_detail = models.CharField(_("来源说明"), max_length=200, blank=True)
    origin = models.ForeignKey(
        "self",
        verbose_name=_("原候选项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revote_copies",
    )
    votes_for = models.PositiveIntegerField(_("赞成"), default=0, editable=False)
    votes_against = models.PositiveIntegerField(_("反对"), default=0, editable=False)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0, editable=False)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING, db_index=True, editable=False
    )

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        constraints = [
            models.UniqueConstraint(fields=["session", "title"], name="candidate_unique_title"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="candidate_budget_not_negative"),
        ]

    def __str__(self):
        return self.title


class CheckIn(models.Model):
    """Attendance at the meeting (签到). Only checked-in deputies vote."""

    class Method(models.TextChoices):
        STAFF = "staff", _("工作人员登记")
        SELF = "self", _("代表自助签到")

    session = models.ForeignKey(
        VoteSession, verbose_name=_("票决会议"), on_delete=models.CASCADE, related_name="checkins"
    )
    membership = models.ForeignKey(
        "deputies.Membership", verbose_name=_("代表资格"), on_delete=models.PROTECT, related_name="vote_checkins"
    )
    method = models.CharField(_("签到方式"), max_length=8, choices=Method.choices)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("签到时间"), auto_now_add=True)

    class Meta:
        ordering = ["session", "created_at"]
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["session", "membership"], name="checkin_unique_seat")]

    def __str__(self):
        return f"{self.membership} @ {self.session}"


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("电子投票")
    PAPER = "paper", _("纸质选票")


class BallotReceipt(models.Model):
    """That a seat voted (参与记录). No time, no sequence, random key: see the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        VoteSession, verbose_name=_("票决会议"), on_delete=models.PROTECT, related_name="receipts"
    )
    membership = models.ForeignKey(
        "deputies.Membership", verbose_name=_("代表资格"), on_delete=models.PROTECT, related_name="vote_receipts"
    )
    channel = models.CharField(_("投票方式"), max_length=16, choices=Channel.choices)
    sealed = models.BooleanField(_("已封存"), default=False, editable=False)

    class Meta:
        ordering = ["session", "membership"]
        verbose_name = _("投票参与记录")
        verbose_name_plural = _("投票参与记录")
        constraints = [
            models.UniqueConstraint(fields=["session", "membership"], name="ballotreceipt_one_per_seat"),
        ]

    def __str__(self):
        return f"{self.membership} · {self.session}"


class Ballot(models.Model):
    """What was voted (选票). No deputy, no time: see the module docstring."""

    class Choice(models.TextChoices):
        FOR = "for", _("赞成")
        AGAINST = "against", _("反对")
        ABSTAIN = "abstain", _("弃权")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        VoteSession, verbose_name=_("票决会议"), on_delete=models.PROTECT, related_name="ballots"
    )
    seq = models.PositiveIntegerField(_("链序号"))
    channel = models.CharField(_("投票方式"), max_length=16, choices=Channel.choices)
    paper_serial = models.CharField(_("纸质选票编号"), max_length=32, blank=True)
    choices = models.JSONField(_("表决内容"), help_text=_("{候选项目编号: for/against/abstain}"))
    previous_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)
    sealed = models.BooleanField(_("已封存"), default=False, editable=False)

    class Meta:
        ordering = ["session", "seq"]
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="ballot_unique_seq"),
            models.UniqueConstraint(
                fields=["session", "paper_serial"], condition=~Q(paper_serial=""), name="ballot_unique_paper_serial"
            ),
        ]

    def __str__(self):
        return f"{self.session_id}#{self.seq}"


# Supervise and evaluate ---------------------------------------------------------------------------------------


class ProjectQuerySet(ScopedQuerySet):
    access = {
        Role.STAFF: InRegion("session__congress__region"),
        Role.UNIT: OwnOrganization("department_id"),
        Role.DEPUTY: Through("session__congress__memberships__deputy__user", distinct=True),
    }


@register
class Project(TimeStampedModel):
    """A chosen livelihood project (民生实事项目) under supervision."""

    class Status(models.TextChoices):
        IMPLEMENTING = "implementing", _("实施中")
        FINISHED = "finished", _("已完成")

    TRANSITIONS = {Status.IMPLEMENTING: {Status.FINISHED}}
    STATUS_CHANGES = "status_changes"
    TRANSITION_REFUSED = _("当前状态为「%(current)s」，不能变更为「%(requested)s」。")

    candidate = models.OneToOneField(
        Candidate, verbose_name=_("候选项目"), on_delete=models.PROTECT, related_name="project"
    )
    session = models.ForeignKey(
        VoteSession, verbose_name=_("票决会议"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("项目名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    budget = models.DecimalField(_("预算（万元）"), max_digits=12, decimal_places=2)
    department = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="vote_projects"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.IMPLEMENTING, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    supervisors = models.ManyToManyField(
        "deputies.Membership", verbose_name=_("监督小组"), blank=True, related_name="supervised_vote_projects"
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "session", "title"]
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max_100")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return object_url("votes:project_public", self.pk)


class ProjectStatusChange(StatusChange):
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=Project.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Project.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("项目状态变更")
        verbose_name_plural = _("项目状态变更")


class Milestone(TimeStampedModel):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on", "id"]
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")

    def __str__(self):
        return self.title


class ProgressReport(TimeStampedModel):
    """The responsible department's progress report (政府报告进展)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报告人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "-created_at", "-id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progressreport_percent_max_100")]

    def __str__(self):
        return f"{self.project} {self.percent}%"


class ProgressPhoto(TimeStampedModel):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(
        _("照片"),
        upload_to="votes/progress/%Y/%m/",
        validators=[UploadCheck(PHOTO_KINDS, max_bytes=PHOTO_MAX_BYTES, extension_required=False)],
    )

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")

    def __str__(self):
        return self.image.name


class Inspection(TimeStampedModel):
    """An inspection by the supervision group (监督检查)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="inspections")
    occurred_on = models.DateField(_("检查日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    findings = models.TextField(_("检查情况与意见"))
    participants = models.ManyToManyField(
        "deputies.Membership", verbose_name=_("参加代表"), related_name="vote_inspections"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "-occurred_on", "-id"]
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")

    def __str__(self):
        return f"{self.project} {self.occurred_on}"


class ListItem(TimeStampedModel):
    """One line of the "三单": congress work list, government responsibility list, deputy duty list."""

    class Kind(models.TextChoices):
        CONGRESS_WORK = "congress_work", _("人大工作清单")
        GOVERNMENT_RESPONSIBILITY = "government", _("政府责任清单")
        DEPUTY_DUTY = "deputy_duty", _("代表履职清单")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="list_items")
    kind = models.CharField(_("清单"), max_length=16, choices=Kind.choices, db_index=True)
    content = models.CharField(_("事项"), max_length=200)
    responsible = models.CharField(_("责任人/单位"), max_length=120, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    done = models.BooleanField(_("已完成"), default=False)

    class Meta:
        ordering = ["project", "kind", "due_on", "id"]
        verbose_name = _("三单事项")
        verbose_name_plural = _("三单事项")

    def __str__(self):
        return self.content


class SatisfactionRating(TimeStampedModel):
    """A deputy's rating of a finished project (满意度测评), once per seat."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="ratings")
    membership = models.ForeignKey(
        "deputies.Membership", verbose_name=_("代表资格"), on_delete=models.PROTECT, related_name="vote_ratings"
    )
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        constraints = [models.UniqueConstraint(fields=["project", "membership"], name="rating_one_per_seat")]

    def __str__(self):
        return f"{self.project} {self.get_rating_display()}"
