import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from liaison import sms
from liaison.errors import ApplicationError
from liaison.models import AuditLog, User
from liaison.notifications.models import Notification, NotificationPreference
from liaison.reminders import discover_rules
from liaison.reminders.calendar import due_days_sent_on, is_working_day, send_day_for
from liaison.reminders.models import FollowUp, Reminder, ReminderSetting
from liaison.reminders.services import (
    ReminderSendFailed,
    reminder_resend,
    reminder_send,
    reminders_requeue_stale,
    reminders_sweep,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day, hour=9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def assignee():
    user = UserFactory(username="unit_a", role=User.Role.UNIT, mobile="13800138000", email="a@example.org")
    NotificationPreference.objects.create(user=user, sms_enabled=True, email_enabled=True)
    return user


def sweep_and_send():
    result = reminders_sweep(enqueue=False)
    outcomes = [reminder_send(reminder_id=pk) for pk in Reminder.objects.order_by("pk").values_list("pk", flat=True)]
    return result, outcomes


# --- the calendar -------------------------------------------------------------------------------------------------


def test_national_day_2024_is_not_working_and_the_make_up_saturday_is():
    assert not any(is_working_day(datetime.date(2024, 10, d)) for d in range(1, 8))
    assert is_working_day(datetime.date(2024, 10, 12))  # 调休 Saturday
    assert is_working_day(datetime.date(2024, 9, 29))  # 调休 Sunday
    assert not is_working_day(datetime.date(2024, 10, 13))


def test_reminder_due_in_national_day_goes_out_on_the_last_working_day_before():
    assert send_day_for(datetime.date(2024, 10, 3)) == datetime.date(2024, 9, 30)
    assert send_day_for(datetime.date(2024, 10, 12)) == datetime.date(2024, 10, 12)
    assert send_day_for(datetime.date(2025, 2, 1)) == datetime.date(2025, 1, 27)  # 2025 Spring Festival
    assert due_days_sent_on(datetime.date(2024, 9, 30)) == [datetime.date(2024, 9, 30)] + [
        datetime.date(2024, 10, d) for d in range(1, 8)
    ]
    assert due_days_sent_on(datetime.date(2024, 10, 11)) == [datetime.date(2024, 10, 11)]  # Saturday is worked


# --- the generic rule -----------------------------------------------------------------------------------------------


def test_follow_up_rule_fires_7_days_before_the_day_before_and_on_the_day(assignee):
    item = FollowUp.objects.create(title="报送整改情况", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    fired = []
    for day in range(10, 22):
        with at(datetime.date(2024, 11, day)):
            result, _ = sweep_and_send()
            if result.claimed:
                fired.append(day)
    assert fired == [13, 19, 20]
    rows = Reminder.objects.filter(object_id=str(item.pk)).order_by("due_on")
    assert [r.due_on.day for r in rows] == [13, 19, 20]
    assert all(r.state == Reminder.State.SENT for r in rows)
    assert Notification.objects.filter(recipient=assignee).count() == 3
    assert "报送整改情况" in Notification.objects.first().title


def test_closed_follow_up_is_never_reminded(assignee):
    FollowUp.objects.create(
        title="已办结", assignee=assignee, due_on=datetime.date(2024, 11, 20), closed_at=timezone.now()
    )
    for day in range(10, 22):
        with at(datetime.date(2024, 11, day)):
            assert reminders_sweep(enqueue=False).claimed == 0
    assert not Reminder.objects.exists()


def test_reminder_due_on_national_day_is_sent_on_september_30_and_not_again(assignee):
    FollowUp.objects.create(title="国庆期间到期", assignee=assignee, due_on=datetime.date(2024, 10, 4))
    with at(datetime.date(2024, 9, 27)):  # Friday: covers 27 and Saturday 28 (Sunday 29 is a 调休 working day)
        result = reminders_sweep(enqueue=False)
    assert result.dates == [datetime.date(2024, 9, 27), datetime.date(2024, 9, 28)]
    assert result.claimed == 1  # 7 days before
    with at(datetime.date(2024, 9, 30)):
        assert reminders_sweep(enqueue=False).claimed == 2  # the "on the day" (10-04) and "the day before" (10-03)
    for day in range(1, 8):
        with at(datetime.date(2024, 10, day)):
            assert reminders_sweep(enqueue=False).claimed == 0
    assert sorted(Reminder.objects.values_list("due_on", flat=True)) == [
        datetime.date(2024, 9, 27),
        datetime.date(2024, 10, 3),
        datetime.date(2024, 10, 4),
    ]


def test_staff_changed_offsets_take_effect_at_the_next_sweep(assignee):
    FollowUp.objects.create(title="改期", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    ReminderSetting.objects.create(key="REMINDER_FOLLOW_UP_OFFSETS_DAYS", value=[2])
    with at(datetime.date(2024, 11, 18)):
        assert reminders_sweep(enqueue=False).claimed == 1
    with at(datetime.date(2024, 11, 19)):
        assert reminders_sweep(enqueue=False).claimed == 0


def test_a_second_sweep_the_same_day_claims_nothing(assignee):
    FollowUp.objects.create(title="重复扫描", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    with at(datetime.date(2024, 11, 20)):
        assert reminders_sweep(enqueue=False).claimed == 1
        assert reminders_sweep(enqueue=False).claimed == 0
    assert Reminder.objects.count() == 1


def test_rules_are_discovered_from_installed_apps():
    assert "liaison.follow_up_due" in {rule.key for rule in discover_rules()}


# --- sending --------------------------------------------------------------------------------------------------------


def test_sent_reminder_is_never_sent_again(assignee, mailoutbox, sms_outbox):
    FollowUp.objects.create(title="只发一次", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    with at(datetime.date(2024, 11, 20)):
        reminders_sweep(enqueue=False)
    reminder = Reminder.objects.get()
    assert reminder_send(reminder_id=reminder.pk) == "sent"
    assert reminder_send(reminder_id=reminder.pk) == "already-sent"
    reminder.refresh_from_db()
    assert reminder.channels_done == ["email", "inbox", "sms"]
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1 and Notification.objects.count() == 1
    assert sms_outbox[0]["key"] == f"reminder-{reminder.pk}-sms"
    assert mailoutbox[0].extra_headers["Message-ID"] == f"<reminder-{reminder.pk}-email@liaison>"
    assert sms_outbox[0]["text"].startswith("【督办事项提醒：只发一次】「只发一次」今天到期")


def test_channel_failure_is_recorded_and_the_retry_sends_only_what_is_missing(
    assignee, mailoutbox, sms_outbox, monkeypatch
):
    FollowUp.objects.create(title="短信网关故障", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    with at(datetime.date(2024, 11, 20)):
        reminders_sweep(enqueue=False)
    reminder = Reminder.objects.get()

    def refuse(self, mobile, text, idempotency_key=None):
        raise sms.SmsSendError("网关超时")

    with monkeypatch.context() as patch:
        patch.setattr(sms.LocmemSmsBackend, "send", refuse)
        with pytest.raises(ReminderSendFailed):
            reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.FAILED
    assert reminder.attempts == 1
    assert reminder.last_error == "sms: 网关超时"
    assert reminder.channels_done == ["email", "inbox"]
    assert reminder.sent_at is None

    assert reminder_send(reminder_id=reminder.pk) == "sent"
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts, reminder.last_error) == (Reminder.State.SENT, 2, "")
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1 and Notification.objects.count() == 1


def test_channels_stay_within_what_staff_allow(assignee, mailoutbox, sms_outbox):
    ReminderSetting.objects.create(key="NOTIFICATION_ALLOWED_CHANNELS", value=["inbox", "email"])
    FollowUp.objects.create(title="不发短信", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    with at(datetime.date(2024, 11, 20)):
        sweep_and_send()
    assert len(mailoutbox) == 1 and sms_outbox == []
    assert Reminder.objects.get().channels_done == ["email", "inbox"]


def test_english_recipient_gets_the_english_message(assignee):
    User.objects.filter(pk=assignee.pk).update(language="en")
    FollowUp.objects.create(title="Audit report", assignee=assignee, due_on=datetime.date(2024, 11, 27))
    with at(datetime.date(2024, 11, 20)):
        sweep_and_send()
    n = Notification.objects.get()
    assert n.title == "Follow-up reminder: Audit report"
    assert n.body == '"Audit report" is due on 2024-11-27, in 7 days. Please complete it.'


def test_stale_pending_reminder_is_requeued_once_per_timeout(assignee, django_capture_on_commit_callbacks):
    FollowUp.objects.create(title="无人发送", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    with at(datetime.date(2024, 11, 20)):
        reminders_sweep(enqueue=False)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20), tick=False):
        with django_capture_on_commit_callbacks() as callbacks:
            assert reminders_requeue_stale() == 1
        assert len(callbacks) == 1
        assert reminders_requeue_stale() == 0  # touched: not again until the timeout passes once more


def test_staff_resend_resets_a_failed_reminder_and_refuses_a_sent_one(assignee, staff_zz):
    FollowUp.objects.create(title="重发", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    with at(datetime.date(2024, 11, 20)):
        reminders_sweep(enqueue=False)
    reminder = Reminder.objects.get()
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.FAILED, attempts=6, last_error="x")
    assert reminder_send(reminder_id=reminder.pk) == "exhausted"
    reminder_resend(actor=staff_zz, reminder=reminder)
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts) == (Reminder.State.PENDING, 0)
    assert AuditLog.objects.filter(action="reminder.resend", object_id=str(reminder.pk)).count() == 1
    assert reminder_send(reminder_id=reminder.pk) == "sent"
    with pytest.raises(ApplicationError) as exc:
        reminder_resend(actor=staff_zz, reminder=reminder)
    assert exc.value.code == "reminder_already_sent"
    assert str(exc.value.message) == "该提醒已发送，不会重复发送。"


def test_resend_admin_action_queues_failed_reminders(admin_client, assignee):
    FollowUp.objects.create(title="后台重发", assignee=assignee, due_on=datetime.date(2024, 11, 20))
    with at(datetime.date(2024, 11, 20)):
        reminders_sweep(enqueue=False)
    reminder = Reminder.objects.get()
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.FAILED, attempts=6)
    response = admin_client.post(
        "/admin/reminders/reminder/", {"action": "resend", "_selected_action": [reminder.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "已重新排队发送 1 条提醒。" in response.content.decode()
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts) == (Reminder.State.PENDING, 0)
    assert admin_client.get("/admin/reminders/reminder/?state__exact=failed").status_code == 200


def test_seed_schedules_is_idempotent():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("seed_schedules")
    call_command("seed_schedules")
    tasks = PeriodicTask.objects.filter(task__startswith="liaison.tasks.")
    assert sorted(t.task for t in tasks) == ["liaison.tasks.requeue_stale_reminders", "liaison.tasks.sweep_reminders"]
    assert {t.description for t in tasks} == {"every 10 minutes"}
