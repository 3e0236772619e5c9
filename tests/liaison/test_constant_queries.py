"""Every page and API endpoint of the province benchmark (scripts/bench/run.py) runs the same number of SQL statements
whatever the data volume and the page size: each is counted on a small region, then again after forty times the
rows were added (and, for lists, with the smallest and the largest page size), and the counts must be equal and
within a fixed limit."""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hotline import services as hotline_services
from liaison.models import Region, User
from proposals.models import Assignment, Proposal
from stations.models import Opinion
from tests.factories import CongressFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.proposals.factories import AssignmentFactory, ProposalFactory
from tests.stations.factories import OpinionCategoryFactory, OpinionFactory, StationAssignmentFactory, StationFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 200


@pytest.fixture
def province(regions, staff_zz):
    """株洲's users of every benchmark role, with a station, a congress, a unit and a registered 12345 client."""
    township = Region.objects.create(
        code="430211004", name="嵩山路街道", level=Region.Level.TOWNSHIP, parent=regions["tianyuan"]
    )
    station = StationFactory(region=township, name="嵩山路街道代表联络站")
    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    deputy_user = UserFactory(username="deputy_zz", role=User.Role.DEPUTY, display_name="张建国")
    membership = MembershipFactory(congress=congress, deputy__name="张建国", deputy__user=deputy_user)
    StationAssignmentFactory(station=station, deputy=membership.deputy, since=datetime.date(2023, 1, 1))
    unit = OrganizationFactory(region=regions["zhuzhou"], name="株洲市住房和城乡建设局")
    co_unit = OrganizationFactory(region=regions["zhuzhou"], name="株洲市财政局")
    unit_user = UserFactory(username="unit_zz_zj", role=User.Role.UNIT, organization=unit)
    _client, key = hotline_services.api_client_register(actor=staff_zz, name="株洲 12345", region=regions["zhuzhou"])
    return {
        "staff": staff_zz,
        "unit": unit_user,
        "deputy": deputy_user,
        "station": station,
        "congress": congress,
        "units": (unit, co_unit),
        "category": OpinionCategoryFactory(code="road", name="道路交通"),
        "key": key,
    }


def _grow(province, rows):
    """``rows`` proposals of the deputy, assigned to the unit with a co-unit, and ``rows`` opinions of each source."""
    unit, co_unit = province["units"]
    proposals = ProposalFactory.create_batch(
        rows, congress=province["congress"], lead_deputy=province["deputy"].deputy, submitted_at=timezone.now()
    )
    for proposal in proposals:
        AssignmentFactory(proposal=proposal, unit=unit)
        AssignmentFactory(proposal=proposal, unit=co_unit, role=Assignment.Role.CO)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals[::3]]).update(
        status=Proposal.Status.REPLIED, reply_class=Proposal.ReplyClass.A, rating=Proposal.Rating.SATISFIED
    )
    for source in (Opinion.Source.QR, Opinion.Source.HOTLINE):
        OpinionFactory.create_batch(
            rows, station=province["station"], category=province["category"], source=source, deputy=None
        )


def _scenarios(province):
    """(role, URL, a keyset list?, statements at most). The limits are the counts measured with nothing kept between
    requests (the test sets WORKBENCH_COUNT_SECONDS = 0: the home page counts its cards every time); each includes
    the session and the signed-in user (one statement with their region, unit and deputy record), and for staff the
    verified TOTP device that django-otp's middleware loads on every request (STAFF_REQUIRE_OTP, as production)."""
    since = quote((timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0).isoformat())
    open311 = reverse("open311-requests", kwargs={"fmt": "json"})
    return [
        ("deputy", reverse("deputies:portal"), False, 12),  # 12: the 待答复的活动邀请 card (activities)
        ("staff", reverse("proposals:list"), True, 7),
        ("deputy", reverse("proposals:list"), True, 7),
        ("staff", "/api/v1/proposals/", True, 6),
        ("unit", reverse("proposals:workbench"), False, 5),
        ("staff", reverse("home"), False, 18),  # 18: the 代表活动 card (activities)
        ("unit", reverse("home"), False, 8),  # 8: the 答复后待办后联系 card
        ("staff", reverse("dashboard:index"), False, 4),
        ("staff", reverse("stations:opinion_list"), True, 8),
        ("", reverse("stations:directory"), False, 4),
        ("", reverse("stations:public_station", args=[province["station"].pk]), False, 4),
        ("", reverse("open311-services", kwargs={"fmt": "json"}) + f"?api_key={province['key']}", False, 2),
        ("", f"{open311}?api_key={province['key']}&start_date={since}", False, 3),
    ]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def _first_cursor(client, url):
    """The ``next`` cursor of the list's first page (an API list says it in JSON, a page in its links)."""
    response = client.get(url, {"page_size": 2})
    if url.startswith("/api/"):
        return response.json()["next"].split("cursor=")[1].split("&")[0]
    return response.context["page"].next_cursor


def test_benchmark_endpoints_run_the_same_statements_at_two_sizes(client, province, settings):
    settings.WORKBENCH_COUNT_SECONDS = 0  # the uncached cost is what must not grow with the rows
    settings.PUBLIC_STATION_CACHE_SECONDS = 0
    _grow(province, SMALL)
    scenarios = _scenarios(province)
    counts = {}
    for size in (SMALL, LARGE):
        if size == LARGE:
            _grow(province, LARGE - SMALL)
        for role, url, paged, _limit in scenarios:
            client.logout()
            if role:
                client.force_login(province[role])
                client.get(url)  # the session's first-request bookkeeping happens outside the counts
            seen = [_count(client, url)]
            if paged:
                joiner = "&" if "?" in url else "?"
                seen += [_count(client, f"{url}{joiner}page_size=1"), _count(client, f"{url}{joiner}page_size=100")]
                cursor = _first_cursor(client, url)
                seen.append(_count(client, f"{url}{joiner}cursor={cursor}"))  # a deeper page, by cursor
            counts.setdefault((role, url), []).extend(seen)
    for role, url, _paged, limit in scenarios:
        seen = counts[(role, url)]
        assert len(set(seen)) == 1, f"{role or 'anonymous'} {url}: {seen}"  # the same at 5 and 200 rows, any page
        assert seen[0] <= limit, f"{role or 'anonymous'} {url}: {seen[0]} statements, {limit} expected"
