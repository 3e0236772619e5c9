"""The staff's opinion list writes its rows with a Jinja2 partial (stations/_opinion_rows.jinja) from dicts: the markup must stay what the
template wrote from model instances, in both languages; dates are said as Django's ``date`` filter says them."""

import datetime
from html import escape

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from liaison.jinja2 import date
from stations import selectors
from stations.models import Opinion
from stations.views import opinion_rows_html
from tests.stations.factories import OpinionFactory

pytestmark = pytest.mark.django_db

# The row of stations/opinion_list.html as the Django template engine wrote it from model instances.
TEMPLATE_ROW = """{% load i18n portal %}{% for o in rows %}<tr><td><a href="{{ o.get_absolute_url }}">{{ o.tracking_code }}</a></td><td>{{ o.created_at|date:"DATETIME_FORMAT" }}</td>
<td>{{ o.station.name|default:"" }}{% if o.deputy %} {{ o.deputy.name }}{% endif %}</td><td>{{ o.category.name }}</td><td>{{ o.content|truncatechars:40 }}</td>
<td>{{ o.masked_mobile }}</td><td>{{ o.get_source_display }}</td><td>{% status_badge o.status kind="opinion" %}</td></tr>
{% endfor %}"""


@pytest.fixture
def opinions(station_a, deputy, category):
    """Every shape a row has: with and without a deputy or a station, a long text, markup, no mobile,
    times in the small hours and in the afternoon (the English format says a.m./p.m.)."""
    base = datetime.datetime(2024, 6, 18, 0, 5, tzinfo=timezone.get_current_timezone())
    rows = [
        OpinionFactory(station=station_a, deputy=deputy, category=category),
        OpinionFactory(
            station=station_a,
            content="小区<门口>的路灯坏了一个多月 & 晚上出行很不安全，" * 3,
            mobile="",
            status=Opinion.Status.HANDLED,
            source=Opinion.Source.HOTLINE,
        ),
        OpinionFactory(station=None, region=station_a.region, deputy=deputy, status=Opinion.Status.HOTLINE),
    ]
    Opinion.objects.filter(pk=rows[0].pk).update(created_at=base)
    Opinion.objects.filter(pk=rows[1].pk).update(created_at=base + datetime.timedelta(hours=15, minutes=42))
    return rows


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_opinion_rows_are_the_markup_the_template_wrote(opinions, staff_zz, language):
    with translation.override(language):
        instances = list(selectors.opinion_list(user=staff_zz))
        expected = Template(TEMPLATE_ROW).render(Context({"rows": instances}))
        written = opinion_rows_html(selectors.opinion_rows(user=staff_zz))
    squash = lambda html: "".join(line.strip() for line in str(html).splitlines())  # noqa: E731
    assert squash(written) == squash(expected)
    assert "&lt;门口&gt;" in written and "137****" in written  # escaped, masked
    assert escape(opinions[1].content) not in written  # cut at 40 characters, like truncatechars


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_labels_say_dates_and_times_as_django_does(language, settings):
    moments = [
        datetime.datetime(2024, month, day, hour, minute, 7, tzinfo=timezone.get_current_timezone())
        for month, day, hour, minute in ((1, 2, 0, 0), (6, 18, 9, 5), (11, 30, 12, 0), (12, 31, 23, 59))
    ]
    with translation.override(language):
        for moment in moments:
            local = timezone.localtime(moment)
            assert date(moment, "DATETIME_FORMAT") == date_format(local, "DATETIME_FORMAT")  # in local time
            assert date(local.date(), "DATE_FORMAT") == date_format(local.date(), "DATE_FORMAT")
        assert date(None, "DATETIME_FORMAT") == "" and date("", "DATE_FORMAT") == ""
