"""The deputy portal reads values and writes its duty record rows with a Jinja2 partial (deputies/_duty_rows.jinja), and its seats' points
and ranks come from per-seat lines kept beside the cached ranking: the page must still say what the template wrote
from model instances, in both languages, and stay fresh."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from deputies import selectors, services
from deputies.models import DutyKind, Membership
from deputies.views import duty_rows_html
from liaison.models import User
from tests.factories import CongressFactory, DutyRecordFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# The row of deputies/portal.html as the Django template engine wrote it from model instances.
TEMPLATE_ROW = """{% load i18n %}{% for record in records %}
<tr><td>{{ record.occurred_on|date:"DATE_FORMAT" }}</td><td>{{ record.membership.congress.name }}</td><td>{{ record.get_kind_display }}</td><td>{{ record.description|truncatechars:60 }}{% if record.attachment %} <a href="{% url 'deputies:duty_record_attachment' record.pk %}">{% translate "附件" %}</a>{% endif %}</td><td class="text-end">{{ record.points|floatformat:"-2" }}</td></tr>
{% endfor %}"""


def _squash(html):
    return "".join(line.strip() for line in str(html).splitlines())


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def deputy_user(regions, year):
    """A deputy with two seats in office and one ended, records of every shape in them, last year's record and
    another deputy's record (neither shown)."""
    user = UserFactory(role=User.Role.DEPUTY)
    zz = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    ty = CongressFactory(region=regions["tianyuan"], name="天元区第五届人民代表大会 <R&D>")
    hy = CongressFactory(region=regions["hengyang"], name="衡阳市第十六届人民代表大会")
    city = MembershipFactory(congress=zz, deputy__user=user)
    county = MembershipFactory(congress=ty, deputy=city.deputy)
    ended = MembershipFactory(
        congress=hy,
        deputy=city.deputy,
        status=Membership.Status.TERMINATED,
        terminated_on=datetime.date(year, 1, 1),
        termination_reason="调离",
    )
    MembershipFactory.create_batch(2, congress=zz)
    for congress, points in ((zz, Decimal("4")), (ty, Decimal("2.5")), (hy, Decimal("1.25"))):
        services.point_rule_set(
            actor=None, congress=congress, kind=DutyKind.INSPECTION, points=points, valid_from=datetime.date(year, 1, 1)
        )
    DutyRecordFactory(membership=city, occurred_on=datetime.date(year, 1, 2), description="视察老旧小区改造")
    DutyRecordFactory(
        membership=county,
        occurred_on=datetime.date(year, 1, 3),
        description="关于<学校>周边交通 & 停车的调研，" + "走访了十二所学校和三个社区，" * 5,
        attachment="duty_records/2024/report.pdf",
    )
    DutyRecordFactory(membership=county, kind=DutyKind.TRAINING, occurred_on=datetime.date(year, 1, 3))
    DutyRecordFactory(membership=ended, occurred_on=datetime.date(year, 1, 1), description="离任前的视察")
    DutyRecordFactory(membership=city, occurred_on=datetime.date(year - 1, 12, 31), description="去年的视察")
    DutyRecordFactory(membership__congress=zz, occurred_on=datetime.date(year, 1, 2), description="别人的视察")
    return user


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_duty_rows_are_the_markup_the_template_wrote(deputy_user, year, language):
    with translation.override(language):
        instances = list(selectors.duty_records_with_points(user=deputy_user, year=year)[:50])
        expected = Template(TEMPLATE_ROW).render(Context({"records": instances}))
        rows = selectors.portal_duty_rows(user=deputy_user, year=year)
        written = duty_rows_html(rows)
    assert _squash(written) == _squash(expected)
    assert len(rows) == 4  # not last year's record, not another deputy's
    assert "&lt;学校&gt;" in written and "<学校>" not in written  # escaped, like the template
    assert "走访了十二所学校和三个社区，" * 5 not in written  # the long description is cut at 60 characters
    assert reverse("deputies:duty_record_attachment", args=[rows[1]["id"]]) in written
    assert [row["points"] for row in rows] == [Decimal("0"), Decimal("2.5"), Decimal("4"), Decimal("1.25")]


@pytest.mark.parametrize(
    "description",
    ["调" * 60, "调" * 61, "e\u0301" * 40, "<&>" * 30, ""],
    ids=["60 chars", "61 chars", "combining accents", "markup", "empty"],
)
def test_descriptions_are_cut_like_the_truncatechars_filter(regions, year, description):
    user = UserFactory(role=User.Role.DEPUTY)
    DutyRecordFactory(membership__deputy__user=user, occurred_on=datetime.date(year, 2, 1), description=description)
    instances = list(selectors.duty_records_with_points(user=user, year=year))
    expected = Template(TEMPLATE_ROW).render(Context({"records": instances}))
    assert _squash(duty_rows_html(selectors.portal_duty_rows(user=user, year=year))) == _squash(expected)


def test_portal_rows_are_the_deputys_records_of_the_year_with_their_points(deputy_user, year):
    """The rows are the records ``duty_records_with_points`` scopes to the deputy, for that year, with the same
    points; another deputy's portal shows none of them."""
    expected = [(r.pk, r.points) for r in selectors.duty_records_with_points(user=deputy_user, year=year)[:50]]
    assert expected  # the fixture's records
    assert [(r["id"], r["points"]) for r in selectors.portal_duty_rows(user=deputy_user, year=year)] == expected
    assert selectors.portal_duty_rows(user=deputy_user, year=year - 5) == []
    other = UserFactory(role=User.Role.DEPUTY)
    assert selectors.portal_duty_rows(user=other, year=year) == []


def test_portal_lists_the_latest_fifty_records_of_the_year(deputy_user, year):
    seat = Membership.objects.filter(deputy__user=deputy_user).first()
    DutyRecordFactory.create_batch(55, membership=seat, occurred_on=datetime.date(year, 1, 4))
    rows = selectors.portal_duty_rows(user=deputy_user, year=year)
    assert len(rows) == 50
    assert [row["id"] for row in rows] == [
        record.pk for record in selectors.duty_records_with_points(user=deputy_user, year=year)[:50]
    ]


def test_points_summary_lists_each_seat_in_office_with_its_rank(deputy_user, year):
    summary = selectors.deputy_points_summary(deputy=deputy_user.deputy, year=year)
    seats = list(deputy_user.deputy.memberships.select_related("congress").filter(status="in_office"))
    assert [row["congress_name"] for row in summary] == [seat.congress.name for seat in seats]
    by_name = {row["congress_name"]: (row["points"], row["rank"], row["of"]) for row in summary}
    assert by_name == {
        "株洲市第十六届人民代表大会": (4, 1, 4),
        "天元区第五届人民代表大会 <R&D>": (Decimal("2.5"), 1, 1),
    }


@pytest.mark.django_db(transaction=True)  # real commits: the lines are dropped by an on-commit hook
def test_points_summary_is_one_statement_when_warm_and_fresh_after_a_change(deputy_user, year, staff_zz):
    deputy = deputy_user.deputy
    seat = deputy.memberships.get(congress__name="株洲市第十六届人民代表大会")
    rival = Membership.objects.filter(congress=seat.congress).exclude(deputy=deputy).first()
    first = selectors.deputy_points_summary(deputy=deputy, year=year)
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.deputy_points_summary(deputy=deputy, year=year) == first
    assert len(ctx) == 1  # the seats; points and rank are the kept lines
    for _ in range(2):
        services.duty_record_create(
            actor=staff_zz, membership=rival, kind=DutyKind.INSPECTION, occurred_on=timezone.localdate()
        )
    after = {
        row["congress_name"]: (row["points"], row["rank"])
        for row in selectors.deputy_points_summary(deputy=deputy, year=year)
    }
    assert after["株洲市第十六届人民代表大会"] == (4, 2)  # the rival's 8 points pass them at once


def test_a_seat_moved_to_another_congress_is_ranked_there(deputy_user, year, regions):
    """A kept line names its congress: a seat moved to a congress whose ranking has the same version number is
    not shown the old congress's rank."""
    deputy = deputy_user.deputy
    seat = deputy.memberships.get(congress__name="株洲市第十六届人民代表大会")
    assert selectors.deputy_points_summary(deputy=deputy, year=year)
    elsewhere = CongressFactory(region=regions["hengyang"], name="衡阳市第十七届人民代表大会")
    Membership.objects.filter(pk=seat.pk).update(congress=elsewhere)  # no signal, no new version
    lines = {
        row["congress_name"]: (row["rank"], row["of"])
        for row in selectors.deputy_points_summary(deputy=deputy, year=year)
    }
    assert lines["衡阳市第十七届人民代表大会"] == (1, 1)


def test_points_summary_of_a_deputy_without_seats_is_empty(regions, year):
    user = UserFactory(role=User.Role.DEPUTY)
    MembershipFactory(deputy__user=user, status=Membership.Status.TERMINATED, terminated_on=datetime.date(year, 1, 1))
    assert selectors.deputy_points_summary(deputy=user.deputy, year=year) == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_portal_page_shows_seats_points_records_and_cards(client, deputy_user, language):
    deputy_user.language = language
    deputy_user.save(update_fields=["language"])
    client.force_login(deputy_user)
    body = client.get(reverse("deputies:portal")).content.decode()
    assert "天元区第五届人民代表大会 &lt;R&amp;D&gt;" in body
    assert body.count('data-testid="points"') == 2 and body.count('data-testid="workbench-card"') >= 4
    if language == "en":
        assert "Rank 1 of 4" in body and "Inspection" in body and "Attachment" in body
    else:
        assert "排名 第 1 / 4 名" in body and "视察调研" in body and "附件" in body
    assert "视察老旧小区改造" in body and "离任前的视察" in body
    assert "去年的视察" not in body and "别人的视察" not in body


@pytest.mark.parametrize("rows", [5, 200])
def test_warm_portal_runs_five_statements_whatever_the_records(
    client, regions, settings, rows, django_assert_max_num_queries
):
    """Session, user, seats, records and the inbox badge: the cards and the ranking come from the cache."""
    settings.WORKBENCH_COUNT_SECONDS = 60
    year = timezone.localdate().year
    user = UserFactory(role=User.Role.DEPUTY)
    congress = CongressFactory(region=regions["zhuzhou"])
    mine = MembershipFactory(congress=congress, deputy__user=user)
    MembershipFactory.create_batch(rows, congress=congress)
    DutyRecordFactory.create_batch(rows, membership=mine, occurred_on=datetime.date(year, 1, 3))
    client.force_login(user)
    assert client.get(reverse("deputies:portal")).status_code == 200
    with django_assert_max_num_queries(5):
        response = client.get(reverse("deputies:portal"))
    assert response.content.decode().count("<tr><td>") == min(rows, 50)
