"""The IP allow-list behind a reverse proxy: X-Forwarded-For counts only when it comes from TRUSTED_PROXIES."""

import pytest
from django.test import RequestFactory

from hotline import auth, services
from liaison.models import AuditLog
from liaison.proxies import client_ip

PING = "/api/v1/hotline/ping"
PROXY = "10.0.0.5"
CITIZEN_SIDE = "203.0.113.7"  # the hotline vendor's public address

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow_vendor(hotline, staff_zz):
    services.api_client_update(
        actor=staff_zz, client=hotline, endpoint_url="", ip_allowlist="203.0.113.0/24", throttle_rate="120/min"
    )
    return hotline


def ping(client, key, *, remote, forwarded=None):
    headers = auth.signed_headers(key=key, method="GET", path=PING)
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    return client.get(PING, headers=headers, REMOTE_ADDR=remote)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, key, allow_vendor, settings):
    settings.TRUSTED_PROXIES = []
    response = ping(client, key, remote=PROXY, forwarded=CITIZEN_SIDE)
    assert response.status_code == 403
    assert response.json()["code"] == "ip_not_allowed"
    assert ping(client, key, remote=CITIZEN_SIDE).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_checked(client, key, allow_vendor, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert ping(client, key, remote=PROXY, forwarded=CITIZEN_SIDE).status_code == 200
    refused = ping(client, key, remote=PROXY, forwarded="198.51.100.9")
    assert refused.status_code == 403
    assert refused.json()["code"] == "ip_not_allowed"
    row = AuditLog.objects.filter(action="hotline.auth_refused").latest("id")
    assert row.ip_address == "198.51.100.9"


def test_a_forged_x_forwarded_for_from_an_untrusted_address_is_not_believed(client, key, allow_vendor, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    response = ping(client, key, remote="198.51.100.9", forwarded=CITIZEN_SIDE)
    assert response.status_code == 403
    assert response.json()["code"] == "ip_not_allowed"


def test_a_client_cannot_prepend_an_allowed_address_through_the_proxy(client, key, allow_vendor, settings):
    # The attacker sends "X-Forwarded-For: 203.0.113.7"; the proxy appends the attacker's real address.
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    response = ping(client, key, remote=PROXY, forwarded=f"{CITIZEN_SIDE}, 198.51.100.9")
    assert response.status_code == 403
    # Through two trusted proxies, the rightmost untrusted hop is the client.
    assert ping(client, key, remote=PROXY, forwarded=f"198.51.100.9, {CITIZEN_SIDE}, 10.0.0.6").status_code == 200


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.5", "1.2.3.4", "10.0.0.5"),
        (["10.0.0.5"], "10.0.0.5", "1.2.3.4", "1.2.3.4"),
        (["10.0.0.5"], "10.0.0.5", "", "10.0.0.5"),
        (["10.0.0.5"], "10.0.0.5", "not-an-ip", None),
        (["10.0.0.0/8"], "10.0.0.5", "10.0.0.7", "10.0.0.7"),
        (["10.0.0.0/8"], "::ffff:10.0.0.5", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_reads_the_header_from_the_right(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_trusted_proxies_are_empty_by_default():
    from django.conf import settings

    assert settings.TRUSTED_PROXIES == []
