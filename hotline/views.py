"""代表专线: a deputy forwards a citizen's problem straight to 12345 from the portal and follows the result."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from hotline import selectors, services
from liaison.errors import ApplicationError
from liaison.models import User
from stations.forms import SELECT, TEXT
from stations.models import OpinionCategory


class DeputyLineForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=OpinionCategory.objects.filter(is_active=True).order_by("sort_order", "code"),
        widget=forms.Select(attrs=SELECT),
    )
    content = forms.CharField(label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 5}))
    address = forms.CharField(label=_("地点"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    citizen_name = forms.CharField(
        label=_("群众姓名"), max_length=32, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    mobile = forms.CharField(
        label=_("群众手机号"),
        max_length=11,
        required=False,
        help_text=_("热线回访用，只发给 12345。"),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )


@login_required
def deputy_line(request):
    deputy = getattr(request.user, "deputy", None) if request.user.role == User.Role.DEPUTY else None
    if deputy is None:
        raise PermissionDenied
    form = DeputyLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.deputy_line_create(actor=request.user, **data)
        except ApplicationError as error:
            for name, errors in (error.extra.get("fields") or {"__all__": [error.message]}).items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("已提交 12345 热线，工单号 #%(id)s。") % {"id": order.pk})
            return redirect("stations:deputy_line")
    orders = selectors.deputy_line_orders(deputy=deputy)[:50]
    return render(request, "stations/hotline/deputy_line.html", {"form": form, "orders": orders})
