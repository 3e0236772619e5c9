"""OWASP ASVS 4.0 level 2 basics: sessions, cookies, second factor, password re-entry, security headers."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.models import AuditLog
from liaison.reauth import SESSION_KEY
from tests.liaison.test_deploy import PRODUCTION_ENV
from tests.security.helpers import password_just_entered

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _production_settings(**extra_env):
    """The values of config.settings.production under the documented environment, read in a fresh process."""
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV, **extra_env}.items() if k != "STAFF_REQUIRE_OTP"}
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "SECURE_SSL_REDIRECT",
        "STAFF_REQUIRE_OTP",
        "SESSION_IDLE_TIMEOUT",
        "SESSION_ABSOLUTE_TIMEOUT",
        "DEBUG",
        "CONTENT_SECURITY_POLICY",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- V3 session management ------------------------------------------------------------------------------------------


def test_the_session_id_changes_at_login(client, staff_zz, password):
    client.get(reverse("login"))
    client.session["probe"] = 1  # make sure an anonymous session exists
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    response = client.post(reverse("login"), {"username": "staff_zz", "password": password})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session.get("probe") == 1  # the data moved to the new key; the old key is gone
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=before).exists()


def test_idle_timeout_defaults_to_30_minutes_and_absolute_to_12_hours(settings):
    values = _production_settings()
    assert values["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert values["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 60 * 60


def test_an_active_session_still_ends_at_the_absolute_timeout(client, staff_zz, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    client.force_login(staff_zz)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["session_started"] -= 3601
    session["last_activity"] = int(time.time())  # active a moment ago
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "expired=1" in response["Location"]
    assert client.get(reverse("home")).status_code == 302


def test_an_idle_api_session_is_logged_out_too(client, staff_zz, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client.force_login(staff_zz)
    assert client.get("/api/v1/me/").status_code == 200
    session = client.session
    session["last_activity"] -= 120
    session.save()
    assert client.get("/api/v1/me/").status_code == 401  # session_expired (tests/security/test_api_auth.py)


def test_production_cookies_are_secure_httponly_and_samesite():
    values = _production_settings()
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True


def test_the_session_cookie_is_sent_httponly_and_samesite(client, staff_zz, password):
    response = client.post(reverse("login"), {"username": "staff_zz", "password": password})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- V2 authentication: second factor for staff -----------------------------------------------------------------


def test_production_requires_a_second_factor_for_staff():
    assert _production_settings()["STAFF_REQUIRE_OTP"] is True


def test_staff_without_a_verified_device_are_sent_to_the_otp_page(client, staff_zz, password, settings):
    settings.STAFF_REQUIRE_OTP = True
    client.post(reverse("login"), {"username": "staff_zz", "password": password})
    for url in (reverse("home"), reverse("deputies:roster"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("otp-verify")), url


def test_staff_with_a_totp_device_get_in_after_a_valid_token(client, staff_zz, password, settings):
    settings.STAFF_REQUIRE_OTP = True
    device = TOTPDevice.objects.create(user=staff_zz, name="工作手机", confirmed=True)
    client.post(reverse("login"), {"username": "staff_zz", "password": password})
    wrong = client.post(reverse("otp-verify"), {"otp_device": device.persistent_id, "otp_token": "000000"})
    assert wrong.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    time.sleep(1.1)  # django-otp throttles a device for a second after a wrong token
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(
        f"{reverse('otp-verify')}?next=/deputies/roster/", {"otp_device": device.persistent_id, "otp_token": token}
    )
    assert response.status_code == 302
    assert response["Location"] == "/deputies/roster/"
    assert client.get(reverse("home")).status_code == 200
    assert AuditLog.objects.filter(action="auth.otp_verified", actor=staff_zz).count() == 1


def test_deputies_do_not_need_a_second_factor(client, world, settings):
    settings.STAFF_REQUIRE_OTP = True
    client.force_login(world.users["deputy"])
    assert client.get(reverse("deputies:portal")).status_code == 200


# --- V2/V4 password re-entry before sensitive operations --------------------------------------------------------


@pytest.mark.parametrize("name", ["deputies:roster_export", "proposals:export", "stations:opinion_export"])
def test_exports_of_personal_data_ask_for_the_password_again(client, world, password, name):
    client.force_login(world.users["staff"])
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reauth')}?next={url.replace('/', '%2F')}"
    page = client.get(response["Location"])
    assert "请再次输入密码" in page.content.decode()
    wrong = client.post(response["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200
    assert "密码不正确。" in wrong.content.decode()
    right = client.post(response["Location"], {"password": password})
    assert right.status_code == 302
    assert right["Location"] == url
    assert client.get(url).status_code == 200
    assert AuditLog.objects.filter(action="auth.reauth_failed", actor=world.users["staff"]).count() == 1
    assert AuditLog.objects.filter(action="auth.reauth", actor=world.users["staff"]).count() == 1


def test_a_re_entered_password_is_good_for_five_minutes(client, world):
    client.force_login(world.users["staff"])
    password_just_entered(client)
    assert client.get(reverse("deputies:roster_export")).status_code == 200
    session = client.session
    session[SESSION_KEY] -= 301
    session.save()
    assert client.get(reverse("deputies:roster_export")).status_code == 302


def test_closing_a_vote_asks_for_the_password_and_the_session_stays_open(client, world, password):
    session = world["open_session"]
    client.force_login(world.users["staff"])
    detail = reverse("votes:session_detail", args=[session.pk])
    response = client.post(reverse("votes:session_action", args=[session.pk, "close"]), HTTP_REFERER=detail)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauth"))
    session.refresh_from_db()
    assert session.status == "open"
    back = client.post(response["Location"], {"password": password})
    assert back["Location"] == detail
    client.post(reverse("votes:session_action", args=[session.pk, "close"]))
    session.refresh_from_db()
    assert session.status == "closed"


def test_five_wrong_re_entries_end_the_session(client, world):
    client.force_login(world.users["staff"])
    for _ in range(5):
        response = client.post(reverse("reauth"), {"password": "guess"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_the_reauth_page_does_not_redirect_to_another_site(client, world, password):
    client.force_login(world.users["staff"])
    response = client.post(f"{reverse('reauth')}?next=https://evil.example/", {"password": password})
    assert response["Location"] == reverse("home")


# --- V14 security headers -----------------------------------------------------------------------------------------


def test_pages_send_the_security_headers(client, world):
    client.force_login(world.users["staff"])
    for url in (reverse("home"), reverse("stations:directory"), "/api/v1/proposals/"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
    csp = client.get(reverse("home"))["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_production_sends_hsts_for_a_year():
    values = _production_settings()
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert "'unsafe-inline'" not in json.dumps(values["CONTENT_SECURITY_POLICY"])
