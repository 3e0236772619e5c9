"""Activities: planning within scope, invitations in the inbox once, answers, QR sign-in, closing into duty records."""

import datetime

import pytest
from django.utils import timezone

from activities import services
from activities.models import Activity, Attendance, Invitation
from deputies import selectors as deputy_selectors
from deputies.models import DutyRecord, Membership
from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.notifications.models import Notification
from tests.activities.conftest import plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_planning_by_group_invites_the_group_and_each_deputy_gets_one_inbox_message(activity, seats):
    invited = set(activity.invitations.values_list("membership_id", flat=True))
    assert invited == {seat.pk for seat in seats["group"]}
    assert activity.status == Activity.Status.PLANNED
    for seat in seats["group"]:
        messages = Notification.objects.filter(recipient=seat.deputy.user, template_key="activities/invitation")
        assert messages.count() == 1
        assert messages.get().title == f"活动邀请：{activity.title}"
        assert messages.get().link == "/activities/mine/"
    assert not Notification.objects.filter(recipient=seats["outsider"].deputy.user).exists()


def test_planning_by_congress_invites_every_in_office_seat(staff_zz, congress, seats):
    seats["outsider"].status = Membership.Status.TERMINATED
    seats["outsider"].terminated_on = datetime.date(2024, 1, 1)
    seats["outsider"].save()
    activity = plan(staff_zz, congress, invite_by=services.InviteBy.CONGRESS)
    assert activity.invitations.count() == 3


def test_planning_by_hand_refuses_a_deputy_of_another_congress_naming_the_field(
    staff_province, congress, other_congress, seats
):
    stranger = MembershipFactory(congress=other_congress)
    with pytest.raises(ApplicationError) as refused:
        plan(staff_province, congress, invite_by=services.InviteBy.HAND, memberships=[seats["outsider"], stranger])
    assert refused.value.code == "invitee_other_congress"
    assert list(refused.value.extra["fields"]) == ["memberships"]
    assert "不是株洲市第十六届人民代表大会的代表" in refused.value.message
    assert not Activity.objects.exists()


def test_staff_of_another_region_cannot_plan_for_the_congress(staff_hy, congress, seats):
    with pytest.raises(ApplicationError) as refused:
        plan(staff_hy, congress, invite_by=services.InviteBy.HAND, memberships=[seats["outsider"]])
    assert refused.value.status_code == 404
    assert not Activity.objects.exists()


def test_staff_of_another_region_cannot_act_on_the_activity(staff_hy, activity):
    for service in (services.activity_mark_held, services.activity_close):
        with pytest.raises(ApplicationError) as refused:
            service(actor=staff_hy, activity=activity)
        assert refused.value.status_code == 404
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_a_deputy_answers_attend_then_excused_with_a_reason(activity, seats):
    user = seats["group"][0].deputy.user
    invitation = Invitation.objects.get(activity=activity, membership=seats["group"][0])
    services.invitation_respond(actor=user, invitation=invitation, response=Invitation.Response.ATTEND)
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.ATTEND
    assert invitation.responded_at is not None
    with pytest.raises(ApplicationError) as refused:
        services.invitation_respond(actor=user, invitation=invitation, response=Invitation.Response.EXCUSED)
    assert refused.value.code == "reason_required"
    services.invitation_respond(
        actor=user, invitation=invitation, response=Invitation.Response.EXCUSED, reason="参加市里的会议"
    )
    invitation.refresh_from_db()
    assert (invitation.response, invitation.reason) == (Invitation.Response.EXCUSED, "参加市里的会议")


def test_a_deputy_cannot_answer_another_deputys_invitation(activity, seats):
    invitation = Invitation.objects.get(activity=activity, membership=seats["group"][0])
    with pytest.raises(ApplicationError) as refused:
        services.invitation_respond(
            actor=seats["group"][1].deputy.user, invitation=invitation, response=Invitation.Response.ATTEND
        )
    assert refused.value.status_code == 404
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.PENDING


def test_an_invited_deputy_signs_in_within_the_window_and_a_second_sign_in_changes_nothing(activity, seats):
    user = seats["group"][0].deputy.user
    attendance, created = services.attendance_sign_in(actor=user, activity=activity)
    assert created is True
    assert (attendance.membership, attendance.how) == (seats["group"][0], Attendance.How.QR)
    again, created_again = services.attendance_sign_in(actor=user, activity=activity)
    assert created_again is False
    assert again.pk == attendance.pk
    assert again.signed_in_at == attendance.signed_in_at
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_a_deputy_outside_the_invitation_cannot_sign_in(activity, seats):
    with pytest.raises(PermissionDenied) as refused:
        services.attendance_sign_in(actor=seats["outsider"].deputy.user, activity=activity)
    assert refused.value.code == "not_invited"
    assert refused.value.message == "您不在本次活动的邀请名单中，不能签到。"
    assert not Attendance.objects.exists()


def test_sign_in_is_refused_before_the_window_opens_and_after_the_end(activity, seats):
    user = seats["group"][0].deputy.user
    too_early = activity.starts_at - datetime.timedelta(hours=1, minutes=1)
    with pytest.raises(ApplicationError) as early:
        services.attendance_sign_in(actor=user, activity=activity, now=too_early)
    assert early.value.code == "sign_in_not_open"
    with pytest.raises(ApplicationError) as late:
        services.attendance_sign_in(actor=user, activity=activity, now=activity.ends_at + datetime.timedelta(seconds=1))
    assert late.value.code == "sign_in_closed"
    assert not Attendance.objects.exists()
    opened = activity.starts_at - datetime.timedelta(minutes=59)
    _attendance, created = services.attendance_sign_in(actor=user, activity=activity, now=opened)
    assert created is True


def test_staff_record_an_invited_deputy_once_but_not_an_uninvited_one(staff_zz, activity, seats):
    _attendance, created = services.attendance_record(actor=staff_zz, activity=activity, membership=seats["group"][1])
    assert created is True
    _attendance, created = services.attendance_record(actor=staff_zz, activity=activity, membership=seats["group"][1])
    assert created is False
    with pytest.raises(ApplicationError) as refused:
        services.attendance_record(actor=staff_zz, activity=activity, membership=seats["outsider"])
    assert refused.value.code == "not_invited"
    assert Attendance.objects.get().how == Attendance.How.STAFF


def _held(staff, activity):
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1), ends_at=timezone.now() + datetime.timedelta(hours=1)
    )
    activity.refresh_from_db()
    return services.activity_mark_held(actor=staff, activity=activity)


def test_closing_makes_one_duty_record_per_attendee_with_the_rule_points_and_never_twice(
    staff_zz, activity, seats, point_rule
):
    first, second, absent = seats["group"]
    services.attendance_sign_in(actor=first.deputy.user, activity=activity)
    services.attendance_record(actor=staff_zz, activity=activity, membership=second)
    _held(staff_zz, activity)
    services.activity_close(actor=staff_zz, activity=activity)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CLOSED
    assert list(activity.status_changes.values_list("from_status", "to_status")) == [
        ("planned", "held"),
        ("held", "closed"),
    ]
    records = DutyRecord.objects.filter(source_key=f"activity:{activity.pk}")
    assert {r.membership_id for r in records} == {first.pk, second.pk}
    assert {r.kind for r in records} == {"group_activity"}
    year = timezone.localdate(activity.starts_at).year
    points = {
        r.membership_id: r.points
        for r in deputy_selectors.duty_records_with_points(user=staff_zz, year=year).filter(
            source_key=f"activity:{activity.pk}"
        )
    }
    assert points == {first.pk: point_rule.points, second.pk: point_rule.points}
    assert not DutyRecord.objects.filter(membership=absent).exists()

    with pytest.raises(InvalidTransition):
        services.activity_close(actor=staff_zz, activity=activity)
    assert services.activity_duty_records_add(activity=activity) == []
    assert records.count() == 2


def test_an_activity_cannot_be_closed_before_it_is_held_and_cancelling_needs_a_reason(staff_zz, activity):
    with pytest.raises(InvalidTransition):
        services.activity_close(actor=staff_zz, activity=activity)
    with pytest.raises(ApplicationError) as refused:
        services.activity_cancel(actor=staff_zz, activity=activity, reason=" ")
    assert refused.value.code == "reason_required"
    services.activity_cancel(actor=staff_zz, activity=activity, reason="暴雨预警，改期举行")
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == (Activity.Status.CANCELLED, "暴雨预警，改期举行")


def test_sign_in_is_refused_once_the_activity_is_cancelled(staff_zz, activity, seats):
    services.activity_cancel(actor=staff_zz, activity=activity, reason="改期")
    with pytest.raises(ApplicationError) as refused:
        services.attendance_sign_in(actor=seats["group"][0].deputy.user, activity=activity)
    assert refused.value.code == "activity_not_open"


def test_a_deputy_who_chose_sms_also_gets_the_invitation_by_sms_once(
    staff_zz, congress, group, seats, settings, sms_outbox, django_capture_on_commit_callbacks
):
    from liaison.notifications.models import NotificationPreference

    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = seats["group"][0].deputy.user
    user.mobile = "13900001111"
    user.save(update_fields=["mobile"])
    NotificationPreference.objects.create(user=user, sms_enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        activity = plan(staff_zz, congress, group=group)
    assert [message["mobile"] for message in sms_outbox] == ["13900001111"]
    assert activity.title in sms_outbox[0]["text"]
