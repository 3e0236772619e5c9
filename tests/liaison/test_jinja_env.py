"""The Jinja2 engine of the row partials (liaison/jinja2.py): autoescaping that writes what Django writes, Django's
own filters and words, links through reverse(), and each partial parsed once per process."""

import datetime
from decimal import Decimal

from django.template import engines
from django.template.defaultfilters import floatformat, truncatechars
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from liaison.jinja2 import render_partial


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_values_are_escaped_as_django_escapes_them_and_safe_strings_are_kept():
    text = '<a href="x">O\'Brien & co</a>'
    assert render("{{ v }}", v=text) == escape(text) == "&lt;a href=&quot;x&quot;&gt;O&#x27;Brien &amp; co&lt;/a&gt;"
    assert render("{{ v }}", v=mark_safe("<b>ok</b>")) == "<b>ok</b>"
    assert render("{{ v }}", v=None) == "None"  # as Django's {{ v }} writes it


def test_filters_are_djangos_and_say_values_in_the_current_language_and_time_zone():
    moment = datetime.datetime(2024, 6, 18, 16, 5, tzinfo=datetime.UTC)  # 00:05 the next day in Asia/Shanghai
    day = datetime.date(2024, 6, 18)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            local = timezone.localtime(moment)
            assert render('{{ m|date("DATETIME_FORMAT") }}', m=moment) == escape(date_format(local, "DATETIME_FORMAT"))
            assert render("{{ d }}", d=day) == render('{{ d|date("DATE_FORMAT") }}', d=day) == date_format(day)
            assert render('{{ p|floatformat("-2") }}', p=Decimal("2.5")) == floatformat(Decimal("2.5"), "-2")
    assert render("{{ t|truncatechars(5) }}", t="调研了十二所学校") == truncatechars("调研了十二所学校", 5)


def test_words_are_djangos_gettext_in_the_current_language():
    source = '{{ _("附件") }} {{ ngettext("%(n)s 次", "%(n)s 次", 2) % {"n": 2} }}'
    with translation.override("en"):
        assert render(source) == "Attachment 2 times"
    with translation.override("zh-hans"):
        assert render(source) == "附件 2 次"


def test_links_are_reverse():
    assert render('{{ url("proposals:detail", 12) }}') == reverse("proposals:detail", args=[12])
    assert render('{{ url("proposals:list") }}') == reverse("proposals:list")


def test_a_partial_is_parsed_once_per_process():
    env = engines["jinja2"].env
    assert env.autoescape is True and env.auto_reload is False
    first = env.get_template("stations/_opinion_rows.jinja")
    assert env.get_template("stations/_opinion_rows.jinja") is first
    assert render_partial("stations/_opinion_rows.jinja", {"rows": []}) == ""
