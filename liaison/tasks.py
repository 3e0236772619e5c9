"""Celery tasks of the liaison app: the reminder sweeps and sends, and external delivery of inbox notifications.

Tasks take ids, load fresh rows and call a service that checks state first, so a task delivered twice does nothing
the second time. No reminder is ever scheduled as a countdown/ETA: the beat sweep finds what is due. Retries after a
channel failure use short exponential backoff (≤ 10 minutes, well inside the broker's visibility timeout).
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from liaison.channels import EXTERNAL_SENDERS, ChannelError
from liaison.reminders import services


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, periodic=True)
def sweep_reminders():
    """Beat: every 10 minutes. Claims what is due and queues one send per claimed reminder; quiet at night."""
    if timezone.localtime().hour < settings.REMINDER_SEND_FROM_HOUR:
        return {"skipped": "quiet hours"}
    result = services.reminders_sweep()
    return {"dates": [d.isoformat() for d in result.dates], "seen": result.seen, "claimed": result.claimed}


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, periodic=True)
def requeue_stale_reminders():
    """Beat: every 10 minutes. Re-queues reminders a dead worker left pending."""
    return services.reminders_requeue_stale()


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
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


@shared_task(
    acks_late=True,
    autoretry_for=(ChannelError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_channel(notification_id, channel):
    """Email or SMS for an inbox notification made by ``notify()``."""
    from liaison.channels import Message
    from liaison.models import Notification

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return "gone"
    message = Message(title=notification.title, body=notification.body, link=notification.link)
    EXTERNAL_SENDERS[channel](
        notification.recipient, message, idempotency_key=f"notification-{notification_id}-{channel}"
    )
    return "sent"


from liaison.progress import run_job  # noqa: E402, F401  (background exports and reports, liaison.jobs)
