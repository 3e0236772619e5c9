import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from liaison.models import AuditLog
from tests.factories import UserFactory


def test_login_with_mobile_number(client, regions, password):
    UserFactory(username="li", mobile="13812345678", region=regions["zhuzhou"])
    response = client.post(reverse("login"), {"username": "13812345678", "password": password})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="auth.login", actor__username="li").count() == 1


def test_wrong_password_gives_chinese_error_and_is_audited(client, regions):
    UserFactory(username="li", region=regions["zhuzhou"])
    response = client.post(reverse("login"), {"username": "li", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名（手机号）或密码不正确" in response.content.decode()
    assert AuditLog.objects.filter(action="auth.login_failed", result="failed").count() == 1


def test_lockout_after_five_failures_even_with_the_right_password(client, regions, password):
    UserFactory(username="li", region=regions["zhuzhou"])
    for _ in range(5):
        client.post(reverse("login"), {"username": "li", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "li", "password": password})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()


def test_session_expires_after_idle_timeout(client, staff_zz, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client.force_login(staff_zz)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["last_activity"] -= 120
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "expired=1" in response["Location"]


@pytest.mark.otp_unverified
def test_staff_must_pass_totp_when_required(client, staff_zz, settings):
    settings.STAFF_REQUIRE_OTP = True
    client.force_login(staff_zz)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp-verify"))


@pytest.mark.django_db(transaction=True)
def test_audit_rows_cannot_be_changed_or_deleted_in_the_database(staff_zz):
    row = AuditLog.objects.create(action="test.event", actor_repr="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).delete()
    assert AuditLog.objects.get(pk=row.pk).action == "test.event"
