"""Writes of the votes app. Every page, API view, admin action and command goes through these functions."""

import random
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import DutyKind, Membership
from deputies.services import duty_record_add_from_source
from liaison import uploads, workflow
from liaison.access import user_is_staff
from liaison.audit import audit
from liaison.errors import ApplicationError, PermissionDenied
from liaison.models import User
from votes import integrity
from votes.models import (
    PHOTO_KINDS,
    PHOTO_MAX_BYTES,
    Ballot,
    BallotReceipt,
    Candidate,
    Channel,
    CheckIn,
    Inspection,
    ListItem,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Project,
    SatisfactionRating,
    VoteSession,
)

S = VoteSession.Status

CANDIDATE_FIELDS = (
    "title",
    "description",
    "budget",
    "department",
    "timeline",
    "beneficiaries",
    "source",
    "source_detail",
)


def _require_staff_scope(actor, obj):
    """Liaison staff whose region holds ``obj`` (a congress, session or project), as the other apps' staff checks
    make: the pages check it too, but admin actions and commands reach the services without them. ``None`` is
    system work (the demo, tasks)."""
    if actor is None or actor.is_superuser:
        return
    if not user_is_staff(actor):
        raise PermissionDenied(_("仅限人大联络工作人员操作。"), code="staff_only")
    if not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("该区域不在您的管辖范围内。"), code="out_of_scope")


def _lock_session(session):
    return workflow.lock(VoteSession.objects.all(), session.pk)


# Sessions and candidates --------------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    actor,
    congress,
    title,
    meeting,
    meeting_date,
    seats,
    margin_ratio=None,
    majority_base=VoteSession.MajorityBase.ALL_DEPUTIES,
    allow_self_checkin=False,
):
    _require_staff_scope(actor, congress)
    session = VoteSession(
        congress=congress,
        title=title,
        meeting=meeting,
        meeting_date=meeting_date,
        year=meeting_date.year,
        seats=seats,
        margin_ratio=margin_ratio,
        majority_base=majority_base,
        allow_self_checkin=allow_self_checkin,
    )
    session.full_clean()
    session.save()
    audit(actor, "vote_session.create", session)
    return session


def _require_editable_list(session):
    if session.candidates_locked_at is not None or session.status != S.DRAFT:
        raise ApplicationError(
            _("候选项目清单已于投票前锁定，不能再增加、修改或删除候选项目。"), code="candidates_locked", status_code=409
        )


@transaction.atomic
def candidate_add(
    *, actor, session, title, description, budget, department, timeline, beneficiaries, source, source_detail=""
):
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    _require_editable_list(session)
    position = (session.candidates.aggregate(m=Max("position"))["m"] or 0) + 1
    candidate = Candidate(
        session=session,
        position=position,
        title=title,
        description=description,
        budget=budget,
        department=department,
        timeline=timeline,
        beneficiaries=beneficiaries,
        source=source,
        source_detail=source_detail,
    )
    candidate.full_clean()
    candidate.save()
    audit(actor, "vote_candidate.add", candidate, data={"session": session.pk})
    return candidate


@transaction.atomic
def candidate_update(*, actor, candidate, **changes):
    _require_staff_scope(actor, candidate.session)
    session = _lock_session(candidate.session)
    _require_editable_list(session)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    for name, value in changes.items():
        if name not in CANDIDATE_FIELDS:
            raise ApplicationError(_("不能修改该字段。"), code="field_not_editable")
        setattr(candidate, name, value)
    candidate.full_clean()
    candidate.save()
    audit(actor, "vote_candidate.update", candidate, data={"fields": sorted(changes)})
    return candidate


@transaction.atomic
def candidate_remove(*, actor, candidate):
    _require_staff_scope(actor, candidate.session)
    session = _lock_session(candidate.session)
    _require_editable_list(session)
    audit(actor, "vote_candidate.remove", candidate)
    candidate.delete()


@transaction.atomic
def session_lock_candidates(*, actor, session):
    """Fix the government's candidate list (候选清单锁定); the margin rule must already hold."""
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    if session.candidates_locked_at is not None:
        raise ApplicationError(_("候选项目清单已经锁定。"), code="already_locked", status_code=409)
    _check_margin(session)
    session.candidates_locked_at = timezone.now()
    session.save(update_fields=["candidates_locked_at", "updated_at"])
    audit(actor, "vote_session.lock_candidates", session, data={"candidates": session.candidates.count()})
    return session


def _check_margin(session):
    count = session.candidates.count()
    if count < session.min_candidates:
        raise ApplicationError(
            _("差额票决要求候选项目不少于 %(min)s 个（应选 %(seats)s 个），目前只有 %(count)s 个，不能开始投票。")
            % {"min": session.min_candidates, "seats": session.seats, "count": count},
            code="margin_not_met",
            extra={"min_candidates": session.min_candidates, "candidates": count},
        )


@transaction.atomic
def session_open(*, actor, session):
    """Start the vote: margin rule checked, candidate list locked, electorate counted, chain salt drawn."""
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    _check_margin(session)
    workflow.check(session, S.OPEN)
    now = timezone.now()
    workflow.transition(
        session,
        S.OPEN,
        actor=actor,
        validate=False,
        action=False,  # audited below with the electorate
        candidates_locked_at=session.candidates_locked_at or now,
        chain_salt=secrets.token_hex(32),
        electorate_size=Membership.objects.filter(congress=session.congress).in_office().count(),
        opened_at=now,
    )
    audit(actor, "vote_session.open", session, data={"electorate": session.electorate_size})
    return session


# Attendance ---------------------------------------------------------------------------------------------------


def _seat_for(session, deputy):
    seat = Membership.objects.filter(congress_id=session.congress_id, deputy=deputy).in_office().first()
    if seat is None:
        raise PermissionDenied(_("您不是本届人民代表大会的在任代表，不能参加本次票决。"), code="not_elector")
    return seat


def _check_in(session, membership, *, method, actor):
    if session.status not in (S.DRAFT, S.OPEN):
        raise ApplicationError(_("本次票决已经结束，不能再签到。"), code="session_not_open", status_code=409)
    if membership.congress_id != session.congress_id or membership.status != Membership.Status.IN_OFFICE:
        raise ApplicationError(_("该代表不是本届人民代表大会的在任代表。"), code="not_elector")
    checkin, created = CheckIn.objects.get_or_create(
        session=session, membership=membership, defaults={"method": method, "checked_in_by": actor}
    )
    if created:
        audit(actor, "vote_session.check_in", session, data={"membership": membership.pk, "method": method})
    return checkin


@transaction.atomic
def checkin_register(*, actor, session, membership):
    """Staff record a deputy's attendance (工作人员签到登记)."""
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    return _check_in(session, membership, method=CheckIn.Method.STAFF, actor=actor)


@transaction.atomic
def checkin_self(*, actor, session):
    """A deputy checks in on the portal, when staff allow it for this session."""
    session = _lock_session(session)
    if not session.allow_self_checkin:
        raise PermissionDenied(_("本次会议不开放代表自助签到，请到会场签到处签到。"), code="self_checkin_closed")
    deputy = getattr(actor, "deputy", None)
    if deputy is None:
        raise PermissionDenied(_("仅限人大代表。"), code="not_deputy")
    return _check_in(session, _seat_for(session, deputy), method=CheckIn.Method.SELF, actor=actor)


# Ballots ------------------------------------------------------------------------------------------------------


def _clean_choices(session, choices):
    """``{candidate id: choice}`` for every candidate of the session, at most N 赞成."""
    candidate_ids = set(session.candidates.values_list("pk", flat=True))
    try:
        cleaned = {int(k): str(v) for k, v in dict(choices).items()}
    except (TypeError, ValueError):
        cleaned = None
    valid = {c.value for c in Ballot.Choice}
    if not cleaned or set(cleaned) != candidate_ids or any(v not in valid for v in cleaned.values()):
        raise ApplicationError(
            _("请对每个候选项目选择赞成、反对或弃权。"), code="incomplete_ballot", extra={"fields": {"choices": []}}
        )
    in_favour = sum(1 for v in cleaned.values() if v == Ballot.Choice.FOR)
    if in_favour > session.seats:
        raise ApplicationError(
            _("本次应选 %(seats)s 个项目，每张选票最多投 %(seats)s 个赞成票；这张选票有 %(count)s 个赞成，无效。")
            % {"seats": session.seats, "count": in_favour},
            code="too_many_for",
            extra={"seats": session.seats, "for": in_favour},
        )
    return {str(k): v for k, v in sorted(cleaned.items())}


def _append_ballot(session, *, channel, choices, paper_serial=""):
    last = Ballot.objects.filter(session=session).order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] if last else 0) + 1
    previous = last["hash"] if last else integrity.genesis_hash(session.chain_salt)
    content = integrity.canonical_content(seq=seq, channel=channel, paper_serial=paper_serial, choices=choices)
    ballot = Ballot(
        session=session,
        seq=seq,
        channel=channel,
        paper_serial=paper_serial,
        choices=choices,
        previous_hash=previous,
        hash=integrity.chain_hash(previous_hash=previous, content=content, salt=session.chain_salt),
    )
    ballot.full_clean(validate_constraints=False)
    ballot.save(force_insert=True)
    return ballot


def _already_voted():
    return ApplicationError(_("您已经投过票，每位代表只能投一票。"), code="already_voted", status_code=409)


def _require_open(session):
    if session.status != S.OPEN:
        raise ApplicationError(_("本次票决不在投票时间内。"), code="session_not_open", status_code=409)


@transaction.atomic
def ballot_cast(*, actor, session, choices):
    """A deputy's electronic ballot. Writes the receipt and the ballot together; no audit row (see models)."""
    deputy = getattr(actor, "deputy", None)
    if deputy is None:
        raise PermissionDenied(_("仅限人大代表。"), code="not_deputy")
    session = _lock_session(session)
    _require_open(session)
    seat = _seat_for(session, deputy)
    if not CheckIn.objects.filter(session=session, membership=seat).exists():
        raise PermissionDenied(_("您尚未签到，签到后才能投票。"), code="not_checked_in")
    if BallotReceipt.objects.filter(session=session, membership=seat).exists():
        raise _already_voted()
    cleaned = _clean_choices(session, choices)
    try:
        with transaction.atomic():
            BallotReceipt.objects.create(session=session, membership=seat, channel=Channel.ELECTRONIC)
    except IntegrityError:  # the database constraint is the last line: a racing duplicate ends here
        raise _already_voted()
    _append_ballot(session, channel=Channel.ELECTRONIC, choices=cleaned)
    return session


@transaction.atomic
def paper_ballot_issue(*, actor, session, membership):
    """Staff hand a checked-in deputy a paper ballot: the deputy is then recorded as voting on paper."""
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    _require_open(session)
    if not CheckIn.objects.filter(session=session, membership=membership).exists():
        raise ApplicationError(_("该代表尚未签到，不能领取选票。"), code="not_checked_in", status_code=403)
    if BallotReceipt.objects.filter(session=session, membership=membership).exists():
        raise ApplicationError(_("该代表已经投票或已领取纸质选票。"), code="already_voted", status_code=409)
    receipt = BallotReceipt.objects.create(session=session, membership=membership, channel=Channel.PAPER)
    audit(actor, "vote_session.paper_issue", session, data={"membership": membership.pk})
    return receipt


@transaction.atomic
def paper_ballot_enter(*, actor, session, serial, choices):
    """Staff enter one anonymous paper ballot by its printed serial number; each serial once."""
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    _require_open(session)
    serial = (serial or "").strip()
    if not serial:
        raise ApplicationError(_("请填写纸质选票编号。"), code="serial_required", extra={"fields": {"serial": []}})
    if Ballot.objects.filter(session=session, paper_serial=serial).exists():
        raise ApplicationError(
            _("编号为 %(serial)s 的纸质选票已经录入，不能重复录入。") % {"serial": serial},
            code="paper_serial_taken",
            status_code=409,
        )
    issued = BallotReceipt.objects.filter(session=session, channel=Channel.PAPER).count()
    entered = Ballot.objects.filter(session=session, channel=Channel.PAPER).count()
    if entered >= issued:
        raise ApplicationError(
            _("录入的纸质选票已达发出的 %(issued)s 张，不能再录入。") % {"issued": issued},
            code="paper_exceeds_issued",
            status_code=409,
        )
    cleaned = _clean_choices(session, choices)
    ballot = _append_ballot(session, channel=Channel.PAPER, choices=cleaned, paper_serial=serial)
    audit(actor, "vote_session.paper_enter", session, data={"serial": serial})
    return ballot


# Closing, publishing, re-vote ---------------------------------------------------------------------------------


@transaction.atomic
def session_close(*, actor, session):
    """Count the votes, decide, publish the final hash, seal the rows, add duty records."""
    _require_staff_scope(actor, session)
    from votes.selectors import chain_problems

    session = _lock_session(session)
    workflow.check(session, S.CLOSED)
    ballots = list(Ballot.objects.filter(session=session).order_by("seq"))
    problems = chain_problems(session, ballots)
    if problems:
        raise ApplicationError(
            _("选票哈希链校验失败，不能计票：%(problem)s") % {"problem": problems[0]},
            code="chain_broken",
            status_code=409,
        )
    candidates = list(session.candidates.all())
    tally = integrity.count(((b.channel, b.choices) for b in ballots), [c.pk for c in candidates])
    session.present_count = CheckIn.objects.filter(session=session).count()
    base = (
        session.electorate_size
        if session.majority_base == VoteSession.MajorityBase.ALL_DEPUTIES
        else session.present_count
    )
    session.majority_threshold = integrity.majority_threshold(base)
    seats = session.seats
    decision = integrity.decide(counts=tally.counts, seats=seats, threshold=session.majority_threshold)
    for candidate in candidates:
        counts = tally.counts[candidate.pk]
        candidate.votes_for = counts["for"]
        candidate.votes_against = counts["against"]
        candidate.votes_abstain = counts["abstain"]
        candidate.rank = decision.ranks[candidate.pk]
        candidate.outcome = decision.outcomes[candidate.pk]
    Candidate.objects.bulk_update(candidates, ["votes_for", "votes_against", "votes_abstain", "rank", "outcome"])
    session.ballots_cast = tally.ballots
    session.electronic_ballots = tally.electronic
    session.paper_ballots = tally.paper
    session.tie_detected = decision.tie
    session.final_hash = ballots[-1].hash if ballots else integrity.genesis_hash(session.chain_salt)
    session.closed_at = timezone.now()
    workflow.transition(session, S.CLOSED, actor=actor, validate=False, action=False)  # audited below, with the tally
    _seal(session)
    voters = Membership.objects.filter(vote_receipts__session=session).select_related("deputy")
    for membership in voters:
        duty_record_add_from_source(
            deputy=membership.deputy,
            kind=DutyKind.VOTE,
            occurred_on=session.meeting_date,
            source_key=f"vote:{session.pk}",
            description=str(session),
            congress=session.congress,
        )
    audit(
        actor,
        "vote_session.close",
        session,
        data={
            "final_hash": session.final_hash,
            "chain_salt": session.chain_salt,
            "tally": tally.as_dict(),
            "tie": decision.tie,
        },
    )
    return session


def _seal(session):
    """Give every ballot and receipt of the session the close transaction's xmin, and shuffle receipts' order."""
    Ballot.objects.filter(session=session).update(sealed=True)
    receipts = list(BallotReceipt.objects.filter(session=session).values_list("membership_id", "channel"))
    BallotReceipt.objects.filter(session=session).delete()
    random.SystemRandom().shuffle(receipts)
    BallotReceipt.objects.bulk_create(
        [BallotReceipt(session=session, membership_id=m, channel=c, sealed=True) for m, c in receipts]
    )
    if connection.vendor == "postgresql":
        transaction.on_commit(_vacuum_vote_tables)


def _vacuum_vote_tables():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM votes_ballotreceipt")
        cursor.execute("VACUUM votes_ballot")


@transaction.atomic
def session_publish(*, actor, session):
    """Announce the result: every passed candidate becomes a project under supervision."""
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    workflow.transition(session, S.PUBLISHED, actor=actor, validate=False, action=False)  # audited below
    for candidate in session.candidates.filter(outcome=Candidate.Outcome.PASSED):
        Project.objects.get_or_create(
            candidate=candidate,
            defaults={
                "session": session,
                "title": candidate.title,
                "year": session.year,
                "budget": candidate.budget,
                "department_id": candidate.department_id,
            },
        )
    audit(actor, "vote_session.publish", session)
    return session


@transaction.atomic
def session_start_revote(*, actor, session):
    """A new round for the candidates tied at the boundary, for the seats still open, with the same attendance."""
    _require_staff_scope(actor, session)
    session = _lock_session(session)
    if session.status not in (S.CLOSED, S.PUBLISHED) or not session.tie_detected:
        raise ApplicationError(_("只有出现平票的已计票会议才能进行重新表决。"), code="no_tie", status_code=409)
    if session.revotes.exists():
        raise ApplicationError(_("本轮平票已经安排了重新表决。"), code="revote_exists", status_code=409)
    tied = list(session.candidates.filter(outcome=Candidate.Outcome.TIE))
    passed = session.candidates.filter(outcome=Candidate.Outcome.PASSED).count()
    child = VoteSession(
        congress=session.congress,
        title=session.title,
        meeting=session.meeting,
        meeting_date=session.meeting_date,
        year=session.year,
        seats=session.seats - passed,
        margin_ratio=None,
        majority_base=session.majority_base,
        allow_self_checkin=session.allow_self_checkin,
        parent=session,
        round_number=session.round_number + 1,
    )
    child.full_clean()
    child.save()
    for position, candidate in enumerate(tied, start=1):
        Candidate.objects.create(
            session=child,
            position=position,
            origin=candidate,
            **{name: getattr(candidate, name) for name in CANDIDATE_FIELDS},
        )
    CheckIn.objects.bulk_create(
        [
            CheckIn(session=child, membership_id=c.membership_id, method=c.method, checked_in_by=c.checked_in_by)
            for c in session.checkins.all()
        ]
    )
    child.candidates_locked_at = timezone.now()
    child.save(update_fields=["candidates_locked_at"])
    audit(actor, "vote_session.revote", child, data={"parent": session.pk, "tied": [c.pk for c in tied]})
    return child


# Supervise and evaluate ---------------------------------------------------------------------------------------


def _check_photo(upload):
    if upload.size > PHOTO_MAX_BYTES:
        raise ApplicationError(
            _("照片不能超过 5 MB：%(name)s") % {"name": upload.name},
            code="photo_too_large",
            extra={"fields": {"photos": []}},
        )
    uploads.check_upload(upload, kinds=PHOTO_KINDS, max_bytes=PHOTO_MAX_BYTES, field="photos", extension_required=False)


def _require_project_editor(actor, project):
    if actor is None or actor.is_superuser:
        return
    if actor.role == User.Role.STAFF:
        _require_staff_scope(actor, project)
        return
    if actor.role == User.Role.UNIT and actor.organization_id == project.department_id:
        return
    raise PermissionDenied(_("只有项目责任单位或联络工作人员可以报告进展。"), code="not_responsible")


@transaction.atomic
def progress_report_add(*, actor, project, text, percent, photos=()):
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_project_editor(actor, project)
    if project.status != Project.Status.IMPLEMENTING:
        raise ApplicationError(_("项目已完成，不能再报告进展。"), code="project_finished", status_code=409)
    for upload in photos:
        _check_photo(upload)
    report = ProgressReport(project=project, text=text, percent=percent, reported_by=actor)
    report.full_clean()
    report.save()
    for upload in photos:
        photo = ProgressPhoto(report=report, image=upload)
        photo.save()
    project.progress = max(project.progress, percent)
    project.save(update_fields=["progress", "updated_at"])
    audit(actor, "vote_project.progress", project, data={"percent": percent, "photos": len(photos)})
    return report


@transaction.atomic
def project_set_supervisors(*, actor, project, memberships):
    _require_staff_scope(actor, project)
    project = Project.objects.select_for_update().select_related("session").get(pk=project.pk)
    for membership in memberships:
        if membership.congress_id != project.session.congress_id:
            raise ApplicationError(_("监督小组成员须是本届人民代表大会的代表。"), code="not_elector")
    project.supervisors.set(memberships)
    audit(actor, "vote_project.supervisors", project, data={"memberships": [m.pk for m in memberships]})
    return project


@transaction.atomic
def milestone_add(*, actor, project, title, due_on):
    _require_staff_scope(actor, project)
    milestone = Milestone(project=project, title=title, due_on=due_on)
    milestone.full_clean()
    milestone.save()
    audit(actor, "vote_project.milestone", project, data={"title": title})
    return milestone


@transaction.atomic
def milestone_complete(*, actor, milestone, done_on):
    _require_staff_scope(actor, milestone.project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save()
    audit(actor, "vote_project.milestone_done", milestone.project, data={"milestone": milestone.pk})
    return milestone


@transaction.atomic
def list_item_add(*, actor, project, kind, content, responsible="", due_on=None):
    _require_staff_scope(actor, project)
    item = ListItem(project=project, kind=kind, content=content, responsible=responsible, due_on=due_on)
    item.full_clean()
    item.save()
    audit(actor, "vote_project.list_item", project, data={"kind": kind})
    return item


@transaction.atomic
def inspection_log(*, actor, project, occurred_on, findings, participants, place=""):
    """The supervision group's inspection; each participant gets a SUPERVISION duty record."""
    project = Project.objects.select_for_update().select_related("session").get(pk=project.pk)
    participants = list(participants)
    if not participants:
        raise ApplicationError(_("请选择参加检查的代表。"), code="participants_required")
    group = set(project.supervisors.values_list("pk", flat=True))
    outsiders = [m for m in participants if m.pk not in group]
    if outsiders:
        raise ApplicationError(
            _("%(name)s 不是本项目监督小组成员。") % {"name": outsiders[0].deputy.name}, code="not_supervisor"
        )
    inspection = Inspection(project=project, occurred_on=occurred_on, findings=findings, place=place, recorded_by=actor)
    inspection.full_clean()
    inspection.save()
    inspection.participants.set(participants)
    for membership in participants:
        duty_record_add_from_source(
            deputy=membership.deputy,
            kind=DutyKind.SUPERVISION,
            occurred_on=occurred_on,
            source_key=f"vote-inspection:{inspection.pk}",
            description=_("民生实事项目监督检查：%(title)s") % {"title": project.title},
            place=place,
            congress=project.session.congress,
        )
    audit(actor, "vote_project.inspection", project, data={"inspection": inspection.pk})
    return inspection


@transaction.atomic
def project_finish(*, actor, project, finished_on, note=""):
    _require_staff_scope(actor, project)
    project = workflow.lock(Project.objects.all(), project.pk)
    workflow.transition(
        project,
        Project.Status.FINISHED,
        actor=actor,
        note=note,
        action=False,  # audited below, without data as before
        finished_on=finished_on,
        progress=100,
    )
    audit(actor, "vote_project.finish", project)
    return project


@transaction.atomic
def rating_submit(*, actor, project, rating):
    """A deputy of the congress rates a finished project once (满意/基本满意/不满意)."""
    deputy = getattr(actor, "deputy", None)
    if deputy is None:
        raise PermissionDenied(_("仅限人大代表。"), code="not_deputy")
    project = Project.objects.select_for_update().select_related("session").get(pk=project.pk)
    if project.status != Project.Status.FINISHED:
        raise ApplicationError(_("项目完成后才能进行满意度测评。"), code="project_not_finished", status_code=409)
    seat = _seat_for(project.session, deputy)
    if SatisfactionRating.objects.filter(project=project, membership=seat).exists():
        raise ApplicationError(_("您已经对该项目进行过满意度测评。"), code="already_rated", status_code=409)
    row = SatisfactionRating(project=project, membership=seat, rating=rating)
    row.full_clean()
    row.save()
    audit(actor, "vote_project.rate", project)
    return row
