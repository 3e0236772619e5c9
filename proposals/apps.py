from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("代表建议议案")
    default_auto_field = "django.db.models.BigAutoField"
