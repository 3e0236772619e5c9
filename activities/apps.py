from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("代表活动")
    default_auto_field = "django.db.models.BigAutoField"
