"""System checks of the kernel (registered by LiaisonConfig.ready).

liaison.E102: under production settings NOTIFICATION_SITE_URL is the public address.
liaison.W017 needs the database (run by ``migrate`` and ``check --database default``). liaison.E201: every
writable related-object field of an API request serializer is scoped (``liaison.scoped.ScopedPrimaryKeyRelatedField``):
a plain ``PrimaryKeyRelatedField``, ``SlugRelatedField`` or ``ManyRelatedField`` would accept any record of the model,
whoever calls.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _
from rest_framework import serializers

from liaison.holidays import years_without_schedule
from liaison.scoped import ScopedPrimaryKeyRelatedField


@checks.register(checks.Tags.database)
def check_holiday_schedules(app_configs=None, databases=None, **kwargs):
    """liaison.W017: this year or next has no holiday schedule, entered or in chinesecalendar, so deadlines and
    reminders count plain Monday–Friday for it."""
    if not databases:
        return []
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


WRITE_METHODS = ("POST", "PUT", "PATCH")


def write_request_serializers():
    """``(method, path, serializer instance)`` of every write operation in the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import spectacular_settings

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        if method not in WRITE_METHODS:
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        schema = view.schema
        schema.path, schema.path_regex, schema.path_prefix, schema.method = path, path_regex, "", method
        serializer = schema.get_request_serializer()
        if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
            serializer = serializer()
        if isinstance(serializer, serializers.BaseSerializer):
            yield method, path, serializer


def unscoped_related_fields(serializer, prefix=""):
    """Dotted names of the writable related fields of ``serializer`` (nested ones too) that are not scoped."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        dotted = f"{prefix}{name}"
        if isinstance(field, serializers.BaseSerializer):
            yield from unscoped_related_fields(field, f"{dotted}.")
            continue
        related = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
        if isinstance(field, serializers.ListField):
            related = field.child
        if isinstance(related, serializers.RelatedField) and not isinstance(related, ScopedPrimaryKeyRelatedField):
            yield dotted


@checks.register(checks.Tags.security)
def check_scoped_related_fields(app_configs=None, **kwargs):
    errors = []
    for method, path, serializer in write_request_serializers():
        for name in unscoped_related_fields(serializer):
            errors.append(
                checks.Error(
                    f"{method} {path}: {type(serializer).__name__}.{name} is a related field without a scope.",
                    hint="Declare it as liaison.scoped.ScopedPrimaryKeyRelatedField(scope=<app>.rules.<rule>, ...).",
                    obj=type(serializer),
                    id="liaison.E201",
                )
            )
    return errors


LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host):
    if host.lower() in LOOPBACK_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@checks.register(checks.Tags.compatibility)
def check_notification_site_url(app_configs=None, **kwargs):
    """Under production settings the links in e-mails and SMS must point to the public address, not 127.0.0.1."""
    if not getattr(settings, "LIAISON_PRODUCTION", False):
        return []
    url = getattr(settings, "NOTIFICATION_SITE_URL", "") or ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname and not _is_loopback(parts.hostname):
        return []
    return [
        checks.Error(
            f"NOTIFICATION_SITE_URL is {url!r}: set it to the portal's public address (e.g. "
            "https://liaison.example.gov.cn); the links in e-mails and SMS are built from it.",
            id="liaison.E102",
        )
    ]
