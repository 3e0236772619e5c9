"""Writes of activities: plan, answer, sign in, record attendance, mark held, close (duty records), cancel."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import FILE_KINDS, FILE_MAX_BYTES, Activity, ActivityFile, Attendance, Invitation, Outcome
from deputies.models import Membership
from deputies.services import duty_record_add_from_source
from liaison import uploads, workflow
from liaison.access import Role, staff_covers, user_is_staff
from liaison.audit import audit
from liaison.errors import ApplicationError, PermissionDenied

S = Activity.Status


class InviteBy:
    """Who is invited when an activity is planned."""

    GROUP = "group"  # the in-office seats of the activity's deputy group
    CONGRESS = "congress"  # every in-office seat of the congress (the region's deputies)
    HAND = "hand"  # the seats picked one by one

    CHOICES = (GROUP, CONGRESS, HAND)


def _field_error(field, message, code):
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


def _require_staff_of(actor, congress):
    if actor is None:
        return
    if not user_is_staff(actor):
        raise PermissionDenied(_("仅限人大联络工作人员。"))
    if not (actor.is_superuser or staff_covers(actor, congress.region)):
        raise ApplicationError(_("记录不存在或无权查看。"), code="not_found", status_code=404)


def _locked(activity, actor):
    """The activity's row, locked, once the staff ``actor`` is allowed to change it."""
    activity = workflow.lock(Activity.objects.select_related("congress__region"), activity.pk)
    _require_staff_of(actor, activity.congress)
    return activity


def _invitees(*, invite_by, congress, group, memberships):
    if invite_by == InviteBy.GROUP:
        if group is None:
            raise _field_error("group", _("按代表小组邀请时请选择代表小组。"), "group_required")
        return list(Membership.objects.in_office().filter(group=group).select_related("deputy__user"))
    if invite_by == InviteBy.CONGRESS:
        return list(Membership.objects.in_office().filter(congress=congress).select_related("deputy__user"))
    if invite_by != InviteBy.HAND:
        raise _field_error("invite_by", _("请选择邀请方式。"), "invite_by_invalid")
    seats = list(dict.fromkeys(memberships or []))
    if not seats:
        raise _field_error("memberships", _("请至少选择一名受邀代表。"), "invitees_required")
    for seat in seats:
        if seat.congress_id != congress.pk:
            message = _("受邀代表“%(name)s”不是%(congress)s的代表。") % {"name": seat.deputy, "congress": congress}
            raise _field_error("memberships", message, "invitee_other_congress")
        if seat.status != Membership.Status.IN_OFFICE:
            raise _field_error(
                "memberships", _("“%(name)s”的代表资格已终止。") % {"name": seat.deputy}, "invitee_terminated"
            )
    return seats


@transaction.atomic
def activity_plan(
    *,
    actor,
    congress,
    kind,
    title,
    place,
    starts_at,
    ends_at,
    agenda="",
    group=None,
    invite_by=InviteBy.HAND,
    memberships=(),
):
    """Staff of the congress's region plan an activity and invite deputies; each invitee gets one inbox message."""
    _require_staff_of(actor, congress)
    if group is not None and group.congress_id != congress.pk:
        message = _("代表小组“%(group)s”不属于%(congress)s。") % {"group": group, "congress": congress}
        raise _field_error("group", message, "group_other_congress")
    if starts_at and ends_at and ends_at <= starts_at:
        raise _field_error("ends_at", _("结束时间须晚于开始时间。"), "ends_before_start")
    seats = _invitees(invite_by=invite_by, congress=congress, group=group, memberships=memberships)
    if not seats:
        raise _field_error("invite_by", _("没有可邀请的在任代表。"), "no_invitees")
    activity = Activity(
        congress=congress,
        group=group,
        kind=kind,
        title=title,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        agenda=agenda,
        organizer=actor if actor is not None and actor.is_authenticated else None,
    )
    activity.full_clean()
    activity.save()
    invitations = Invitation.objects.bulk_create([Invitation(activity=activity, membership=seat) for seat in seats])
    audit(actor, "activity.plan", activity, data={"kind": kind, "invited": len(invitations), "by": invite_by})
    _notify_invited(activity, seats)
    return activity


def _notify_invited(activity, seats):
    """One inbox message per invited deputy who has a login, written with the invitations (so exactly once)."""
    from liaison.notifications.services import notify

    link = activity_my_url()
    context = {
        "title": activity.title,
        "kind": activity.get_kind_display(),
        "place": activity.place,
        "starts_at": timezone.localtime(activity.starts_at),
    }
    for seat in seats:
        user = seat.deputy.user
        if user is not None and user.is_active:
            notify(user, "activities/invitation", context, link=link)


def activity_my_url():
    from django.urls import reverse

    return reverse("activities:mine")


def _own_invitation(actor, invitation_id):
    if not (actor.is_authenticated and actor.role == Role.DEPUTY):
        raise PermissionDenied(_("仅限人大代表。"))
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("activity", "membership__deputy")
        .filter(pk=invitation_id, membership__deputy__user=actor)
        .first()
    )
    if invitation is None:
        raise ApplicationError(_("记录不存在或无权查看。"), code="not_found", status_code=404)
    return invitation


@transaction.atomic
def invitation_respond(*, actor, invitation, response, reason=""):
    """The invited deputy answers attend or excused (with a reason), until the activity ends."""
    invitation = _own_invitation(actor, invitation.pk)
    activity = invitation.activity
    if response not in (Invitation.Response.ATTEND, Invitation.Response.EXCUSED):
        raise _field_error("response", _("请选择参加或请假。"), "response_invalid")
    if activity.status != S.PLANNED or activity.ends_at <= timezone.now():
        raise ApplicationError(_("活动已结束或已取消，不能再答复。"), code="activity_not_open", status_code=409)
    reason = (reason or "").strip()
    if response == Invitation.Response.EXCUSED and not reason:
        raise _field_error("reason", _("请假请填写原因。"), "reason_required")
    invitation.response = response
    invitation.reason = reason if response == Invitation.Response.EXCUSED else ""
    invitation.responded_at = timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["response", "reason", "responded_at", "updated_at"])
    audit(actor, "activity.respond", invitation, data={"response": response})
    return invitation


def _attendance_for(activity, membership, *, how, actor, at):
    """The attendance of ``membership`` (created now unless it exists); ``(attendance, created)``."""
    attendance, created = Attendance.objects.get_or_create(
        activity=activity,
        membership=membership,
        defaults={"signed_in_at": at, "how": how, "recorded_by": actor if how == Attendance.How.STAFF else None},
    )
    return attendance, created


@transaction.atomic
def attendance_sign_in(*, actor, activity, now=None):
    """The signed-in deputy scans the activity's QR code: only an invited deputy, only from an hour before the start
    to the end, once. Returns ``(attendance, created)``; a second sign-in changes nothing (``created`` is False)."""
    if not (actor.is_authenticated and actor.role == Role.DEPUTY):
        raise PermissionDenied(_("仅限人大代表扫码签到。"))
    activity = workflow.lock(Activity.objects.all(), activity.pk)
    invitation = (
        Invitation.objects.select_related("membership")
        .filter(activity=activity, membership__deputy__user=actor)
        .first()
    )
    if invitation is None:
        raise PermissionDenied(_("您不在本次活动的邀请名单中，不能签到。"), code="not_invited")
    now = now or timezone.now()
    existing = Attendance.objects.filter(activity=activity, membership=invitation.membership).first()
    if existing is not None:
        return existing, False
    if activity.status not in (S.PLANNED, S.HELD):
        raise ApplicationError(_("活动已结束或已取消，不能签到。"), code="activity_not_open", status_code=409)
    if now < activity.sign_in_opens_at:
        opens = timezone.localtime(activity.sign_in_opens_at).strftime("%Y-%m-%d %H:%M")
        raise ApplicationError(_("签到尚未开始，%(opens)s 起可以签到。") % {"opens": opens}, code="sign_in_not_open")
    if now > activity.ends_at:
        raise ApplicationError(_("活动已结束，签到已关闭。"), code="sign_in_closed")
    attendance, created = _attendance_for(activity, invitation.membership, how=Attendance.How.QR, actor=actor, at=now)
    audit(actor, "activity.sign_in", attendance, data={"activity": activity.pk})
    return attendance, created


@transaction.atomic
def attendance_record(*, actor, activity, membership):
    """Staff record an invited deputy as present (the paper sign-in sheet). ``(attendance, created)``."""
    activity = _locked(activity, actor)
    if activity.status not in (S.PLANNED, S.HELD):
        raise ApplicationError(_("活动已结束或已取消，不能登记签到。"), code="activity_not_open", status_code=409)
    if not Invitation.objects.filter(activity=activity, membership=membership).exists():
        raise _field_error("membership", _("该代表不在本次活动的邀请名单中。"), "not_invited")
    attendance, created = _attendance_for(
        activity, membership, how=Attendance.How.STAFF, actor=actor, at=timezone.now()
    )
    if created:
        audit(actor, "activity.attendance_record", attendance, data={"activity": activity.pk})
    return attendance, created


@transaction.atomic
def activity_mark_held(*, actor, activity):
    activity = _locked(activity, actor)
    if activity.status == S.PLANNED and activity.starts_at > timezone.now():
        raise ApplicationError(_("活动尚未开始，不能标记为已举行。"), code="not_started")
    workflow.transition(activity, S.HELD, actor=actor, action="activity.held")
    return activity


@transaction.atomic
def activity_close(*, actor, activity):
    """Close a held activity: every attendance becomes a duty record of the activity's kind, once
    (``source_key="activity:<id>"``), so the congress's point rules count it."""
    activity = _locked(activity, actor)
    workflow.transition(activity, S.CLOSED, actor=actor, action=False, closed_at=timezone.now())
    created = activity_duty_records_add(activity=activity)
    audit(actor, "activity.close", activity, data={"duty_records": len(created)})
    return activity


def activity_duty_records_add(*, activity):
    """The duty records of a closed activity's attendances; running it again adds none (the source key is unique
    per seat). Returns the records created now."""
    if activity.status != S.CLOSED:
        return []
    occurred_on = timezone.localdate(activity.starts_at)
    created = []
    attendances = activity.attendances.select_related("membership__deputy").filter(
        membership__status=Membership.Status.IN_OFFICE
    )
    for attendance in attendances:
        created += duty_record_add_from_source(
            deputy=attendance.membership.deputy,
            kind=activity.duty_kind,
            occurred_on=occurred_on,
            source_key=f"activity:{activity.pk}",
            description=f"{activity.get_kind_display()}：{activity.title}",
            place=activity.place,
            congress=activity.congress,
        )
    return created


@transaction.atomic
def activity_cancel(*, actor, activity, reason):
    activity = _locked(activity, actor)
    reason = (reason or "").strip()
    if not reason:
        raise _field_error("reason", _("请填写取消原因。"), "reason_required")
    workflow.transition(
        activity, S.CANCELLED, actor=actor, note=reason, action="activity.cancel", cancel_reason=reason[:200]
    )
    return activity


# ---------------------------------------------------------------- the record afterwards: minutes, files, outcomes

RECORDABLE = (S.HELD, S.CLOSED)


def _recordable(activity, actor):
    activity = _locked(activity, actor)
    if activity.status not in RECORDABLE:
        raise ApplicationError(_("活动举行后才能登记纪要、附件和成果。"), code="activity_not_held", status_code=409)
    return activity


@transaction.atomic
def activity_minutes_record(*, actor, activity, minutes):
    """The organizer records (or corrects) the minutes (纪要) of a held or closed activity."""
    activity = _recordable(activity, actor)
    minutes = (minutes or "").strip()
    if not minutes:
        raise _field_error("minutes", _("请填写活动纪要。"), "minutes_required")
    activity.minutes = minutes
    activity.minutes_recorded_at = timezone.now()
    activity.full_clean()
    activity.save(update_fields=["minutes", "minutes_recorded_at", "updated_at"])
    audit(actor, "activity.minutes", activity, data={"length": len(minutes)})
    return activity


@transaction.atomic
def activity_file_add(*, actor, activity, file, title=""):
    """A photo, document or sign-in sheet of a held or closed activity; its content must be what its name says."""
    activity = _recordable(activity, actor)
    uploads.check_upload(file, kinds=FILE_KINDS, max_bytes=FILE_MAX_BYTES, field="file")
    row = ActivityFile(activity=activity, title=(title or "").strip()[:120], file=file, uploaded_by=actor)
    row.full_clean()
    row.save()
    audit(actor, "activity.file_add", row, data={"activity": activity.pk, "type": getattr(file, "checked_type", "")})
    return row


@transaction.atomic
def activity_outcome_add(*, actor, activity, kind, title, content="", proposal=None):
    """An opinion gathered or a research report; ``proposal`` (resolved through the caller's scope) is the proposal it
    became, of the activity's own congress."""
    activity = _recordable(activity, actor)
    if kind not in Outcome.Kind.values:
        raise _field_error("kind", _("请选择成果类型。"), "kind_invalid")
    if proposal is not None and proposal.congress_id != activity.congress_id:
        message = _("建议“%(proposal)s”不是%(congress)s的建议。") % {
            "proposal": proposal,
            "congress": activity.congress,
        }
        raise _field_error("proposal", message, "proposal_other_congress")
    outcome = Outcome(
        activity=activity, kind=kind, title=title, content=content or "", proposal=proposal, recorded_by=actor
    )
    outcome.full_clean()
    outcome.save()
    audit(actor, "activity.outcome_add", outcome, data={"kind": kind, "proposal": proposal.pk if proposal else None})
    return outcome
