from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("基础设置")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules reach models and other apps, which Django loads first.
        from liaison import (
            auth,
            checks,  # noqa: F401  registers the system checks
            converters,
            jobs,
        )

        converters.register()
        auth.connect_signals()  # a cached signed-in user is forgotten when they or their scope change
        jobs.autodiscover()  # every app's background job kinds (<app>/jobs.py)
