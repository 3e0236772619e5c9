"""The REST API takes no password per request: session users only (OTP and session timeouts apply), and the
12345 client signs its requests (tests/hotline/test_auth.py)."""

import base64
import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, tests only) that counts how often a password is checked."""

    algorithm = "counting_md5"
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


def _basic(username, password=TEST_PASSWORD):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_a_basic_header_with_the_right_password_is_refused_without_hashing(client, staff_zz, settings):
    settings.PASSWORD_HASHERS = ["tests.security.test_api_auth.CountingHasher"]
    staff_zz.set_password(TEST_PASSWORD)
    staff_zz.save()
    CountingHasher.checks = 0
    for _ in range(3):
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=_basic("staff_zz"))
        assert response.status_code == 403
        assert response.json()["code"] == "not_authenticated"
    assert CountingHasher.checks == 0


@pytest.mark.otp_unverified  # the forced login must not verify the device here
def test_staff_without_a_verified_device_get_a_json_403_on_the_api(client, staff_zz, settings):
    settings.STAFF_REQUIRE_OTP = True
    TOTPDevice.objects.create(user=staff_zz, name="工作手机", confirmed=True)
    client.force_login(staff_zz)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "otp_required"
    assert "二次验证" in body["message"]


def test_staff_with_a_verified_device_pass(client, staff_zz, settings):
    settings.STAFF_REQUIRE_OTP = True
    device = TOTPDevice.objects.create(user=staff_zz, name="工作手机", confirmed=True)
    client.force_login(staff_zz)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "staff_zz"


def test_an_idle_api_session_answers_401_session_expired(client, staff_zz, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client.force_login(staff_zz)
    assert client.get("/api/v1/me/").status_code == 200
    session = client.session
    session["last_activity"] -= 120
    session.save()
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
    assert client.get("/api/v1/me/").status_code == 403  # logged out: the session is gone


def test_an_api_session_past_the_absolute_timeout_answers_401(client, staff_zz, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    client.force_login(staff_zz)
    assert client.get("/api/v1/me/").status_code == 200
    session = client.session
    session["session_started"] -= 3601
    session["last_activity"] = int(time.time())
    session.save()
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"


@pytest.mark.otp_unverified  # the forced login must not verify the device here
def test_the_otp_message_is_in_english_for_an_english_user(client, staff_zz, settings):
    settings.STAFF_REQUIRE_OTP = True
    staff_zz.language = "en"
    staff_zz.save()
    client.force_login(staff_zz)
    body = client.get("/api/v1/me/").json()
    assert (body["code"], body["message"]) == (
        "otp_required",
        "Staff must complete two-factor verification (one-time code) before using the API.",
    )
