"""System checks on the deployment's configuration (registered by LiaisonConfig.ready)."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

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
