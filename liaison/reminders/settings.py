"""Reminder settings: a staff override in the admin (ReminderSetting) wins over the value in settings.py."""

from django.conf import settings


def reminder_setting(key: str):
    from liaison.models import ReminderSetting

    override = ReminderSetting.objects.filter(key=key).values_list("value", flat=True).first()
    if override is not None:
        return override
    return getattr(settings, key)
