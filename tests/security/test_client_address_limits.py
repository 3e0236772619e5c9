"""Lock-outs and rate limits count the real client (``liaison.proxies.client_ip``): X-Forwarded-For is believed
only from TRUSTED_PROXIES, so people behind the office proxy do not lock each other out, and a client cannot
write itself a fresh address."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from liaison.models import User
from tests.factories import TEST_PASSWORD, UserFactory

PROXY = "10.0.0.1"
X, Y = "203.0.113.5", "203.0.113.9"
UNTRUSTED = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings, db):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, *, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = client.post(reverse("login"), {"username": username, "password": password}, **extra)
    client.logout()
    return response.status_code


def _fail(client, username, times, **where):
    for _ in range(times):
        assert _login(client, username, "wrong-password", **where) != 302


@pytest.fixture
def two_users(regions):
    return (
        UserFactory(username="user_a", role=User.Role.STAFF, region=regions["zhuzhou"]),
        UserFactory(username="user_b", role=User.Role.STAFF, region=regions["zhuzhou"]),
    )


def test_failures_of_a_from_x_do_not_lock_out_b_or_a_from_y(client, behind_proxy, two_users):
    _fail(client, "user_a", 3, remote=PROXY, forwarded=X)
    assert _login(client, "user_a", TEST_PASSWORD, remote=PROXY, forwarded=X) == 429  # locked: A from X
    assert _login(client, "user_b", TEST_PASSWORD, remote=PROXY, forwarded=X) == 302  # another user, same address
    assert _login(client, "user_a", TEST_PASSWORD, remote=PROXY, forwarded=Y) == 302  # same user, another address


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(client, behind_proxy, two_users):
    # the peer writes X into the header: its failures still count against its own address, not X
    _fail(client, "user_a", 3, remote=UNTRUSTED, forwarded=X)
    assert _login(client, "user_a", TEST_PASSWORD, remote=PROXY, forwarded=X) == 302
    # ... and changing the forged header does not give it a fresh count
    _fail(client, "user_b", 2, remote=UNTRUSTED, forwarded=Y)
    assert _login(client, "user_b", "wrong-password", remote=UNTRUSTED, forwarded="192.0.2.44") != 302
    assert _login(client, "user_b", TEST_PASSWORD, remote=UNTRUSTED, forwarded="192.0.2.45") == 429


def test_the_open311_anonymous_rate_ignores_a_forged_forwarded_for(client, behind_proxy, settings):
    settings.OPEN311_ANON_RATE = "2/min"
    url = "/open311/v2/services.json"
    assert client.get(url, REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 200
    assert client.get(url, REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 200
    assert client.get(url, REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.3").status_code == 429
    # behind the trusted proxy, each client has its own count
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=X).status_code == 200
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=X).status_code == 200
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=X).status_code == 429
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=Y).status_code == 200


def test_the_tracking_lookup_rate_ignores_a_forged_forwarded_for(client, behind_proxy, settings):
    settings.OPINION_LOOKUP_RATE_LIMIT = (2, 600)
    url = reverse("stations:track")
    data = {"code": "ABCD2345", "last_four": "1234"}

    def lookup(**extra):
        return client.post(url, data, **extra).status_code

    assert lookup(REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.1") != 429
    assert lookup(REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.2") != 429
    assert lookup(REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.3") == 429
    assert lookup(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=X) != 429  # a real client behind the proxy


def test_without_trusted_proxies_the_tracking_rate_counts_remote_addr(client, settings, db):
    settings.TRUSTED_PROXIES = []
    settings.OPINION_TRUST_FORWARDED_FOR = True  # the old switch that believed any X-Forwarded-For: gone
    settings.OPINION_LOOKUP_RATE_LIMIT = (1, 600)
    cache.clear()
    url = reverse("stations:track")
    data = {"code": "ABCD2345", "last_four": "1234"}
    assert client.post(url, data, REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code != 429
    assert client.post(url, data, REMOTE_ADDR=UNTRUSTED, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429
    cache.clear()
