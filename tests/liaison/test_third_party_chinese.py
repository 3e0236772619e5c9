"""Staff see the second-factor page and the admin pages of django-otp and django-axes in Chinese: the packages ship
no zh_Hans catalogue, locale/zh_Hans/ supplies one."""

import pytest
from django.urls import reverse
from django.utils import translation

from liaison.forms import StaffOTPTokenForm

pytestmark = pytest.mark.django_db


def test_otp_page_labels_and_errors_are_chinese(client, staff_zz, settings):
    settings.STAFF_REQUIRE_OTP = True
    client.force_login(staff_zz)
    response = client.post(reverse("otp-verify"), {"otp_token": "123456"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "动态口令设备" in html and "Otp device" not in html and "Otp token" not in html
    assert "请" in html and "Please" not in html and "Invalid token" not in html


def test_third_party_messages_have_chinese_in_the_catalogue():
    with translation.override("zh-hans"):
        assert str(StaffOTPTokenForm.otp_error_messages["invalid_token"]) == "动态口令无效，请确认输入正确。"
        assert str(StaffOTPTokenForm.otp_error_messages["token_required"]) == "请输入动态口令。"
        assert translation.gettext("access attempts") == "登录尝试"
        assert translation.gettext("Account locked: too many login attempts. Please try again later.").startswith(
            "账号已锁定"
        )


def test_axes_admin_pages_are_chinese(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root-zh", "root@example.com", "pw-Root-12345")
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "登录尝试" in listing and "access attempts" not in listing.lower()
    index = client.get(reverse("admin:index")).content.decode()
    assert "访问日志" in index and "Access logs" not in index
