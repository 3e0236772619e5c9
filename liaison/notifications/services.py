"""Writes for notifications: deliver a message, mark read, change one's channel choices."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit import audit
from liaison.auth import forget_users
from liaison.channels import INBOX
from liaison.errors import ApplicationError
from liaison.models import User
from liaison.notifications.models import Notification, NotificationPreference
from liaison.notifications.rendering import render_message
from liaison.notifications.selectors import channels_for, forget_unread_count, preference_for
from liaison.notifications.tasks import send_notification_channel
from liaison.outbox import enqueue


def notify(user, template_key: str, context: dict, *, link: str = "") -> Notification:
    """Render ``template_key`` in the user's language, put it in the inbox, and queue email / SMS for the channels
    the user chose within what staff allow (sent by a task after the transaction commits)."""
    preference = preference_for(user=user)
    message = render_message(template_key, context, language=user.language, link=link)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=user, template_key=template_key, title=message.title, body=message.body, link=link
        )
        forget_unread_count(user.pk)
        external = [c for c in channels_for(user=user, preference=preference) if c != INBOX]
        if external:
            for channel in external:
                transaction.on_commit(
                    lambda channel=channel: enqueue(send_notification_channel, notification.pk, channel)
                )
    return notification


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id, recipient=actor).first()
        if notification is None:
            raise ApplicationError(_("消息不存在。"), code="notification_not_found", status_code=404)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            forget_unread_count(actor.pk)
    return notification


def notifications_mark_all_read(*, actor) -> int:
    marked = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread_count(actor.pk)
    return marked


def user_language_set(*, actor, language: str) -> str:
    """Remember the signed-in user's language (pages, inbox, SMS and email); an unknown code is refused."""
    if language not in User.Language.values:
        raise ApplicationError(_("不支持该语言。"), code="invalid_language", extra={"fields": {"language": language}})
    if actor.language != language:
        User.objects.filter(pk=actor.pk).update(language=language)
        forget_users([actor.pk])  # the update sends no save signal
        actor.language = language
        audit(actor, "user.language_set", actor, data={"language": language})
    return language


def preference_update(*, actor, language: str, email_enabled: bool, sms_enabled: bool) -> NotificationPreference:
    with transaction.atomic():
        user_language_set(actor=actor, language=language)
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
        preference.email_enabled = email_enabled
        preference.sms_enabled = sms_enabled
        preference.full_clean()
        preference.save()
        audit(
            actor,
            "notification.preference_update",
            preference,
            object_type="liaison.notificationpreference",  # as before the model moved: kept in the audit log
            data={"email": email_enabled, "sms": sms_enabled},
        )
    return preference
