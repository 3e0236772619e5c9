"""Celery task of the notifications: external delivery (email, SMS) of an inbox notification.

The registered name is the one it had in ``liaison.tasks`` (stored in queued and outbox messages): keep it.
"""

from celery import shared_task

from liaison.channels import EXTERNAL_SENDERS, ChannelError, Message
from liaison.notifications.models import Notification


@shared_task(
    name="liaison.tasks.send_notification_channel",
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
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return "gone"
    message = Message(title=notification.title, body=notification.body, link=notification.link)
    EXTERNAL_SENDERS[channel](
        notification.recipient, message, idempotency_key=f"notification-{notification_id}-{channel}"
    )
    return "sent"
