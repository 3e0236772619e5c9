"""The Jinja2 environment of the ``jinja2`` template engine (settings ``TEMPLATES``): the partials that write the
busiest list rows (``<app>/jinja2/<app>/_*.jinja``), autoescaped like Django templates.

Nothing here re-implements Django: the filters call Django's own (``date``, ``truncatechars``, ``floatformat``,
``localize``), the words come from Django's gettext in the current language, links from ``reverse`` (through the
memo of :mod:`liaison.links`). A partial is parsed once per process and kept in the environment's template cache.

Rendering a partial from a view: :func:`render_partial` (its output goes into a Django template as it is).
"""

import datetime
import functools
import unicodedata
from html import escape as html_escape

from django.apps import apps
from django.template import defaultfilters, engines
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment

from liaison.links import object_url, path_to
from liaison.models import choice_label
from liaison.privacy import mask_mobile
from liaison.templatetags.portal import status_badge

ENGINE = "jinja2"
PARTIAL_SUFFIX = ".jinja"


def url(viewname, *args, **kwargs):
    """``{% url viewname arg %}``: ``reverse()``, memoised for a view without arguments or with one id (a list's
    50 links would otherwise walk the resolver 50 times)."""
    if not kwargs:
        if not args:
            return path_to(viewname)
        if len(args) == 1 and type(args[0]) is int:
            return object_url(viewname, args[0])
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def date(value, arg=None):
    """``{{ value|date:arg }}``: Django's filter, after the conversion to the current time zone that Django's engine
    makes for it (``expects_localtime``). A day is said once per format and language: a page's rows share a few."""
    if type(value) is datetime.date:
        return _day(value, arg, translation.get_language())
    if isinstance(value, datetime.datetime):
        return _moment(timezone.template_localtime(value), _format_pieces(arg, translation.get_language()))
    return defaultfilters.date(value, arg)


@functools.lru_cache(maxsize=256)
def _format_pieces(arg, language):
    """The format ``arg`` (a format name such as ``DATETIME_FORMAT``, or a format string) of ``language``, split
    once the way ``DateFormat.format`` splits it on every call: ``(method, "")`` for a format character, ``("",
    text)`` for the text between them."""
    pieces = []
    for index, piece in enumerate(dateformat.re_formatchars.split(str(formats.get_format(arg or "DATE_FORMAT")))):
        if index % 2:
            pieces.append((piece, ""))
        elif piece:
            pieces.append(("", dateformat.re_escaped.sub(r"\1", piece)))
    return tuple(pieces)


def _moment(value, pieces):
    """A date and time written from its format's pieces: Django's ``DateFormat`` says each format character."""
    said = dateformat.DateFormat(value)
    return "".join(str(getattr(said, method)()) if method else text for method, text in pieces)


@functools.lru_cache(maxsize=4096, typed=True)
def _day(value, arg, language):
    return defaultfilters.date(value, arg)


def truncatechars(value, arg):
    """``{{ value|truncatechars(n) }}``: Django's filter, which normalises the text and looks up the words of its
    ellipsis each time; a text that already fits (most of a page's) and is normalised is what it returns."""
    if type(value) is str and type(arg) is int and 0 < len(value) <= arg and unicodedata.is_normalized("NFC", value):
        return value
    return defaultfilters.truncatechars(value, arg)


def floatformat(value, arg=-1):
    """``{{ value|floatformat:arg }}``: Django's filter, once per value, argument and language (a deputy's records
    share a few point values; the filter does Decimal arithmetic each time)."""
    try:
        return _floatformat(value, arg, translation.get_language())
    except TypeError:  # not hashable
        return defaultfilters.floatformat(value, arg)


@functools.lru_cache(maxsize=1024, typed=True)
def _floatformat(value, arg, language):
    return defaultfilters.floatformat(value, arg)


def choice(value, model, field_name):
    """``{{ row["status"]|choice("app.Model", "status") }}``: what ``get_status_display()`` says, for a row dict."""
    return choice_label(_model(model), field_name, value)


@functools.cache
def _model(label):
    return apps.get_model(label)


def finalize(value):
    """What ``{{ value }}`` writes, as Django's engine writes it: localised (numbers, dates), then escaped the way
    Django escapes (``django.utils.html.escape``: ``html.escape``, so ``&#x27;`` and ``&quot;``, the very bytes the
    Django templates wrote); a safe string is kept as it is. Jinja2's autoescaping then leaves the result alone.
    A plain string, most values of a row, skips ``localize`` (which returns it unchanged) and the lazy wrapper of
    Django's ``escape``: a page writes some 500 values."""
    if type(value) is str:
        return SafeString(html_escape(value))
    if type(value) is datetime.date:  # what localize() says of a day: its DATE_FORMAT
        return SafeString(html_escape(_day(value, None, translation.get_language())))
    return conditional_escape(localize(value))


def environment(**options):
    env = Environment(**options, finalize=finalize, extensions=["jinja2.ext.i18n"])
    # Old-style callables: ``_()`` returns a plain string that autoescaping escapes, as ``{% translate %}`` does.
    env.install_gettext_callables(
        gettext=translation.gettext, ngettext=translation.ngettext, pgettext=translation.pgettext
    )
    env.globals.update({"url": url, "static": static, "status_badge": status_badge})
    env.filters.update(
        {
            "date": date,
            "date_format": formats.date_format,
            "truncatechars": truncatechars,
            "floatformat": floatformat,
            "localize": formats.localize,
            "choice": choice,
            "mask_mobile": mask_mobile,
        }
    )
    return env


def render_partial(name, context):
    """The partial ``name`` rendered with ``context``, as a safe string for a Django template: its values were
    escaped by the engine's autoescaping."""
    template = engines[ENGINE].env.get_template(name)
    return mark_safe(template.render(context))


def gettext_source(source):
    """The gettext calls of the partial ``source`` as Python source that xgettext reads, each on its line:
    ``makemessages`` (liaison/management/commands/makemessages.py) gives it for a ``.jinja`` file."""
    lines = [""] * (source.count("\n") + 1)
    for lineno, function, message in engines[ENGINE].env.extract_translations(source):
        strings = message if isinstance(message, tuple) else (message,)
        arguments = ", ".join(repr(string) for string in strings if string is not None)
        lines[lineno - 1] += f"{function}({arguments}) "
    return "\n".join(lines)
