from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from liaison.channels import EMAIL, INBOX, SMS
from liaison.notifications.models import Notification, NotificationPreference
from liaison.reminders.settings import reminder_setting


def notification_list(*, user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def _unread_key(user_id):
    return f"inbox-unread:v1:{user_id}"


def unread_count(*, user) -> int:
    """The header badge's number, on every page: kept ``WORKBENCH_COUNT_SECONDS`` per user, and forgotten as soon
    as one of the user's notifications is delivered or read (:func:`forget_unread_count`, called by the writes)."""
    seconds = getattr(settings, "WORKBENCH_COUNT_SECONDS", 120)
    if seconds <= 0:
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, seconds)
    return count


def forget_unread_count(user_id):
    """Drop the kept badge number of ``user_id`` once the current transaction commits (at once outside one)."""
    if getattr(settings, "WORKBENCH_COUNT_SECONDS", 120) > 0:
        transaction.on_commit(lambda: cache.delete(_unread_key(user_id)))


def preference_for(*, user) -> NotificationPreference:
    """The user's stored preference, or an unsaved default (inbox only)."""
    pref = getattr(user, "_notification_preference_cache", None)
    if pref is None:
        pref = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
    return pref


def allowed_channels() -> list[str]:
    """The channels staff allow (settings NOTIFICATION_ALLOWED_CHANNELS, overridable in the admin)."""
    allowed = reminder_setting("NOTIFICATION_ALLOWED_CHANNELS") or settings.NOTIFICATION_ALLOWED_CHANNELS
    return [c for c in (INBOX, EMAIL, SMS) if c in allowed]


def channels_for(*, user, preference=None, allowed=None) -> list[str]:
    """Where a message to ``user`` goes: the inbox always, plus email / SMS if chosen, allowed and addressable."""
    preference = preference or preference_for(user=user)
    allowed = allowed if allowed is not None else allowed_channels()
    channels = [INBOX]
    if EMAIL in allowed and preference.email_enabled and user.email:
        channels.append(EMAIL)
    if SMS in allowed and preference.sms_enabled and user.mobile:
        channels.append(SMS)
    return channels
