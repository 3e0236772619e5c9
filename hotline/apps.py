from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "hotline"
    verbose_name = _("12345热线")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hotline import hooks

        hooks.register()
