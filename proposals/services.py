"""Writes of the proposals app: one service per workflow step.

Every service locks the proposal row (``select_for_update``) before it reads the status and moves it with
:func:`liaison.workflow.transition`, which checks ``Proposal.TRANSITIONS``, writes a :class:`ProposalStatusChange`
row and an audit row.
"""

import calendar
import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import DutyKind, Membership
from deputies.services import duty_record_add_from_source
from liaison import uploads, workflow
from liaison.audit import audit
from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.models import Organization, User
from liaison.reminders.calendar import working_day_on_or_after
from proposals.models import (
    AFTER_CONTACT_STATUSES,
    HANDLING_STATUSES,
    JOINT_SUPERVISION_STATUSES,
    MAX_ATTACHMENT_BYTES,
    Assignment,
    AssignmentMeeting,
    Attachment,
    Contact,
    CoSigner,
    JointSupervision,
    Proposal,
    ProposalStatusChange,
    Reply,
    SiteVisit,
)

S = Proposal.Status
DEFAULT_DEADLINE_MONTHS = 3
MAX_DEADLINE_MONTHS = 6


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def statutory_deadline(assigned_on):
    """Three months after assignment; when that day is a rest day (holiday schedule or weekend), the next working
    day (liaison.reminders.calendar, which reads the holiday schedules staff enter before chinesecalendar)."""
    return working_day_on_or_after(add_months(assigned_on, DEFAULT_DEADLINE_MONTHS))


# ---------------------------------------------------------------- guards


def _lock(proposal):
    return workflow.lock(Proposal.objects.select_related("region", "congress"), proposal.pk)


def _move(proposal, to_status, *, actor, note="", action=None):
    workflow.transition(proposal, to_status, actor=actor, note=note, action=action)
    return proposal


def _require_staff(actor, proposal=None):
    if not (actor.is_superuser or actor.role == User.Role.STAFF):
        raise PermissionDenied(_("仅限人大联络工作人员操作。"), code="staff_only")
    if proposal is not None and not actor.is_superuser and not proposal.region.is_within(actor.region):
        raise PermissionDenied(_("该建议不在您的管辖范围内。"), code="out_of_scope")


def _require_lead_deputy(actor, proposal):
    if proposal.lead_deputy.user_id != actor.pk:
        raise PermissionDenied(_("只有领衔代表可以进行此操作。"), code="not_lead_deputy")


def _require_not_closed(proposal):
    if proposal.status == S.CLOSED:
        raise ApplicationError(_("建议已办结，不能再修改。"), code="proposal_closed", status_code=409)


def _assignment_of(actor, proposal, *, role=None):
    if actor.role != User.Role.UNIT or not actor.organization_id:
        raise PermissionDenied(_("仅限承办单位用户操作。"), code="unit_only")
    assignment = Assignment.objects.select_for_update().filter(proposal=proposal, unit_id=actor.organization_id).first()
    if assignment is None:
        raise PermissionDenied(_("该建议未交办给本单位。"), code="not_assigned")
    if role is not None and assignment.role != role:
        if role == Assignment.Role.LEAD:
            raise PermissionDenied(_("只有主办单位可以答复。"), code="not_lead_unit")
        raise PermissionDenied(_("只有协办单位可以提出协办意见。"), code="not_co_unit")
    return assignment


def _require_handling(proposal):
    if proposal.status not in HANDLING_STATUSES:
        _require_not_closed(proposal)
        raise ApplicationError(_("建议当前不在办理阶段。"), code="not_in_handling", status_code=409)


# ---------------------------------------------------------------- 提 drafting and submitting


@transaction.atomic
def proposal_create_draft(
    *,
    actor,
    lead_deputy,
    congress,
    title,
    content,
    kind=Proposal.Kind.SUGGESTION,
    category="",
    origin=Proposal.Origin.DEPUTY,
    origin_reference="",
    session="",
):
    """A draft in the lead deputy's portal. Deputies draft their own; staff and station managers (a citizen
    opinion turned into a proposal) draft for a deputy."""
    if actor.role == User.Role.DEPUTY and lead_deputy.user_id != actor.pk:
        raise PermissionDenied(_("代表只能以本人名义起草建议。"), code="not_own_draft")
    if actor.role == User.Role.UNIT:
        raise PermissionDenied(_("承办单位不能起草建议。"), code="unit_cannot_draft")
    if not Membership.objects.filter(
        deputy=lead_deputy, congress=congress, status=Membership.Status.IN_OFFICE
    ).exists():
        raise ApplicationError(_("领衔代表不是该届人民代表大会的在任代表。"), code="lead_not_member")
    proposal = Proposal(
        congress=congress,
        region=congress.region,
        session=session,
        kind=kind,
        category=category,
        title=title.strip(),
        content=content.strip(),
        origin=origin,
        origin_reference=origin_reference,
        lead_deputy=lead_deputy,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    ProposalStatusChange.objects.create(proposal=proposal, from_status="", to_status=S.DRAFT, actor=actor)
    audit(actor, "proposal.create_draft", proposal, data={"origin": origin, "origin_reference": origin_reference})
    return proposal


@transaction.atomic
def proposal_update_draft(*, actor, proposal, title, content, category="", kind=None, session=None):
    proposal = _lock(proposal)
    _require_lead_deputy(actor, proposal)
    if proposal.status not in (S.DRAFT, S.REVISION):
        raise ApplicationError(_("只有草稿或退回修改的建议可以编辑。"), code="not_editable", status_code=409)
    proposal.title, proposal.content, proposal.category = title.strip(), content.strip(), category
    if kind is not None:
        proposal.kind = kind
    if session is not None:
        proposal.session = session
    proposal.full_clean()
    proposal.save()
    audit(actor, "proposal.update_draft", proposal)
    return proposal


@transaction.atomic
def proposal_submit(*, actor, proposal):
    """Draft (or sent back for revision) → submitted. The first submission adds one duty record."""
    proposal = _lock(proposal)
    _require_lead_deputy(actor, proposal)
    now = timezone.now()
    _move(proposal, S.SUBMITTED, actor=actor)
    if proposal.submitted_at is None:
        proposal.submitted_at = now
        proposal.number = f"{proposal.region.code}-{now:%Y}-{proposal.pk:05d}"
        proposal.save(update_fields=["submitted_at", "number", "updated_at"])
    duty_record_add_from_source(
        deputy=proposal.lead_deputy,
        kind=DutyKind.PROPOSAL,
        occurred_on=timezone.localdate(proposal.submitted_at),
        source_key=f"proposal:{proposal.pk}",
        description=proposal.title[:200],
        congress=proposal.congress,
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor, proposal, reason=""):
    """The lead deputy withdraws before acceptance. Nothing is deleted."""
    proposal = _lock(proposal)
    _require_lead_deputy(actor, proposal)
    return _move(proposal, S.WITHDRAWN, actor=actor, note=reason)


@transaction.atomic
def cosigner_add(*, actor, proposal, deputy):
    proposal = _lock(proposal)
    _require_lead_deputy(actor, proposal)
    if proposal.status not in (S.DRAFT, S.REVISION):
        raise ApplicationError(_("提交后不能再增加附议代表。"), code="cosigners_locked", status_code=409)
    if deputy.pk == proposal.lead_deputy_id:
        raise ApplicationError(_("领衔代表不能同时作为附议代表。"), code="cosigner_is_lead")
    if CoSigner.objects.filter(proposal=proposal, deputy=deputy).exists():
        raise ApplicationError(_("该代表已在附议名单中。"), code="cosigner_exists")
    cosigner = CoSigner.objects.create(proposal=proposal, deputy=deputy)
    audit(actor, "proposal.cosigner_add", proposal, data={"deputy": deputy.pk})
    return cosigner


@transaction.atomic
def cosigner_confirm(*, actor, proposal):
    """The co-signer deputy confirms that they co-sign (附议)."""
    proposal = _lock(proposal)
    cosigner = CoSigner.objects.select_for_update().filter(proposal=proposal, deputy__user=actor).first()
    if cosigner is None:
        raise PermissionDenied(_("您不在该建议的附议名单中。"), code="not_cosigner")
    if proposal.status not in (S.DRAFT, S.REVISION, S.SUBMITTED):
        raise ApplicationError(_("建议已进入审核后的环节，不能再确认附议。"), code="cosigners_locked", status_code=409)
    if cosigner.confirmed_at is None:
        cosigner.confirmed_at = timezone.now()
        cosigner.save(update_fields=["confirmed_at", "updated_at"])
        audit(actor, "proposal.cosigner_confirm", proposal)
    return cosigner


@transaction.atomic
def attachment_add(*, actor, proposal, uploaded_file, purpose=Attachment.Purpose.PROPOSAL):
    proposal = _lock(proposal)
    _require_not_closed(proposal)
    if purpose == Attachment.Purpose.PROPOSAL:
        _require_lead_deputy(actor, proposal)
        if proposal.status not in (S.DRAFT, S.REVISION):
            raise ApplicationError(_("提交后不能再增加建议附件。"), code="not_editable", status_code=409)
    else:
        _assignment_of(actor, proposal, role=Assignment.Role.LEAD)
        _require_handling(proposal)
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(_("附件不能超过 10 MB。"), code="attachment_too_large")
    uploads.check_upload(uploaded_file, kinds=uploads.DOCUMENTS, max_bytes=MAX_ATTACHMENT_BYTES, field="file")
    attachment = Attachment(
        proposal=proposal, purpose=purpose, name=Path(uploaded_file.name).name[:200], size=uploaded_file.size
    )
    attachment.uploaded_by = actor
    attachment.file = uploaded_file
    attachment.full_clean()
    attachment.save()
    audit(actor, "proposal.attachment_add", proposal, data={"name": attachment.name, "size": attachment.size})
    return attachment


# ---------------------------------------------------------------- 审 staff review


@transaction.atomic
def proposal_accept(*, actor, proposal, note=""):
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    _move(proposal, S.ACCEPTED, actor=actor, note=note)
    proposal.accepted_at = timezone.now()
    proposal.save(update_fields=["accepted_at", "updated_at"])
    return proposal


@transaction.atomic
def proposal_merge(*, actor, proposal, into, note=""):
    """并案: ``proposal`` points to the survivor ``into``; its lead deputy and co-signers join the survivor."""
    first, second = sorted([proposal, into], key=lambda p: p.pk)
    locked = {p.pk: _lock(p) for p in (first, second)}
    proposal, into = locked[proposal.pk], locked[into.pk]
    _require_staff(actor, proposal)
    _require_staff(actor, into)
    if proposal.pk == into.pk:
        raise ApplicationError(_("不能与自身并案。"), code="merge_into_self")
    if into.status not in (S.SUBMITTED, S.ACCEPTED):
        raise ApplicationError(_("只能并入待审核或已立案的建议。"), code="merge_target_invalid", status_code=409)
    if proposal.congress_id != into.congress_id:
        raise ApplicationError(_("只能与同一届人民代表大会的建议并案。"), code="merge_other_congress")
    proposal.merged_into = into
    _move(proposal, S.MERGED, actor=actor, note=note or _("并入 %(number)s") % {"number": into.number})
    deputies = [proposal.lead_deputy_id, *proposal.cosigners.values_list("deputy_id", flat=True)]
    present = {into.lead_deputy_id, *into.cosigners.values_list("deputy_id", flat=True)}
    now = timezone.now()
    for deputy_id in deputies:
        if deputy_id not in present:
            CoSigner.objects.create(proposal=into, deputy_id=deputy_id, confirmed_at=now, via_merge=True)
            present.add(deputy_id)
    audit(actor, "proposal.merge_survivor", into, data={"merged": proposal.pk})
    return proposal


@transaction.atomic
def proposal_send_back(*, actor, proposal, comment):
    """改: back to the deputy for revision, with the reviewer's comments."""
    if not comment.strip():
        raise ApplicationError(_("请填写修改意见。"), code="comment_required")
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    proposal.review_note = comment
    return _move(proposal, S.REVISION, actor=actor, note=comment)


@transaction.atomic
def proposal_transfer(*, actor, proposal, target, reason=""):
    """转: handed to another level or body (``target`` names it)."""
    if not target.strip():
        raise ApplicationError(_("请填写转交的机关或层级。"), code="target_required")
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    proposal.transfer_target = target
    return _move(proposal, S.TRANSFERRED, actor=actor, note=f"{target} {reason}".strip())


@transaction.atomic
def proposal_return(*, actor, proposal, reason):
    """退: not accepted as a proposal, with the reason told to the deputy."""
    if not reason.strip():
        raise ApplicationError(_("请填写退回理由。"), code="reason_required")
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    proposal.review_note = reason
    return _move(proposal, S.RETURNED, actor=actor, note=reason)


# ---------------------------------------------------------------- 交 assignment


@transaction.atomic
def assignment_meeting_create(*, actor, region, title, held_on):
    _require_staff(actor)
    if not actor.is_superuser and not region.is_within(actor.region):
        raise PermissionDenied(_("该区域不在您的管辖范围内。"), code="out_of_scope")
    meeting = AssignmentMeeting(region=region, title=title, held_on=held_on, created_by=actor)
    meeting.full_clean()
    meeting.save()
    audit(actor, "proposal.meeting_create", meeting)
    return meeting


@transaction.atomic
def proposal_assign(*, actor, proposal, lead_unit, co_units=(), meeting=None, assigned_on=None, deadline=None):
    """Accepted → being handled by one lead unit and any co-units. Deadline: three months unless given."""
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    workflow.check(proposal, S.ASSIGNED)
    assigned_on = assigned_on or (meeting.held_on if meeting else timezone.localdate())
    deadline = deadline or statutory_deadline(assigned_on)
    if deadline <= assigned_on or deadline > add_months(assigned_on, MAX_DEADLINE_MONTHS):
        raise ApplicationError(_("答复期限须在交办后六个月以内。"), code="deadline_out_of_range")
    units = [lead_unit, *[u for u in co_units if u.pk != lead_unit.pk]]
    for unit in units:
        if unit.kind != Organization.Kind.HANDLING_UNIT or not unit.region.is_within(proposal.region):
            raise ApplicationError(
                _("“%(unit)s”不是本区域的承办单位。") % {"unit": unit.name}, code="unit_out_of_scope"
            )
    for unit in units:
        assignment = Assignment(
            proposal=proposal,
            unit=unit,
            role=Assignment.Role.LEAD if unit.pk == lead_unit.pk else Assignment.Role.CO,
            meeting=meeting,
            assigned_on=assigned_on,
            deadline=deadline,
        )
        assignment.full_clean(validate_constraints=False)
        assignment.save()
    proposal.assigned_on = assigned_on
    note = _("主办：%(lead)s") % {"lead": lead_unit.name}
    if len(units) > 1:
        note += _("；协办：%(co)s") % {"co": "、".join(u.name for u in units[1:])}
    return _move(proposal, S.ASSIGNED, actor=actor, note=note)


def proposals_assign_batch(*, actor, meeting, items):
    """交办会: ``items`` is a list of ``(proposal, lead_unit, co_units)``; all or nothing."""
    with transaction.atomic():
        return [
            proposal_assign(actor=actor, proposal=p, lead_unit=lead, co_units=co, meeting=meeting)
            for p, lead, co in sorted(items, key=lambda item: item[0].pk)
        ]


@transaction.atomic
def assignment_meeting_hold(*, actor, region, title, held_on, items):
    """A 交办会 and its assignments in one transaction: when one proposal cannot be assigned, no meeting is left
    behind without its proposals. Returns ``(meeting, assigned proposals)``."""
    meeting = assignment_meeting_create(actor=actor, region=region, title=title, held_on=held_on)
    return meeting, proposals_assign_batch(actor=actor, meeting=meeting, items=items)


@transaction.atomic
def assignment_extend_deadline(*, actor, proposal, deadline, reason):
    """Staff extend the reply deadline of every unit, at most six months after assignment, with a reason."""
    if not reason.strip():
        raise ApplicationError(_("请填写延期理由。"), code="reason_required")
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    _require_handling(proposal)
    assignments = list(Assignment.objects.select_for_update().filter(proposal=proposal))
    for assignment in assignments:
        if deadline <= assignment.deadline:
            raise ApplicationError(_("新的答复期限须晚于原期限。"), code="deadline_not_later")
        if deadline > add_months(assignment.assigned_on, MAX_DEADLINE_MONTHS):
            raise ApplicationError(_("答复期限最长为交办后六个月。"), code="deadline_over_six_months")
    for assignment in assignments:
        assignment.deadline = deadline
        assignment.extension_reason = reason
        assignment.save(update_fields=["deadline", "extension_reason", "updated_at"])
    workflow.record_note(
        proposal, actor=actor, note=_("答复期限延至 %(date)s：%(reason)s") % {"date": deadline, "reason": reason}
    )
    audit(actor, "proposal.extend_deadline", proposal, data={"deadline": str(deadline), "reason": reason})
    return assignments


@transaction.atomic
def proposal_mark_key_supervision(*, actor, proposal, leaders):
    """重点督办 with the leaders in charge."""
    if not leaders.strip():
        raise ApplicationError(_("请填写督办领导。"), code="leaders_required")
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    _require_not_closed(proposal)
    if proposal.status not in (S.ACCEPTED, *HANDLING_STATUSES, S.REPLIED, S.TRACKING):
        raise ApplicationError(_("只有已立案的建议可以列为重点督办。"), code="not_accepted", status_code=409)
    proposal.is_key_supervised = True
    proposal.key_supervision_leaders = leaders
    proposal.save(update_fields=["is_key_supervised", "key_supervision_leaders", "updated_at"])
    workflow.record_note(proposal, actor=actor, note=_("列为重点督办：%(leaders)s") % {"leaders": leaders})
    audit(actor, "proposal.key_supervision", proposal, data={"leaders": leaders})
    return proposal


# ---------------------------------------------------------------- 办 handling


@transaction.atomic
def contact_record(*, actor, proposal, stage, way, contacted_on, summary):
    """办前 and 办中 while the proposal is being handled; 办后 after the reply (the deputy's feedback on it), until
    the proposal is closed (办结)."""
    proposal = _lock(proposal)
    assignment = _assignment_of(actor, proposal)
    if stage == Contact.Stage.AFTER:
        if proposal.status not in AFTER_CONTACT_STATUSES:
            _require_not_closed(proposal)
            raise ApplicationError(_("办后联系须在答复之后、办结之前登记。"), code="after_contact_before_reply")
        reply = Reply.objects.filter(proposal=proposal).order_by("-round").first()
        if reply is not None and contacted_on < reply.replied_on:
            raise ApplicationError(_("办后联系日期不能早于答复日期。"), code="after_contact_date_before_reply")
    else:
        _require_handling(proposal)
    if contacted_on > timezone.localdate():
        raise ApplicationError(_("联系日期不能晚于今天。"), code="date_in_future")
    contact = Contact(
        assignment=assignment, stage=stage, way=way, contacted_on=contacted_on, summary=summary, recorded_by=actor
    )
    contact.full_clean()
    contact.save()
    audit(actor, "proposal.contact", proposal, data={"stage": stage, "way": way})
    return contact


@transaction.atomic
def co_unit_send_opinion(*, actor, proposal, opinion):
    """A co-unit's opinion to the lead unit; it completes the co-unit's part of this round."""
    if not opinion.strip():
        raise ApplicationError(_("请填写协办意见。"), code="opinion_required")
    proposal = _lock(proposal)
    assignment = _assignment_of(actor, proposal, role=Assignment.Role.CO)
    _require_handling(proposal)
    assignment.opinion = opinion
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["opinion", "completed_at", "updated_at"])
    audit(actor, "proposal.co_opinion", proposal)
    return assignment


@transaction.atomic
def proposal_reply(*, actor, proposal, reply_class, text, promised_on=None):
    """The lead unit's written reply with its class. B needs a promised date; the 办前 and 办中 contacts must
    exist (the 办后 one follows the reply, see :func:`contact_record`)."""
    proposal = _lock(proposal)
    assignment = _assignment_of(actor, proposal, role=Assignment.Role.LEAD)
    _require_handling(proposal)
    stages = set(assignment.contacts.values_list("stage", flat=True))
    if Contact.Stage.BEFORE not in stages:
        raise ApplicationError(_("答复前须先与代表进行办前沟通并登记。"), code="before_contact_missing")
    if Contact.Stage.DURING not in stages:
        raise ApplicationError(_("答复前须先与代表进行办中沟通并登记。"), code="during_contact_missing")
    if not text.strip():
        raise ApplicationError(_("请填写答复内容。"), code="text_required")
    today = timezone.localdate()
    if reply_class == Proposal.ReplyClass.B:
        if promised_on is None:
            raise ApplicationError(_("B类答复须填写承诺解决日期。"), code="promise_required")
        if promised_on < today:
            raise ApplicationError(_("承诺解决日期不能早于今天。"), code="promise_in_past")
    else:
        promised_on = None
    reply = Reply(
        proposal=proposal,
        unit=assignment.unit,
        round=proposal.rehandle_count + 1,
        reply_class=reply_class,
        text=text,
        promised_on=promised_on,
        replied_on=today,
        on_time=today <= assignment.deadline,
        replied_by=actor,
    )
    reply.full_clean()
    reply.save()
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["completed_at", "updated_at"])
    proposal.reply_class, proposal.promised_on, proposal.rating = reply_class, promised_on, ""
    note = _("%(cls)s类答复") % {"cls": reply_class}
    if promised_on:
        note += _("，承诺 %(date)s 前解决") % {"date": promised_on}
    return _move(proposal, S.REPLIED, actor=actor, note=note)


def cosigners_may_rate():
    return getattr(settings, "PROPOSALS_COSIGNERS_MAY_RATE", False)


@transaction.atomic
def proposal_rate(*, actor, proposal, rating, comment=""):
    """满意度测评. 不满意 sends the proposal back to the lead unit (二次交办); a satisfied B-class reply goes on
    the tracking ledger until the promise is met."""
    proposal = _lock(proposal)
    is_lead = proposal.lead_deputy.user_id == actor.pk
    is_cosigner = (
        cosigners_may_rate()
        and CoSigner.objects.filter(proposal=proposal, deputy__user=actor, confirmed_at__isnull=False).exists()
    )
    if not (is_lead or is_cosigner):
        raise PermissionDenied(_("只有领衔代表可以评价答复。"), code="not_allowed_to_rate")
    if rating not in Proposal.Rating.values:
        raise ApplicationError(_("请选择满意度。"), code="rating_invalid")
    if rating == Proposal.Rating.UNSATISFIED and not comment.strip():
        raise ApplicationError(_("评价不满意时请写明理由。"), code="comment_required")
    if proposal.status != S.REPLIED:
        _require_not_closed(proposal)
        raise InvalidTransition(
            _("当前没有待评价的答复。"), current=proposal.status, requested="rated", code="no_reply_to_rate"
        )
    reply = Reply.objects.select_for_update().filter(proposal=proposal).order_by("-round").first()
    reply.rating, reply.rating_comment, reply.rated_at, reply.rated_by = rating, comment, timezone.now(), actor
    reply.save(update_fields=["rating", "rating_comment", "rated_at", "rated_by", "updated_at"])
    proposal.rating = rating
    label = Proposal.Rating(rating).label
    note = f"{label}：{comment}" if comment else str(label)
    if rating == Proposal.Rating.UNSATISFIED:
        proposal.rehandle_count += 1
        today = timezone.localdate()
        Assignment.objects.filter(proposal=proposal).update(
            completed_at=None, deadline=max(add_months(today, 1), today + datetime.timedelta(days=1))
        )
        return _move(proposal, S.REHANDLING, actor=actor, note=note, action="proposal.rehandling")
    if reply.reply_class == Proposal.ReplyClass.B:
        return _move(proposal, S.TRACKING, actor=actor, note=note)
    return _move(proposal, S.SATISFIED, actor=actor, note=note)


# ---------------------------------------------------------------- 督 supervision and closing


@transaction.atomic
def proposal_report_promise_met(*, actor, proposal, note):
    """The lead unit reports a B-class promise met: the proposal becomes class A and leaves the ledger."""
    if not note.strip():
        raise ApplicationError(_("请说明落实情况。"), code="note_required")
    proposal = _lock(proposal)
    _assignment_of(actor, proposal, role=Assignment.Role.LEAD)
    if proposal.status != S.TRACKING:
        _require_not_closed(proposal)
        raise InvalidTransition(
            _("只有跟踪督办中的B类建议可以报告承诺落实。"),
            current=proposal.status,
            requested=S.SATISFIED,
            code="not_tracking",
        )
    proposal.reply_class = Proposal.ReplyClass.A
    return _move(proposal, S.SATISFIED, actor=actor, note=_("承诺事项已落实，转为A类：%(note)s") % {"note": note})


@transaction.atomic
def proposal_staff_close(*, actor, proposal, reason):
    """Staff take a B-class proposal off the tracking ledger (e.g. the plan was cancelled by higher authority)."""
    if not reason.strip():
        raise ApplicationError(_("请填写办结理由。"), code="reason_required")
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    return _move(proposal, S.STAFF_CLOSED, actor=actor, note=reason)


@transaction.atomic
def proposal_close(*, actor, proposal, note=""):
    """办结: only from a satisfied or staff-closed proposal whose lead unit recorded the 办后 contact after the
    latest reply; afterwards it is read-only."""
    proposal = _lock(proposal)
    _require_staff(actor, proposal)
    workflow.check(proposal, S.CLOSED)
    if not _after_contact_done(proposal):
        raise ApplicationError(_("办结前承办单位须在答复后与代表进行办后联系并登记。"), code="after_contact_missing")
    _move(proposal, S.CLOSED, actor=actor, note=note)
    proposal.closed_at = timezone.now()
    proposal.save(update_fields=["closed_at", "updated_at"])
    return proposal


def _after_contact_done(proposal):
    """The lead unit's 办后 contact dated on or after the latest reply."""
    reply = Reply.objects.filter(proposal=proposal).order_by("-round").first()
    if reply is None:
        return True  # nothing was replied (a staff-closed proposal without reply): no feedback to collect
    return Contact.objects.filter(
        assignment__proposal=proposal,
        assignment__role=Assignment.Role.LEAD,
        stage=Contact.Stage.AFTER,
        contacted_on__gte=reply.replied_on,
    ).exists()


# ---------------------------------------------------------------- 联合督办 joint supervision by a special committee


def _require_committee_member_or_staff(actor, supervision):
    """Staff of the committee's region (or above), or a user of the committee itself."""
    if actor.is_superuser:
        return
    if actor.role == User.Role.STAFF and actor.region_id:
        if supervision.committee.region.is_within(actor.region):
            return
        raise PermissionDenied(_("该区域不在您的管辖范围内。"), code="out_of_scope")
    if actor.role == User.Role.UNIT and actor.organization_id == supervision.committee_id:
        return
    raise PermissionDenied(_("仅限工作人员或牵头专门委员会操作。"), code="not_committee")


def _lock_supervision(supervision):
    return workflow.lock(JointSupervision.objects.select_related("committee__region"), supervision.pk)


def _timeline_note(actor, proposals, note):
    """A row on each proposal's timeline (from = to = its status), as key supervision and extensions do."""
    ProposalStatusChange.objects.bulk_create(
        ProposalStatusChange(proposal=p, from_status=p.status, to_status=p.status, actor=actor, note=note)
        for p in proposals
    )


def _lock_supervisable(actor, committee, proposals):
    """Lock ``proposals`` (one statement, in id order) and check each may follow ``committee``'s joint supervision."""
    locked = list(
        Proposal.objects.select_for_update()
        .select_related("region", "congress")
        .filter(pk__in={p.pk for p in proposals})
        .order_by("pk")
    )
    for proposal in locked:
        _require_staff(actor, proposal)
        if not proposal.region.is_within(committee.region):
            raise ApplicationError(
                _("建议“%(title)s”不在该专门委员会的区域内。") % {"title": proposal.title},
                code="proposal_out_of_committee_region",
            )
        if proposal.status not in JOINT_SUPERVISION_STATUSES:
            raise ApplicationError(
                _("建议“%(title)s”当前状态为“%(status)s”，不能列入联合督办。")
                % {"title": proposal.title, "status": S(proposal.status).label},
                code="proposal_not_supervisable",
                status_code=409,
            )
    return locked


@transaction.atomic
def joint_supervision_create(*, actor, committee, title, proposals, focus=""):
    """A special committee takes up a set of accepted proposals; each proposal's timeline records it."""
    _require_staff(actor)
    if committee.kind != Organization.Kind.SPECIAL_COMMITTEE:
        raise ApplicationError(_("联合督办须由专门委员会牵头。"), code="not_special_committee")
    if not actor.is_superuser and not committee.region.is_within(actor.region):
        raise PermissionDenied(_("该区域不在您的管辖范围内。"), code="out_of_scope")
    if not title.strip():
        raise ApplicationError(_("请填写督办主题。"), code="title_required")
    if not proposals:
        raise ApplicationError(_("请至少选择一件建议。"), code="proposals_required")
    locked = _lock_supervisable(actor, committee, proposals)
    supervision = JointSupervision(committee=committee, title=title.strip(), focus=focus.strip(), created_by=actor)
    supervision.full_clean()
    supervision.save()
    supervision.proposals.set(locked)
    _timeline_note(
        actor,
        locked,
        _("列入联合督办：%(committee)s《%(title)s》") % {"committee": committee.name, "title": supervision.title},
    )
    audit(actor, "proposal.joint_supervision_create", supervision, data={"proposals": [p.pk for p in locked]})
    return supervision


@transaction.atomic
def joint_supervision_add_proposals(*, actor, supervision, proposals):
    """Staff add proposals to an open item (a committee often takes up more as the year goes on). Proposals already
    in it are skipped, so a form sent twice adds nothing twice; returns the proposals newly added."""
    supervision = _lock_supervision(supervision)
    _require_staff(actor)
    _require_committee_member_or_staff(actor, supervision)
    if not supervision.is_open:
        raise ApplicationError(_("联合督办已结束，不能再添加建议。"), code="supervision_closed", status_code=409)
    if not proposals:
        raise ApplicationError(_("请至少选择一件建议。"), code="proposals_required")
    present = set(supervision.proposals.values_list("pk", flat=True))
    added = _lock_supervisable(actor, supervision.committee, [p for p in proposals if p.pk not in present])
    if not added:
        return []
    supervision.proposals.add(*added)
    _timeline_note(
        actor,
        added,
        _("列入联合督办：%(committee)s《%(title)s》")
        % {"committee": supervision.committee.name, "title": supervision.title},
    )
    audit(actor, "proposal.joint_supervision_add", supervision, data={"proposals": [p.pk for p in added]})
    return added


@transaction.atomic
def site_visit_record(*, actor, supervision, visited_on, place, summary, participants="", findings="", follow_ups=""):
    """现场督办: staff or the committee's own users log a visit; every open proposal of the item gets a timeline
    row (a closed proposal stays read-only)."""
    supervision = _lock_supervision(supervision)
    _require_committee_member_or_staff(actor, supervision)
    if not supervision.is_open:
        raise ApplicationError(_("联合督办已结束，不能再登记现场督办。"), code="supervision_closed", status_code=409)
    if visited_on > timezone.localdate():
        raise ApplicationError(_("督办日期不能晚于今天。"), code="date_in_future")
    if not place.strip() or not summary.strip():
        raise ApplicationError(_("请填写督办地点和督办情况。"), code="visit_incomplete")
    visit = SiteVisit(
        supervision=supervision,
        visited_on=visited_on,
        place=place.strip(),
        participants=participants.strip(),
        summary=summary.strip(),
        findings=findings.strip(),
        follow_ups=follow_ups.strip(),
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    proposals = list(
        Proposal.objects.select_for_update()
        .filter(joint_supervisions=supervision)
        .exclude(status=S.CLOSED)
        .order_by("pk")
    )
    note = _("联合督办现场督办（%(committee)s）：%(date)s %(place)s，%(summary)s") % {
        "committee": supervision.committee.name,
        "date": visited_on,
        "place": visit.place,
        "summary": visit.summary,
    }
    _timeline_note(actor, proposals, note)
    audit(actor, "proposal.site_visit", supervision, data={"place": visit.place, "date": str(visited_on)})
    return visit


@transaction.atomic
def joint_supervision_close(*, actor, supervision, conclusion):
    """Staff end a joint supervision with its conclusion; the item and its visits stay readable."""
    if not conclusion.strip():
        raise ApplicationError(_("请填写督办结论。"), code="conclusion_required")
    supervision = _lock_supervision(supervision)
    _require_staff(actor)
    _require_committee_member_or_staff(actor, supervision)
    workflow.transition(
        supervision,
        JointSupervision.Status.CLOSED,
        actor=actor,
        action=False,  # audited below, once the proposals' timelines have their row
        code="supervision_closed",
        conclusion=conclusion.strip(),
        closed_at=timezone.now(),
    )
    proposals = list(
        Proposal.objects.select_for_update()
        .filter(joint_supervisions=supervision)
        .exclude(status=S.CLOSED)
        .order_by("pk")
    )
    _timeline_note(actor, proposals, _("联合督办结束：%(conclusion)s") % {"conclusion": supervision.conclusion})
    audit(actor, "proposal.joint_supervision_close", supervision, data={"conclusion": supervision.conclusion})
    return supervision
