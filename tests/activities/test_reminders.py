"""The activities app's reminder rules over time (time-machine), driven through the real sweep and send."""

import datetime
import zoneinfo

import pytest
import time_machine

from activities import services
from activities.models import Invitation
from liaison.notifications.models import Notification
from liaison.reminders import discover_rules, rule_by_key
from liaison.reminders.models import Reminder
from liaison.reminders.services import reminder_send, reminders_sweep
from tests.activities.conftest import plan

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SIGN_IN = "activities.sign_in_opens"
MINUTES = "activities.minutes_overdue"


def at(day, hour=9, minute=0):
    moment = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def sweep_twice(key, day, hour=9, minute=0):
    """The user ids a sweep at that moment claimed for ``key``; a second sweep at once must claim nothing."""
    before = set(Reminder.objects.values_list("pk", flat=True))
    with at(day, hour, minute):
        reminders_sweep(rules=[rule_by_key(key)], enqueue=False)
    claimed = sorted(Reminder.objects.filter(rule=key).exclude(pk__in=before).values_list("recipient_id", flat=True))
    again = set(Reminder.objects.values_list("pk", flat=True))
    with at(day, hour, minute):
        reminders_sweep(rules=[rule_by_key(key)], enqueue=False)
    assert set(Reminder.objects.values_list("pk", flat=True)) == again, f"second sweep on {day} claimed again"
    return claimed


def plan_on(staff, congress, group, day, hour=14):
    """An activity of the group from ``hour`` to two hours later on ``day``, planned the week before."""
    with at(day - datetime.timedelta(days=7)):
        return plan(staff, congress, group=group, starts_in=datetime.timedelta(days=7, hours=hour - 9), hours=2)


def user_of(seat):
    return seat.deputy.user


def test_activity_rules_are_discovered_once():
    keys = [rule.key for rule in discover_rules()]
    assert keys.count(SIGN_IN) == 1 and keys.count(MINUTES) == 1


# --- 签到开始 ------------------------------------------------------------------------------------------------------

DAY = datetime.date(2025, 3, 4)  # a Tuesday


def test_sign_in_reminder_once_when_the_window_opens_to_attending_and_unanswered(staff_zz, congress, group, seats):
    activity = plan_on(staff_zz, congress, group, DAY)
    attending, excused, silent = seats["group"]
    with at(DAY - datetime.timedelta(days=2)):
        for seat, response, reason in ((attending, "attend", ""), (excused, "excused", "外出开会")):
            invitation = Invitation.objects.get(activity=activity, membership=seat)
            services.invitation_respond(actor=user_of(seat), invitation=invitation, response=response, reason=reason)

    assert sweep_twice(SIGN_IN, DAY - datetime.timedelta(days=1), 13, 30) == []  # the day before
    assert sweep_twice(SIGN_IN, DAY, 12, 50) == []  # window opens at 13:00
    expected = sorted([user_of(attending).pk, user_of(silent).pk])
    assert sweep_twice(SIGN_IN, DAY, 13, 0) == expected
    assert sweep_twice(SIGN_IN, DAY, 13, 10) == []  # later sweeps of the same day: nothing new
    assert sweep_twice(SIGN_IN, DAY, 15, 0) == []
    assert sweep_twice(SIGN_IN, DAY, 16, 10) == []  # over

    reminder = Reminder.objects.get(rule=SIGN_IN, recipient=user_of(attending))
    assert reminder.due_on == DAY and reminder.object_id == str(activity.pk)
    with at(DAY, 13, 1):
        assert reminder_send(reminder_id=reminder.pk) == "sent"
        assert reminder_send(reminder_id=reminder.pk) != "sent"
    message = Notification.objects.get(recipient=user_of(attending), template_key="activities/sign_in_opens")
    assert activity.title in message.title and "签到" in message.title
    assert message.link.endswith(f"/{activity.pk}/sign-in/")


def test_sign_in_reminder_skips_deputies_already_signed_in(staff_zz, congress, group, seats):
    activity = plan_on(staff_zz, congress, group, DAY)
    early = seats["group"][0]
    with at(DAY, 13, 0):  # scanned before the sweep of 13:05 came round
        services.attendance_sign_in(actor=user_of(early), activity=activity)
    claimed = sweep_twice(SIGN_IN, DAY, 13, 5)
    assert user_of(early).pk not in claimed and len(claimed) == 2


def test_no_sign_in_reminder_for_a_cancelled_activity(staff_zz, congress, group, seats):
    activity = plan_on(staff_zz, congress, group, DAY)
    with at(DAY, 9):
        services.activity_cancel(actor=staff_zz, activity=activity, reason="天气原因")
    assert sweep_twice(SIGN_IN, DAY, 13, 0) == []
    assert sweep_twice(SIGN_IN, DAY, 15, 0) == []


# --- 纪要逾期 ------------------------------------------------------------------------------------------------------


def held(staff, activity, day):
    with at(day, 17):
        services.activity_mark_held(actor=staff, activity=activity)


def test_minutes_overdue_reminds_the_organizer_once_three_days_after(staff_zz, congress, group, seats):
    activity = plan_on(staff_zz, congress, group, DAY)
    held(staff_zz, activity, DAY)
    assert sweep_twice(MINUTES, DAY + datetime.timedelta(days=2)) == []
    assert sweep_twice(MINUTES, DAY + datetime.timedelta(days=3)) == [staff_zz.pk]  # Friday 7 March
    assert sweep_twice(MINUTES, DAY + datetime.timedelta(days=3), 15) == []
    assert sweep_twice(MINUTES, DAY + datetime.timedelta(days=6)) == []  # the next Monday: not again
    reminder = Reminder.objects.get(rule=MINUTES)
    with at(DAY + datetime.timedelta(days=3), 9, 1):
        assert reminder_send(reminder_id=reminder.pk) == "sent"
    message = Notification.objects.get(recipient=staff_zz, template_key="activities/minutes_overdue")
    assert activity.title in message.title and "3" in message.body


def test_minutes_overdue_also_for_a_closed_activity_and_on_monday_after_a_weekend(staff_zz, congress, group, seats):
    thursday = datetime.date(2025, 3, 6)  # + 3 days = Sunday: waits for Monday
    activity = plan_on(staff_zz, congress, group, thursday)
    held(staff_zz, activity, thursday)
    with at(thursday, 18):
        services.activity_close(actor=staff_zz, activity=activity)
    assert sweep_twice(MINUTES, datetime.date(2025, 3, 7)) == []
    assert sweep_twice(MINUTES, datetime.date(2025, 3, 9)) == []  # Sunday: nothing goes out
    assert sweep_twice(MINUTES, datetime.date(2025, 3, 10)) == [staff_zz.pk]


def test_no_minutes_reminder_once_minutes_are_recorded(staff_zz, congress, group, seats):
    activity = plan_on(staff_zz, congress, group, DAY)
    held(staff_zz, activity, DAY)
    with at(DAY + datetime.timedelta(days=1)):
        services.activity_minutes_record(actor=staff_zz, activity=activity, minutes="座谈交流，收集意见三条。")
    assert sweep_twice(MINUTES, DAY + datetime.timedelta(days=3)) == []


def test_no_minutes_reminder_for_a_cancelled_activity(staff_zz, congress, group, seats):
    activity = plan_on(staff_zz, congress, group, DAY)
    with at(DAY, 9):
        services.activity_cancel(actor=staff_zz, activity=activity, reason="天气原因")
    assert sweep_twice(MINUTES, DAY + datetime.timedelta(days=3)) == []


def test_minutes_reminder_goes_to_the_region_staff_without_an_active_organizer(
    staff_zz, staff_hy, congress, group, seats
):
    from tests.factories import UserFactory

    colleague = UserFactory(role="staff", region=congress.region, is_staff=True)
    activity = plan_on(staff_zz, congress, group, DAY)
    held(staff_zz, activity, DAY)
    staff_zz.is_active = False
    staff_zz.save(update_fields=["is_active"])
    assert sweep_twice(MINUTES, DAY + datetime.timedelta(days=3)) == [colleague.pk]  # not 衡阳's staff
