"""Writes of the deputies app. Other apps add duty records through :func:`duty_record_add_from_source`."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deputies.models import (
    ATTACHMENT_KINDS,
    ATTACHMENT_MAX_BYTES,
    SELF_REGISTERED_KINDS,
    Congress,
    Deputy,
    DutyRecord,
    DutyRecordStatusChange,
    Membership,
    PointRule,
)
from liaison import uploads, workflow
from liaison.access import Role, user_is_staff
from liaison.audit import audit
from liaison.errors import ApplicationError, PermissionDenied


def _locked_in_scope(queryset, actor):
    """The one row of ``queryset``, locked, if the staff ``actor`` may change it (``actor=None``: the system)."""
    if actor is not None:
        if not user_is_staff(actor):
            raise PermissionDenied(_("仅限人大联络工作人员。"))
        queryset = queryset.visible_to(actor)
    row = queryset.select_for_update(of=("self",)).first()
    if row is None:
        raise ApplicationError(_("记录不存在或无权查看。"), code="not_found", status_code=404)
    return row


def duty_record_attachment_check(attachment):
    """Size and type of an uploaded attachment: the extension must be allowed and the content must match it
    (liaison.uploads)."""
    if attachment.size > ATTACHMENT_MAX_BYTES:
        raise ApplicationError(
            _("附件不能超过 %(mb)s MB。") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            code="attachment_too_large",
            extra={"fields": {"attachment": [_("附件太大。")]}},
        )
    uploads.check_upload(attachment, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES, field="attachment")


def duty_record_validate(*, membership, occurred_on, attachment=None):
    """The rules a new duty record must meet; forms call it to show errors beside their fields."""
    if membership.status == Membership.Status.TERMINATED and occurred_on > membership.terminated_on:
        raise ApplicationError(
            _("该代表资格已于 %(date)s 终止，不能录入之后的履职记录。") % {"date": membership.terminated_on},
            code="membership_terminated",
            extra={"fields": {"occurred_on": [_("日期晚于资格终止日期。")]}},
        )
    if occurred_on > timezone.localdate():
        raise ApplicationError(
            _("履职日期不能晚于今天。"),
            code="date_in_future",
            extra={"fields": {"occurred_on": [_("日期不能晚于今天。")]}},
        )
    if attachment:
        duty_record_attachment_check(attachment)


@transaction.atomic
def duty_record_create(*, actor, membership, kind, occurred_on, place="", description="", attachment=None):
    """A duty record entered by liaison staff for a seat in their region."""
    membership = _locked_in_scope(Membership.objects.filter(pk=membership.pk), actor)
    duty_record_validate(membership=membership, occurred_on=occurred_on, attachment=attachment)
    record = DutyRecord(
        membership=membership,
        kind=kind,
        occurred_on=occurred_on,
        place=place,
        description=description,
        entered_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if attachment:
        record.attachment = attachment
    record.full_clean()
    record.save()
    audit(actor, "duty_record.create", record, data={"kind": kind, "occurred_on": str(occurred_on)})
    return record


@transaction.atomic
def duty_record_add_from_source(*, deputy, kind, occurred_on, source_key, description="", place="", congress=None):
    """The hook other features call (a proposal submitted, a reception attended, a ballot cast).

    One record per in-office seat (or only the seat in ``congress``), once per ``source_key``:
    calling it again changes nothing.
    """
    seats = deputy.memberships.filter(status=Membership.Status.IN_OFFICE)
    if congress is not None:
        seats = seats.filter(congress=congress)
    created = []
    for membership in seats:
        record, was_created = DutyRecord.objects.get_or_create(
            membership=membership,
            source_key=source_key,
            defaults={"kind": kind, "occurred_on": occurred_on, "description": description, "place": place},
        )
        if was_created:
            created.append(record)
    return created


@transaction.atomic
def point_rule_set(*, actor, congress, kind, points, valid_from, note=""):
    """A new rule version from ``valid_from``; records before that date keep the version they earned under."""
    congress = _locked_in_scope(Congress.objects.filter(pk=congress.pk), actor)
    rule, _created = PointRule.objects.update_or_create(
        congress=congress, kind=kind, valid_from=valid_from, defaults={"points": points, "note": note}
    )
    rule.full_clean()
    audit(actor, "point_rule.set", rule, data={"points": str(points), "valid_from": str(valid_from)})
    return rule


@transaction.atomic
def membership_terminate(*, actor, membership, terminated_on, reason):
    membership = workflow.mark_locked(_locked_in_scope(Membership.objects.filter(pk=membership.pk), actor))
    if membership.status == Membership.Status.TERMINATED:
        raise ApplicationError(_("该代表资格已经终止。"), code="already_terminated")
    if not reason:
        raise ApplicationError(_("请填写资格终止原因。"), code="reason_required")
    if terminated_on > timezone.localdate():
        raise ApplicationError(_("终止日期不能晚于今天。"), code="date_in_future")
    workflow.transition(
        membership,
        Membership.Status.TERMINATED,
        actor=actor,
        action="membership.terminate",
        audit_data={"reason": reason},
        terminated_on=terminated_on,
        termination_reason=reason,
    )
    return membership


# ---------------------------------------------------------------- self-registered duties (代表履职登记)

RECORD_NOT_FOUND = _("记录不存在或无权查看。")


def _not_found():
    return ApplicationError(RECORD_NOT_FOUND, code="not_found", status_code=404)


def _self_registration_checks(*, membership, kind, occurred_on, description, attachment):
    if kind not in SELF_REGISTERED_KINDS:
        message = _("该履职类型由系统或工作人员记录，不能自主登记。")
        raise ApplicationError(message, code="kind_not_self_registered", extra={"fields": {"kind": [message]}})
    if not (description or "").strip():
        message = _("请填写履职内容。")
        raise ApplicationError(message, code="description_required", extra={"fields": {"description": [message]}})
    duty_record_validate(membership=membership, occurred_on=occurred_on, attachment=attachment)


def _deputy_only(actor):
    """Registering and correcting are the deputy's own acts: staff enter records through ``duty_record_create``."""
    if not actor.is_authenticated or actor.role != Role.DEPUTY:
        raise PermissionDenied(_("仅限人大代表。"))


def _deputy_seat(actor, membership):
    """The in-office seat ``membership`` of the deputy ``actor``, locked; another's seat is not found."""
    _deputy_only(actor)
    row = (
        Membership.objects.visible_to(actor)
        .in_office()
        .filter(pk=getattr(membership, "pk", membership))
        .select_related("congress")
        .select_for_update(of=("self",))
        .first()
    )
    if row is None:
        raise _not_found()
    return row


def _own_record(actor, record):
    """The deputy's own self-registered record, locked (another deputy's or a staff-entered one: not found)."""
    _deputy_only(actor)
    queryset = DutyRecord.objects.visible_to(actor).filter(self_registered=True).select_for_update(of=("self",))
    row = queryset.filter(pk=getattr(record, "pk", record)).first()
    if row is None:
        raise _not_found()
    return workflow.mark_locked(row)


def _reviewable_record(actor, record):
    """A record the staff ``actor`` may review: of a congress in their region, else not found."""
    if not user_is_staff(actor):
        raise PermissionDenied(_("仅限人大联络工作人员。"))
    queryset = (
        DutyRecord.objects.visible_to(actor)
        .select_related("membership__deputy__user", "membership__congress")
        .select_for_update(of=("self",))
    )
    row = queryset.filter(pk=getattr(record, "pk", record)).first()
    if row is None:
        raise _not_found()
    return workflow.mark_locked(row)


@transaction.atomic
def duty_record_submit(*, actor, membership, kind, occurred_on, place="", description="", attachment=None):
    """A deputy registers a duty done outside the portal; it counts once staff of the congress's region approve it."""
    membership = _deputy_seat(actor, membership)
    _self_registration_checks(
        membership=membership, kind=kind, occurred_on=occurred_on, description=description, attachment=attachment
    )
    record = DutyRecord(
        membership=membership,
        kind=kind,
        occurred_on=occurred_on,
        place=place,
        description=description.strip(),
        entered_by=actor,
        status=DutyRecord.Status.SUBMITTED,
        self_registered=True,
    )
    if attachment:
        record.attachment = attachment
    record.full_clean()
    record.save()
    DutyRecordStatusChange.objects.create(
        record=record, from_status="", to_status=DutyRecord.Status.SUBMITTED, actor=actor
    )
    audit(actor, "duty_record.submit", record, data={"kind": kind, "occurred_on": str(occurred_on)})
    return record


@transaction.atomic
def duty_record_resubmit(*, actor, record, kind, occurred_on, place="", description="", attachment=None):
    """The deputy corrects a returned registration and submits it again (a new attachment replaces the old one)."""
    record = _own_record(actor, record)
    workflow.check(record, DutyRecord.Status.SUBMITTED)
    membership = Membership.objects.select_related("congress").get(pk=record.membership_id)
    _self_registration_checks(
        membership=membership, kind=kind, occurred_on=occurred_on, description=description, attachment=attachment
    )
    fields = {"kind": kind, "occurred_on": occurred_on, "place": place, "description": description.strip()}
    if attachment:
        fields["attachment"] = attachment
    workflow.transition(
        record,
        DutyRecord.Status.SUBMITTED,
        actor=actor,
        action="duty_record.resubmit",
        audit_data={"kind": kind, "occurred_on": str(occurred_on)},
        **fields,
    )
    return record


@transaction.atomic
def duty_record_approve(*, actor, record, public=True):
    """Staff approve a registration: it counts for points and, if ``public``, appears in the public duty file."""
    record = _reviewable_record(actor, record)
    workflow.transition(
        record,
        DutyRecord.Status.APPROVED,
        actor=actor,
        action="duty_record.approve",
        audit_data={"public": bool(public)},
        is_public=bool(public),
        return_reason="",
    )
    _notify_deputy(record, "deputies/duty_record_approved")
    return record


@transaction.atomic
def duty_record_return(*, actor, record, reason):
    """Staff send a registration back with a reason; the deputy may correct it and submit it again."""
    reason = (reason or "").strip()
    if not reason:
        message = _("请填写退回原因。")
        raise ApplicationError(message, code="reason_required", extra={"fields": {"reason": [message]}})
    record = _reviewable_record(actor, record)
    workflow.transition(
        record,
        DutyRecord.Status.RETURNED,
        actor=actor,
        note=reason,
        action="duty_record.return",
        audit_data={"reason": reason},
        return_reason=reason,
    )
    _notify_deputy(record, "deputies/duty_record_returned")
    return record


@transaction.atomic
def duty_record_set_public(*, actor, record, public):
    """Staff choose whether an approved record appears in the public duty file (it counts for points either way)."""
    record = _reviewable_record(actor, record)
    if record.is_public != bool(public):
        record.is_public = bool(public)
        record.save(update_fields=["is_public", "updated_at"])
        audit(actor, "duty_record.set_public", record, data={"public": bool(public)})
    return record


def _notify_deputy(record, template_key):
    from liaison.notifications.services import notify

    user = record.membership.deputy.user
    if user is None:
        return
    with translation.override(user.language or None):
        kind = str(record.get_kind_display())
    context = {
        "kind": kind,
        "occurred_on": record.occurred_on.isoformat(),
        "reason": record.return_reason,
    }
    notify(user, template_key, context, link=reverse("deputies:my_duties"))


def deputy_for_user(user):
    return Deputy.objects.filter(user=user).first()


# ---------------------------------------------------------------- stories of duty (代表风采)


@transaction.atomic
def duty_story_create(*, actor, deputy, region, title, body, summary="", happened_on=None):
    from deputies.models import DutyStory

    story = DutyStory(deputy=deputy, region=region, title=title, body=body, summary=summary, happened_on=happened_on)
    story.full_clean()
    story.save()
    audit(actor, "duty_story.create", story)
    return story


@transaction.atomic
def duty_story_approve(*, actor, story):
    """Staff approve a story: it appears on the public 代表风采 page."""
    from deputies.models import DutyStory

    story = workflow.lock(DutyStory.objects.all(), story.pk)
    workflow.transition(
        story,
        DutyStory.Status.PUBLISHED,
        actor=actor,
        action="duty_story.approve",
        audit_data={},
        published_at=timezone.now(),
        approved_by=actor,
    )
    return story


@transaction.atomic
def duty_story_withdraw(*, actor, story):
    from deputies.models import DutyStory

    story = workflow.lock(DutyStory.objects.all(), story.pk)
    workflow.transition(
        story, DutyStory.Status.WITHDRAWN, actor=actor, validate=False, action="duty_story.withdraw", audit_data={}
    )
    return story
