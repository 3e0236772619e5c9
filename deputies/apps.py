from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("代表管理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from deputies import signals  # noqa: F401
