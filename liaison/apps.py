from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("基础设置")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from liaison import checks  # noqa: F401  (registers liaison.E102)
