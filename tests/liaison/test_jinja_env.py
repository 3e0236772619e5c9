"""The Jinja2 engine of the row partials (liaison/jinja2.py): autoescaping that writes what Django writes, Django's
own filters and words, links through reverse(), and each partial parsed once per process."""

import datetime
from decimal import Decimal

from django.template import engines
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import floatformat, truncatechars
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from liaison.jinja2 import date as jinja_date
from liaison.jinja2 import render_partial
from liaison.jinja2 import truncatechars as jinja_truncatechars


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


def test_a_moment_is_said_as_djangos_date_filter_says_it_for_every_format_and_language():
    moments = [
        datetime.datetime(2024, 6, 18, 16, 5, 9, tzinfo=datetime.UTC),  # the next day in Asia/Shanghai
        datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2023, 12, 31, 23, 59, 59),  # noqa: DTZ001 - naive: the default time zone
    ]
    formats_ = [None, "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "Y-m-d H:i", r"Y\年n\月 \Y", "jS F, P"]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for moment in moments:
                for format_ in formats_:
                    expected = django_date(timezone.template_localtime(moment), format_)
                    assert jinja_date(moment, format_) == expected, (language, moment, format_)
    # The same format name says other things in the two languages: the pieces are kept per language.
    with translation.override("zh-hans"):
        zh = jinja_date(moments[0], "DATETIME_FORMAT")
    with translation.override("en"):
        assert jinja_date(moments[0], "DATETIME_FORMAT") != zh
    assert jinja_date(None, "DATE_FORMAT") == "" == django_date(None, "DATE_FORMAT")


def test_truncatechars_returns_what_djangos_filter_returns():
    decomposed = "e\u0301" * 3  # not NFC: Django's filter normalises it
    texts = ["", "短", "调研了十二所学校", "调研了十二所学校" * 10, decomposed, "a\u0301bc", "<b>&</b>", "x" * 40]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for text in texts:
                for length in (0, 1, 3, 8, 40, 41):
                    assert jinja_truncatechars(text, length) == truncatechars(text, length), (text, length)
            assert render("{{ t|truncatechars(3) }}", t="<b>&</b>") == escape(truncatechars("<b>&</b>", 3))
    safe = mark_safe("<b>ok</b>")
    assert jinja_truncatechars(safe, 40) == safe and render("{{ t|truncatechars(40) }}", t=safe) == "<b>ok</b>"
