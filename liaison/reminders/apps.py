from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminder rules, the sweep and the sends: a part of the kernel with its own models."""

    name = "liaison.reminders"
    label = "reminders"
    verbose_name = _("提醒与督办")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The services queue the send task by its registered name (services.SEND_REMINDERS), so it must be
        # registered in every process, the web's too, not only in the worker that autodiscovers it.
        from liaison.reminders import tasks  # noqa: F401
