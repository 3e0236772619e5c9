from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPTokenForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("用户名（手机号）或密码不正确。注意：连续多次失败后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系人大代表工委。"),
    }


class StaffOTPTokenForm(OTPTokenForm):
    """django-otp's token form with labels in the portal's languages (the package names its fields only by their
    attribute names, "Otp device" and "Otp token"); its messages come from locale/zh_Hans."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_device"].label = _("动态口令设备")
        self.fields["otp_token"].label = _("动态口令")
