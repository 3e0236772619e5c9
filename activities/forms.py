"""Page forms: they collect input; the rules (same congress, time window, reasons) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities import rules
from activities.models import Activity, Invitation, Outcome
from activities.services import InviteBy
from liaison.scoped import ScopedModelChoiceField, ScopedModelMultipleChoiceField, bind_scopes

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

INVITE_BY_CHOICES = [
    (InviteBy.GROUP, _("按代表小组")),
    (InviteBy.CONGRESS, _("本级全体在任代表")),
    (InviteBy.HAND, _("逐个选择")),
]


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class ActivityPlanForm(forms.Form):
    congress = ScopedModelChoiceField(
        scope=rules.congresses_for, label=_("人民代表大会"), empty_label=None, widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(label=_("活动类型"), choices=Activity.Kind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(label=_("活动名称"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    place = forms.CharField(label=_("地点"), max_length=128, widget=forms.TextInput(attrs=TEXT))
    starts_at = _datetime_field(_("开始时间"))
    ends_at = _datetime_field(_("结束时间"))
    agenda = forms.CharField(
        label=_("议程"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 4, "maxlength": 4000})
    )
    group = ScopedModelChoiceField(
        scope=rules.groups_for,
        label=_("代表小组"),
        required=False,
        empty_label=_("（不限）"),
        widget=forms.Select(attrs=SELECT),
    )
    invite_by = forms.ChoiceField(
        label=_("邀请代表"), choices=INVITE_BY_CHOICES, initial=InviteBy.GROUP, widget=forms.RadioSelect
    )
    memberships = ScopedModelMultipleChoiceField(
        scope=rules.seats_for,
        label=_("受邀代表"),
        required=False,
        help_text=_("选择“逐个选择”时填写，可多选。"),
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 8}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bind_scopes(self, user)
        self.fields["memberships"].label_from_instance = lambda seat: f"{seat.deputy.name}（{seat.deputy.code}）"


class AttendanceRecordForm(forms.Form):
    membership = ScopedModelChoiceField(
        scope=rules.invited_seats, label=_("代表"), empty_label=_("请选择"), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        bind_scopes(self, user, activity=activity)
        self.fields["membership"].label_from_instance = lambda seat: seat.deputy.name


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, widget=forms.TextInput(attrs=TEXT))


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label=_("答复"), choices=[(Invitation.Response.ATTEND, _("参加")), (Invitation.Response.EXCUSED, _("请假"))]
    )
    reason = forms.CharField(label=_("请假原因"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("活动纪要"), widget=forms.Textarea(attrs={**TEXT, "rows": 6, "maxlength": 20000}), max_length=20000
    )


class FileForm(forms.Form):
    title = forms.CharField(label=_("说明"), max_length=120, required=False, widget=forms.TextInput(attrs=TEXT))
    file = forms.FileField(
        label=_("文件"),
        help_text=_("照片（JPG、PNG、WebP）、PDF 或 Word，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs=TEXT),
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("成果类型"), choices=Outcome.Kind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(label=_("标题"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    content = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3, "maxlength": 20000})
    )
    proposal = ScopedModelChoiceField(
        scope=rules.outcome_proposals,
        label=_("转为建议"),
        required=False,
        empty_label=_("（未转为建议）"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        bind_scopes(self, user, activity=activity)
