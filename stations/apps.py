from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("联络站与群众意见")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from stations import services, signals  # noqa: F401

        services.register_triage_outcomes()
