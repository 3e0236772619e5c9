from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.models import Contact, Proposal


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
            widget.attrs.setdefault("class", css)


class DraftForm(BootstrapMixin, forms.Form):
    congress = forms.ModelChoiceField(label=_("人民代表大会"), queryset=None)
    kind = forms.ChoiceField(label=_("类别"), choices=Proposal.Kind.choices)
    session = forms.CharField(label=_("会议"), required=False, help_text=_("留空为闭会期间。"))
    category = forms.CharField(label=_("分类"), required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses


class ContactForm(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=Contact.Stage.choices)
    way = forms.ChoiceField(label=_("方式"), choices=Contact.Way.choices)
    contacted_on = forms.DateField(label=_("日期"), widget=DateInput)
    summary = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(BootstrapMixin, forms.Form):
    reply_class = forms.ChoiceField(label=_("答复类别"), choices=Proposal.ReplyClass.choices)
    promised_on = forms.DateField(label=_("承诺解决日期"), required=False, widget=DateInput, help_text=_("B类必填。"))
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))


class RateForm(BootstrapMixin, forms.Form):
    rating = forms.ChoiceField(label=_("满意度"), choices=Proposal.Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.attrs["class"] = "form-check-input"
