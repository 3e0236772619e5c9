"""Exactly once with real Redis and real Celery worker / beat processes (see conftest.py)."""

import datetime
import time

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from liaison.models import User
from liaison.notifications.models import Notification, NotificationPreference
from liaison.reminders.models import FollowUp, Reminder
from liaison.reminders.tasks import requeue_stale_reminders, sweep_reminders
from tests.celery import gateway
from tests.celery.conftest import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def make_due_follow_ups(n, *, users=20):
    """``n`` open 督办事项 due today, spread over ``users`` people who all chose SMS."""
    people = User.objects.bulk_create(
        User(username=f"p{i}", display_name=f"责任人{i}", role=User.Role.UNIT, mobile=f"1380000{i:04d}")
        for i in range(users)
    )
    NotificationPreference.objects.bulk_create(NotificationPreference(user=u, sms_enabled=True) for u in people)
    today = timezone.localdate()
    FollowUp.objects.bulk_create(
        FollowUp(title=f"督办事项{i}", assignee=people[i % users], due_on=today) for i in range(n)
    )


def sent_count():
    return Reminder.objects.filter(state=Reminder.State.SENT).count()


def drain(r, *, quiet_for=1.5, timeout=20):
    """Wait until the broker queue is empty and no new gateway call came for ``quiet_for`` seconds."""
    import os

    import redis

    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        calls = r.llen(gateway.CALLS_KEY)
        if calls != last or broker.llen("celery"):
            last, since = calls, time.monotonic()
        elif time.monotonic() - since >= quiet_for:
            return
        time.sleep(0.1)


def test_worker_killed_mid_sweep_and_mid_send_loses_none_and_sends_none_twice(processes, clean_redis):
    r = clean_redis
    make_due_follow_ups(1000)

    # Worker A: killed as soon as the sweep has claimed its first rows (the sweep is still running).
    a = processes.worker("worker-a")
    sweep_reminders.delay()
    wait_for(lambda: Reminder.objects.exists(), timeout=30, interval=0.01, message="the first claims")
    processes.kill(a)
    claimed_at_kill_a = Reminder.objects.count()

    # Worker B: a beat tick (sweep + requeue) finishes the claims; killed mid-send.
    b = processes.worker("worker-b")
    sweep_reminders.delay()
    requeue_stale_reminders.delay()
    wait_for(lambda: r.llen(gateway.CALLS_KEY) >= 300, timeout=40, message="300 deliveries by worker B")
    processes.kill(b)
    sent_at_kill_b = sent_count()

    # Worker C: the next beat tick; everything pending goes out.
    processes.worker("worker-c")
    time.sleep(2.5)  # older than REMINDER_STALE_AFTER_SECONDS, so the requeue picks up B's orphans
    sweep_reminders.delay()
    requeue_stale_reminders.delay()
    wait_for(lambda: sent_count() == 1000, timeout=60, interval=0.2, message=f"1000 sent\n{processes.logs()}")
    drain(r)

    assert claimed_at_kill_a < 1000, "worker A was meant to die mid-sweep"
    assert sent_at_kill_b < 1000, "worker B was meant to die mid-send"
    assert Reminder.objects.count() == 1000
    assert Reminder.objects.exclude(state=Reminder.State.SENT).count() == 0
    # The inbox: exactly one message per reminder (written in the transaction that marks it sent).
    assert Notification.objects.count() == 1000
    assert Notification.objects.values("reminder").distinct().count() == 1000
    # SMS: every reminder reached the gateway; a duplicate call is possible only for a send killed between the
    # gateway's acceptance and our COMMIT (at most one per worker process killed mid-send), and carries the same key.
    calls = [k.decode() for k in r.lrange(gateway.CALLS_KEY, 0, -1)]
    assert r.scard(gateway.DELIVERED_KEY) == 1000
    assert set(calls) == {f"reminder-{pk}-sms" for pk in Reminder.objects.values_list("pk", flat=True)}
    assert len(calls) - 1000 <= 2, f"{len(calls) - 1000} duplicate gateway calls"
    print(f"claimed at kill A: {claimed_at_kill_a}, sent at kill B: {sent_at_kill_b}, gateway calls: {len(calls)}")


def test_two_beat_processes_running_by_mistake_send_each_reminder_once(processes, clean_redis):
    r = clean_redis
    make_due_follow_ups(400)
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="sweep (test)", task="liaison.tasks.sweep_reminders", interval=every_second)
    PeriodicTask.objects.create(
        name="requeue (test)", task="liaison.tasks.requeue_stale_reminders", interval=every_second
    )

    processes.worker("worker-1", concurrency=3, REMINDER_STALE_AFTER_SECONDS=0)
    processes.worker("worker-2", concurrency=3, REMINDER_STALE_AFTER_SECONDS=0)
    processes.beat("beat-1")
    processes.beat("beat-2")
    wait_for(lambda: sent_count() == 400, timeout=60, interval=0.2, message=f"400 sent\n{processes.logs()}")
    time.sleep(3)  # a few more sweeps and requeues by both beats, while nothing is left to send
    for proc in list(processes.procs):
        processes.kill(proc)

    assert Reminder.objects.count() == 400
    assert Notification.objects.count() == 400
    calls = r.lrange(gateway.CALLS_KEY, 0, -1)
    assert len(calls) == 400
    assert len(set(calls)) == 400


def test_channel_failure_is_retried_with_backoff_and_sent_once(processes, clean_redis):
    r = clean_redis
    make_due_follow_ups(5, users=5)
    r.set(gateway.FAIL_KEY, 3)  # the gateway refuses the next three messages

    processes.worker("worker-retry", concurrency=2, REMINDER_STALE_AFTER_SECONDS=600)
    sweep_reminders.delay()
    wait_for(lambda: sent_count() == 5, timeout=45, interval=0.2, message=f"5 sent\n{processes.logs()}")
    drain(r)

    calls = r.lrange(gateway.CALLS_KEY, 0, -1)
    assert len(calls) == 5 and len(set(calls)) == 5
    reminders = list(Reminder.objects.order_by("pk"))
    assert sum(rem.attempts for rem in reminders) == 5 + 3
    assert all(rem.last_error == "" and rem.channels_done == ["inbox", "sms"] for rem in reminders)
    assert Notification.objects.count() == 5
    assert all(rem.sent_at <= timezone.now() + datetime.timedelta(seconds=1) for rem in reminders)
