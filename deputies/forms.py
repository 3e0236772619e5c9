from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies import selectors
from deputies.models import DutyKind, Membership


class DutyRecordForm(forms.Form):
    """A duty record entered by staff: the seat is found by 代表编号 within a congress of the staff's region."""

    congress = forms.ModelChoiceField(label=_("人民代表大会"), queryset=None, empty_label=None)
    deputy_code = forms.CharField(label=_("代表编号"), max_length=32)
    kind = forms.ChoiceField(label=_("履职类型"), choices=DutyKind.choices)
    occurred_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("地点"), max_length=128, required=False)
    description = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachment = forms.FileField(
        label=_("附件"), required=False, help_text=_("PDF、JPG、PNG、Word 或 Excel，不超过 10 MB。")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["congress"].queryset = selectors.congress_list(user=user)
        self.fields["occurred_on"].initial = timezone.localdate()
        for name, field in self.fields.items():
            css = "form-select" if name in ("congress", "kind") else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        congress, code = cleaned.get("congress"), cleaned.get("deputy_code")
        if congress and code:
            membership = (
                Membership.objects.visible_to(self.user)
                .filter(congress=congress, deputy__code=code.strip())
                .select_related("deputy")
                .first()
            )
            if membership is None:
                self.add_error("deputy_code", _("该人民代表大会中没有这个代表编号。"))
            else:
                cleaned["membership"] = membership
        return cleaned


class DutyRegistrationForm(forms.Form):
    """A deputy registers a duty done outside the portal (from the phone): staff of the congress review it."""

    membership = forms.ModelChoiceField(label=_("计入的人民代表大会"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("履职类型"), choices=())
    occurred_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("地点"), max_length=128, required=False)
    description = forms.CharField(
        label=_("履职内容"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("做了什么、面向哪些群众、有何成效。")
    )
    attachment = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("照片、签到表等：PDF、JPG、PNG、Word 或 Excel，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"}),
    )

    def __init__(self, *args, user, record=None, **kwargs):
        if record is not None:
            kwargs.setdefault(
                "initial",
                {
                    "membership": record.membership_id,
                    "kind": record.kind,
                    "occurred_on": record.occurred_on,
                    "place": record.place,
                    "description": record.description,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = selectors.deputy_seats_for_registration(user=user)
        self.fields["membership"].label_from_instance = lambda seat: seat.congress.name
        self.fields["kind"].choices = selectors.self_registered_kinds()
        self.fields["occurred_on"].initial = timezone.localdate()
        if record is not None:  # a returned record stays in its congress
            self.fields["membership"].disabled = True
        for name, field in self.fields.items():
            css = "form-select" if name in ("membership", "kind") else "form-control"
            field.widget.attrs.setdefault("class", css)


class DutyApproveForm(forms.Form):
    public = forms.BooleanField(
        label=_("在公开的履职档案中显示"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class DutyReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("请填写退回原因。")},
    )
