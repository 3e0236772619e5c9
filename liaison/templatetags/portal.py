"""Template tags of the design system: ``{% load portal %}``.

- ``{% status_badge obj.status %}``, ``{% status_badge obj.status obj.get_status_display kind="proposal" %}``
- ``{% sort_header "deadline" _("期限") %}`` (a whole ``<th>`` with ``aria-sort``) or ``{% sort_link ... %}``
- ``{% form_field form.title %}`` (label, widget with Bootstrap classes, help text, errors next to the field)
- ``{{ value|status_tone }}`` for custom markup.
- ``{% path "proposals:list" %}``: ``{% url %}`` of a view without arguments, reversed once (liaison.links.path_to).
"""

import functools

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from liaison.links import path_to
from liaison.status import status_info

register = template.Library()


@register.simple_tag(name="path")
def path_tag(viewname):
    return path_to(viewname)


@register.simple_tag
def status_badge(status, label=None, kind=None):
    """A badge with the registry's word and colour for ``status`` (see :mod:`liaison.status`).

    A list page shows one per row and the statuses are few: each badge is built once per language and kept."""
    return _badge(str(status or ""), str(label) if label else None, kind or None, get_language())


@functools.lru_cache(maxsize=1024)
def _badge(status, label, kind, language):
    info = status_info(status, label, kind)
    return format_html(
        '<span class="badge status-badge tone-{} status-{}" data-status="{}">{}</span>',
        info.tone,
        info.code,
        info.code,
        info.label,
    )


@register.filter
def status_tone(status, kind=None):
    return status_info(status, kind=kind).tone


@register.filter
def status_label(status, kind=None):
    return status_info(status, kind=kind).label


@register.filter
def event_time(event):
    """A timeline event's moment: ``at``, else ``created_at`` (status-change rows), from an object or a dict."""
    for name in ("at", "created_at"):
        value = event.get(name) if isinstance(event, dict) else getattr(event, name, None)
        if value:
            return value
    return None


def _sort_state(request, key):
    current = request.GET.get("sort", "") if request is not None else ""
    if current == key:
        return "ascending", f"-{key}"
    if current == f"-{key}":
        return "descending", key
    return "none", key


def _sort_href(request, value):
    params = request.GET.copy() if request is not None else {}
    if request is not None:
        params.pop("page", None)
        params["sort"] = value
        return "?" + params.urlencode()
    return f"?sort={value}"


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column heading link that toggles ``?sort=key`` / ``?sort=-key`` and keeps the other query parameters."""
    request = context.get("request")
    state, next_value = _sort_state(request, key)
    indicator = {"ascending": "▲", "descending": "▼"}.get(state, "↕")
    spoken = {"ascending": _("升序"), "descending": _("降序")}.get(state, _("点击排序"))
    return format_html(
        '<a class="sort-link" href="{}" data-sort="{}">{}<span class="sort-indicator" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">（{}）</span></a>',
        _sort_href(request, next_value),
        state,
        label,
        indicator,
        spoken,
    )


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, css_class=""):
    """``<th scope="col" aria-sort=...>`` around :func:`sort_link`."""
    state, _next = _sort_state(context.get("request"), key)
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}">{}</th>', css_class, state, sort_link(context, key, label)
    )


def _widget_class(field):
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


@register.simple_tag
def field_widget(field):
    """The field's widget with Bootstrap classes, ``is-invalid`` and ``aria-invalid`` when it has errors."""
    classes = [field.field.widget.attrs.get("class", ""), _widget_class(field)]
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
    if field.field.required:
        attrs["aria-required"] = "true"  # the label's * is hidden from screen readers
    return field.as_widget(attrs={**attrs, "class": " ".join(c for c in classes if c)})


@register.simple_tag
def form_field(field, **options):
    """Render ``components/form_field.html`` for a bound field (same output as the include)."""
    return render_to_string("components/form_field.html", {"field": field, **options})
