"""Celery tasks of the reminders: the sweeps and the sends.

Tasks take ids, load fresh rows and call a service that checks state first, so a task delivered twice does nothing
the second time. No reminder is ever scheduled as a countdown/ETA: the beat sweep finds what is due. Retries after a
channel failure use short exponential backoff (≤ 10 minutes, well inside the broker's visibility timeout).

The registered names are the ones they had in ``liaison.tasks`` (stored in django-celery-beat's rows, queued and
outbox messages): keep them. The services queue ``send_reminders`` by that name (``services.SEND_REMINDERS``).
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from liaison.reminders import services


@shared_task(name="liaison.tasks.sweep_reminders", acks_late=True, soft_time_limit=240, time_limit=300, periodic=True)
def sweep_reminders():
    """Beat: every 10 minutes. Claims what is due and queues one send per claimed reminder; quiet at night."""
    if timezone.localtime().hour < settings.REMINDER_SEND_FROM_HOUR:
        return {"skipped": "quiet hours"}
    result = services.reminders_sweep()
    return {"dates": [d.isoformat() for d in result.dates], "seen": result.seen, "claimed": result.claimed}


@shared_task(
    name="liaison.tasks.requeue_stale_reminders", acks_late=True, soft_time_limit=240, time_limit=300, periodic=True
)
def requeue_stale_reminders():
    """Beat: every 10 minutes. Re-queues reminders a dead worker left pending."""
    return services.reminders_requeue_stale()


@shared_task(name=services.SEND_REMINDERS, acks_late=True, soft_time_limit=240, time_limit=300)
def send_reminders(reminder_ids):
    """Deliver a batch of claimed reminders one by one; one that fails goes on alone with retries and backoff.
    A batch delivered twice, or cut short by a dead worker, is safe: each send checks and locks its row first."""
    outcomes = {}
    for reminder_id in reminder_ids:
        try:
            outcome = services.reminder_send(reminder_id=reminder_id)
        except services.ReminderSendFailed:
            send_reminder.apply_async((reminder_id,), countdown=1)
            outcome = "retrying"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(
    name="liaison.tasks.send_reminder",
    acks_late=True,
    autoretry_for=(services.ReminderSendFailed,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_reminder(reminder_id):
    return services.reminder_send(reminder_id=reminder_id)
