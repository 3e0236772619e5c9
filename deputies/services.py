"""Writes of the deputies app. Other apps add duty records through :func:`duty_record_add_from_source`."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy, DutyRecord, Membership, PointRule
from liaison.audit import audit
from liaison.errors import ApplicationError


@transaction.atomic
def duty_record_create(*, actor, membership, kind, occurred_on, place="", description="", attachment=None):
    record = DutyRecord(
        membership=membership,
        kind=kind,
        occurred_on=occurred_on,
        place=place,
        description=description,
        entered_by=actor,
    )
    if attachment:
        record.attachment = attachment
    record.full_clean()
    record.save()
    audit(actor, "duty_record.create", record)
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
    rule, _created = PointRule.objects.update_or_create(
        congress=congress, kind=kind, valid_from=valid_from, defaults={"points": points, "note": note}
    )
    rule.full_clean()
    audit(actor, "point_rule.set", rule, data={"points": str(points), "valid_from": str(valid_from)})
    return rule


@transaction.atomic
def membership_terminate(*, actor, membership, terminated_on, reason):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status == Membership.Status.TERMINATED:
        raise ApplicationError(_("该代表资格已经终止。"), code="already_terminated")
    if not reason:
        raise ApplicationError(_("请填写资格终止原因。"), code="reason_required")
    if terminated_on > timezone.localdate():
        raise ApplicationError(_("终止日期不能晚于今天。"), code="date_in_future")
    membership.status = Membership.Status.TERMINATED
    membership.terminated_on = terminated_on
    membership.termination_reason = reason
    membership.full_clean()
    membership.save()
    audit(actor, "membership.terminate", membership, data={"reason": reason})
    return membership


def deputy_for_user(user):
    return Deputy.objects.filter(user=user).first()


# ---------------------------------------------------------------- stories of duty (代表风采)

STORY_TRANSITIONS = {
    "pending": {"published", "withdrawn"},
    "published": {"withdrawn"},
    "withdrawn": {"published"},
}


def _story_move(story, to_status):
    from liaison.errors import InvalidTransition

    if to_status not in STORY_TRANSITIONS.get(story.status, set()):
        raise InvalidTransition(_("当前状态不能执行此操作。"), current=story.status, requested=to_status)


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

    story = DutyStory.objects.select_for_update().get(pk=story.pk)
    _story_move(story, DutyStory.Status.PUBLISHED)
    story.status = DutyStory.Status.PUBLISHED
    story.published_at = timezone.now()
    story.approved_by = actor
    story.full_clean()
    story.save(update_fields=["status", "published_at", "approved_by", "updated_at"])
    audit(actor, "duty_story.approve", story)
    return story


@transaction.atomic
def duty_story_withdraw(*, actor, story):
    from deputies.models import DutyStory

    story = DutyStory.objects.select_for_update().get(pk=story.pk)
    _story_move(story, DutyStory.Status.WITHDRAWN)
    story.status = DutyStory.Status.WITHDRAWN
    story.save(update_fields=["status", "updated_at"])
    audit(actor, "duty_story.withdraw", story)
    return story
