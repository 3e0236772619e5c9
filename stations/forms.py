"""Page forms. They only collect input; the rules (lengths, number format, photo types, limits) live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.scoped import ScopedModelMultipleChoiceField, bind_scopes
from stations import rules, selectors
from stations.models import Opinion, OpinionCategory, ReceptionDay, Station

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class _CachedCategoryIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category in selectors.opinion_categories():
            yield self.choice(category)

    def __len__(self):
        return len(selectors.opinion_categories()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(selectors.opinion_categories())


class CategoryChoiceField(forms.ModelChoiceField):
    """The active categories as ``selectors.opinion_categories`` keeps them (a small table, cached a minute and
    dropped on every change): the citizens' form offers and checks a category without a query."""

    iterator = _CachedCategoryIterator

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        category = selectors.active_category(pk=value.pk if isinstance(value, OpinionCategory) else value)
        if category is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return category


class PublicOpinionForm(forms.Form):
    category = CategoryChoiceField(
        label=_("意见类别"),
        queryset=OpinionCategory.objects.filter(is_active=True).order_by("sort_order", "code"),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择意见类别。"), "invalid_choice": _("请选择意见类别。")},
        widget=forms.Select(attrs=SELECT),
    )
    # content and mobile are required (marked so on the page); their rules beyond "filled in" are the service's,
    # which the view runs even when another field is wrong, so every error shows at once.
    content = forms.CharField(
        label=_("意见内容"),
        error_messages={"required": _("请填写意见内容，至少 %(n)d 个字。") % {"n": 5}},
        widget=forms.Textarea(attrs={**TEXT, "rows": 6, "maxlength": 2000}),
        help_text=_("请写清楚地点和问题，不超过 2000 字。"),
    )
    citizen_name = forms.CharField(
        label=_("姓名（可不填）"), required=False, widget=forms.TextInput(attrs={**TEXT, "maxlength": 32})
    )
    mobile = forms.CharField(
        label=_("手机号"),
        error_messages={"required": _("请填写正确的 11 位手机号码。")},
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "tel", "maxlength": 11}),
        help_text=_("用于接收办理结果短信和查询进度，不会公开。"),
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(
        label=_("网址"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "class": "form-control"}),
    )


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"), max_length=20, widget=forms.TextInput(attrs={**TEXT, "autocapitalize": "characters"})
    )
    last_four = forms.CharField(
        label=_("手机号后四位"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "maxlength": 4}),
        error_messages={"min_length": _("请填写手机号后四位。"), "required": _("请填写手机号后四位。")},
    )


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择处理结果。")},
    )
    note = forms.CharField(
        label=_("说明（群众可见）"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
        help_text=_("已处理：写明做了什么；无法落实：写明原因；转建议：写明建议标题。"),
    )
    lead_deputy = forms.ModelChoiceField(
        label=_("领衔代表（转建议时）"),
        queryset=Deputy.objects.none(),
        required=False,
        empty_label=_("本站只有一位代表时可不选"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, outcomes, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes
        if candidates is None:
            del self.fields["lead_deputy"]
        else:
            self.fields["lead_deputy"].queryset = candidates


class ReceptionScheduleForm(forms.Form):
    date = forms.DateField(label=_("接待日期"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}))
    starts_at = forms.TimeField(
        label=_("开始时间"), required=False, widget=forms.TimeInput(attrs={**TEXT, "type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("结束时间"), required=False, widget=forms.TimeInput(attrs={**TEXT, "type": "time"})
    )
    kind = forms.ChoiceField(label=_("接待类型"), choices=ReceptionDay.Kind.choices, widget=forms.Select(attrs=SELECT))
    topic = forms.CharField(label=_("主题"), required=False, widget=forms.TextInput(attrs=TEXT))
    deputies_on_duty = ScopedModelMultipleChoiceField(
        label=_("值班代表"), scope=rules.station_deputies, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, station, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_scopes(self, user, station=station)


class ReceptionLogForm(forms.Form):
    deputies_present = ScopedModelMultipleChoiceField(
        label=_("到场代表"), scope=rules.reception_day_deputies, required=False, widget=forms.CheckboxSelectMultiple
    )
    citizens_received = forms.IntegerField(
        label=_("接待群众人次"), min_value=0, widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"})
    )
    opinions_taken = forms.IntegerField(
        label=_("收集意见条数"), min_value=0, widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"})
    )
    note = forms.CharField(label=_("接待记录"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))

    def __init__(self, *args, reception_day, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_scopes(self, user, reception_day=reception_day)


class OpinionRecordForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (Opinion.Source.PAPER, Opinion.Source.PAPER.label),
            (Opinion.Source.RECEPTION, Opinion.Source.RECEPTION.label),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    reception_day = forms.ModelChoiceField(
        label=_("接待日"), queryset=ReceptionDay.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    category = forms.ModelChoiceField(
        label=_("意见类别"),
        queryset=OpinionCategory.objects.filter(is_active=True).order_by("sort_order", "code"),
        widget=forms.Select(attrs=SELECT),
    )
    content = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={**TEXT, "rows": 5}))
    citizen_name = forms.CharField(label=_("群众姓名"), required=False, widget=forms.TextInput(attrs=TEXT))
    mobile = forms.CharField(label=_("手机号"), required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = Station.objects.visible_to(user).order_by("name")
        self.fields["station"].queryset = stations
        self.fields["reception_day"].queryset = (
            ReceptionDay.objects.filter(station__in=stations).select_related("station").order_by("-date")
        )
