from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.channels import EMAIL, SMS
from liaison.models import User


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("界面语言"),
        choices=User.Language.choices,
        help_text=_("页面、站内消息、短信和邮件使用的语言。"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    email_enabled = forms.BooleanField(
        label=_("同时发送邮件"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    sms_enabled = forms.BooleanField(
        label=_("同时发送短信"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, allowed=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if EMAIL not in allowed:
            self.fields["email_enabled"].disabled = True
            self.fields["email_enabled"].help_text = _("管理员暂未开放邮件提醒。")
        elif user is not None and not user.email:
            self.fields["email_enabled"].help_text = _("您的账号没有登记邮箱，邮件无法送达。")
        if SMS not in allowed:
            self.fields["sms_enabled"].disabled = True
            self.fields["sms_enabled"].help_text = _("管理员暂未开放短信提醒。")
        elif user is not None and not user.mobile:
            self.fields["sms_enabled"].help_text = _("您的账号没有登记手机号，短信无法送达。")
