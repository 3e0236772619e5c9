"""System checks of the kernel that need the database (run by ``migrate`` and ``check --database default``)."""

from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _


@checks.register(checks.Tags.database)
def check_holiday_schedules(app_configs=None, databases=None, **kwargs):
    """liaison.W017: this year or next has no holiday schedule, entered or in chinesecalendar, so deadlines and
    reminders count plain Monday–Friday for it."""
    if not databases:
        return []
    from liaison.holidays import years_without_schedule

    try:
        years = years_without_schedule()
    except DatabaseError:  # not migrated yet: nothing to say about data that cannot exist
        return []
    if not years:
        return []
    return [
        checks.Warning(
            _("%(years)s年没有节假日安排：答复期限和提醒按周一至周五计算。") % {"years": "、".join(map(str, years))},
            hint=_("请在管理后台“节假日安排”中按国务院办公厅通知录入放假和调休上班日期。"),
            id="liaison.W017",
        )
    ]


@checks.register(checks.Tags.compatibility)
def check_sms_gateway(app_configs=None, **kwargs):
    """liaison.E018: the HTTP SMS gateway is selected but its URL or signing secret is missing."""
    from django.conf import settings

    if settings.SMS_BACKEND != "liaison.sms.HttpGatewaySmsBackend":
        return []
    missing = [name for name in ("SMS_GATEWAY_URL", "SMS_GATEWAY_SECRET") if not getattr(settings, name, "")]
    if not missing:
        return []
    return [
        checks.Error(
            f"SMS_BACKEND selects the HTTP gateway but {' and '.join(missing)} is not set.",
            hint="Set them in the environment (see .env.example and docs/sms-gateway.md).",
            id="liaison.E018",
        )
    ]
