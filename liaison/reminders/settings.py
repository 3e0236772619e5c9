"""Reminder settings: a staff override in the admin (ReminderSetting) wins over the value in settings.py, which
wins over the ``default`` a rule passes (for rules added after settings.py was written)."""

from django.conf import settings

_MISSING = object()


def reminder_setting(key: str, default=_MISSING):
    # Not at the top: liaison.reminders imports this module while the apps load, before models can be imported.
    from liaison.reminders.models import ReminderSetting

    override = ReminderSetting.objects.filter(key=key).values_list("value", flat=True).first()
    if override is not None:
        return override
    if default is _MISSING:
        return getattr(settings, key)
    return getattr(settings, key, default)
