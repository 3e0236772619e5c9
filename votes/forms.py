from django import forms
from django.utils.translation import gettext_lazy as _

from votes.models import Ballot, Candidate, SatisfactionRating


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "title",
            "description",
            "budget",
            "department",
            "timeline",
            "beneficiaries",
            "source",
            "source_detail",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class BallotForm(forms.Form):
    """One radio group per candidate; ``choice_<id>`` fields."""

    def __init__(self, *args, candidates, with_serial=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        if with_serial:
            self.fields["serial"] = forms.CharField(
                label=_("纸质选票编号"), max_length=32, widget=forms.TextInput(attrs={"class": "form-control"})
            )
        for candidate in self.candidates:
            self.fields[f"choice_{candidate.pk}"] = forms.ChoiceField(
                label=candidate.title, choices=Ballot.Choice.choices, widget=forms.RadioSelect, required=False
            )

    def rows(self):
        return [(candidate, self[f"choice_{candidate.pk}"]) for candidate in self.candidates]

    def choices(self):
        return {
            str(c.pk): self.cleaned_data.get(f"choice_{c.pk}")
            for c in self.candidates
            if self.cleaned_data.get(f"choice_{c.pk}")
        }


class ProgressReportForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
    percent = forms.IntegerField(
        label=_("完成进度（%）"), min_value=0, max_value=100, widget=forms.NumberInput(attrs={"class": "form-control"})
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=SatisfactionRating.Rating.choices, widget=forms.RadioSelect)


class InspectionForm(forms.Form):
    occurred_on = forms.DateField(
        label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    place = forms.CharField(label=_("地点"), required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    findings = forms.CharField(
        label=_("检查情况与意见"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )
