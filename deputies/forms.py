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
