"""The dashboard's figures part (filters, "as of", headlines, charts, tables) is rendered once per set of figures,
language and scope and kept as long as those figures: a warm request reads it from the cache, and a recomputation
(by the quarter-hour, the task or "立即刷新") shows at once, in every language."""

import re

import pytest
from django.core.cache import cache

from liaison.models import Organization, Region
from reports.figures import selectors
from reports.figures.period import Period
from reports.figures.tasks import refresh_dashboards
from tests.factories import CongressFactory, OrganizationFactory
from tests.proposals.factories import ProposalFactory

from .conftest import at

pytestmark = pytest.mark.django_db

Q = "?period=year&year=2024"
Y2024 = Period.year(2024)


def _html(client, url=f"/dashboard/{Q}"):
    response = client.get(url)
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def _submitted(html):
    block = html.split('data-testid="headline-submitted"', 1)[1]
    return re.search(r'data-testid="stat-value">(\d+)', block).group(1)


def _as_of(html):
    return re.search(r"数据截至 ([^<]+)</span>|Data as of ([^<]+)</span>", html).group(0)


def _one_more_proposal(counted):
    zhang = counted["seats"]["zhang"].deputy
    ProposalFactory(congress=counted["zz"], lead_deputy=zhang, submitted_at=at(2024, 6, 1))


@pytest.fixture
def staff_client(client, staff_zz):
    client.force_login(staff_zz)
    return client


def test_warm_dashboard_is_the_page_rendered_from_the_figures(counted, staff_client, monkeypatch):
    first = _html(staff_client)
    renders = []
    real = selectors.compute_figures
    monkeypatch.setattr(selectors, "compute_figures", lambda **kw: renders.append(kw) or real(**kw))
    assert _html(staff_client) == first
    assert renders == []
    assert _submitted(first) == "6"


def test_warm_dashboard_reads_neither_figures_nor_pickers(counted, staff_client, monkeypatch):
    staff_client.get(f"/dashboard/{Q}")
    for name in ("figures_for", "region_choices", "congress_choices", "unit_choices", "sessions_in"):
        monkeypatch.setattr(selectors, name, lambda *a, _name=name, **kw: pytest.fail(f"{_name} called"))
    assert staff_client.get(f"/dashboard/{Q}").status_code == 200


def _warm_queries(client, django_assert_max_num_queries):
    client.get(f"/dashboard/{Q}")
    with django_assert_max_num_queries(4) as captured:  # session, user, the user's region, the inbox badge
        assert client.get(f"/dashboard/{Q}").status_code == 200
    return len(captured)


def test_warm_dashboard_statements_do_not_grow_with_the_pickers(
    counted, staff_client, regions, django_assert_max_num_queries
):
    small = _warm_queries(staff_client, django_assert_max_num_queries)
    for i in range(30):
        Region.objects.create(
            code=f"4302{i:02d}99", name=f"区{i}", level=Region.Level.COUNTY, parent=regions["zhuzhou"]
        )
        CongressFactory(region=regions["zhuzhou"], level=3, term=100 + i, name=f"株洲市第{100 + i}届人民代表大会")
        OrganizationFactory(region=regions["zhuzhou"], name=f"单位{i}", kind=Organization.Kind.HANDLING_UNIT)
    staff_client.get(f"/dashboard/{Q}&fresh=1")
    large = _warm_queries(staff_client, django_assert_max_num_queries)
    assert small == large
    assert "单位29" in _html(staff_client) and "区29" in _html(staff_client)


def test_cached_figures_stay_until_refreshed_then_every_language_shows_the_new_ones(counted, staff_client, staff_zz):
    assert _submitted(_html(staff_client)) == "6"
    staff_zz.language = "en"
    staff_zz.save(update_fields=["language"])
    english = _html(staff_client)
    assert "Dashboard" in english and _submitted(english) == "6"
    _one_more_proposal(counted)
    assert _submitted(_html(staff_client)) == "6"  # the figures are kept a quarter of an hour, as before
    assert _submitted(_html(staff_client, f"/dashboard/{Q}&fresh=1")) == "7"
    assert _submitted(_html(staff_client)) == "7"
    staff_zz.language = "zh-hans"
    staff_zz.save(update_fields=["language"])
    chinese = _html(staff_client)
    assert "数据看板" in chinese and _submitted(chinese) == "7"


def test_the_refresh_task_shows_on_the_page(counted, staff_client, regions, monkeypatch):
    monkeypatch.setattr(selectors, "current_periods", lambda today=None: [Y2024])
    before = _html(staff_client)
    _one_more_proposal(counted)
    assert refresh_dashboards(region_ids=[regions["zhuzhou"].pk]) == 1
    after = _html(staff_client)
    assert _submitted(before) == "6" and _submitted(after) == "7"


def test_expired_figures_are_recomputed_not_shown_from_the_page(counted, staff_client, settings):
    settings.FIGURES_CACHE_SECONDS = 0  # every set of figures is stale at once
    assert _submitted(_html(staff_client)) == "6"
    _one_more_proposal(counted)
    assert _submitted(_html(staff_client)) == "7"


def test_while_another_request_recomputes_the_stale_page_is_shown(counted, staff_client, regions, settings):
    first = _html(staff_client)
    settings.FIGURES_CACHE_SECONDS = 0
    key = selectors.cache_key(regions["zhuzhou"], None, Y2024)
    cache.add(f"{key}:computing", 1, 60)
    _one_more_proposal(counted)
    again = _html(staff_client)
    assert _submitted(again) == "6" and _as_of(again) == _as_of(first)


def test_figures_stored_without_their_as_of_are_shown_and_then_kept(counted, staff_client, regions):
    """Figures cached by a release that did not keep the "as of" time apart: read once, then the page is kept."""
    entry = selectors.refresh_figures(region=regions["zhuzhou"], period=Y2024)
    key = selectors.cache_key(regions["zhuzhou"], None, Y2024)
    cache.delete(selectors.as_of_key(key))
    assert _submitted(_html(staff_client)) == "6"
    assert cache.get(selectors.as_of_key(key)) == entry["as_of"]


def test_the_region_picker_follows_the_callers_scope_on_the_same_figures(
    counted, client, staff_province, staff_zz, regions
):
    url = f"/dashboard/{Q}&region={regions['zhuzhou'].pk}"
    client.force_login(staff_province)
    province = _html(client, url)
    client.force_login(staff_zz)
    city = _html(client, url)
    picker = r'<select[^>]*id="f-region"[^>]*>(.*?)</select>'
    assert re.findall(r">([^<]+)</option>", re.search(picker, province, re.S).group(1))[:2] == ["湖南省", "株洲市"]
    assert re.findall(r">([^<]+)</option>", re.search(picker, city, re.S).group(1))[:1] == ["株洲市"]
    assert _submitted(province) == _submitted(city) == "6"


def test_print_header_and_csrf_token_are_the_callers(counted, client, staff_province, staff_zz, regions):
    url = f"/dashboard/{Q}&region={regions['zhuzhou'].pk}"
    client.force_login(staff_province)
    client.get(url)
    client.force_login(staff_zz)
    response = client.get(url)
    html = response.content.decode()
    assert f"打印人：{staff_zz}" in html and f"打印人：{staff_province}" not in html
    form = html.split('data-testid="report-pdf"')[0].rsplit("<form", 1)[1]
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', form)


@pytest.mark.parametrize(("first", "then"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_figures_cached_in_one_language_are_never_shown_in_the_other(counted, staff_client, staff_zz, first, then):
    english_words = ("Citizens received", "people")
    for language in (first, then):
        staff_zz.language = language
        staff_zz.save(update_fields=["language"])
        html = _html(staff_client)
        headline = html.split('data-testid="headline-citizens"', 1)[1][:600]
        if language == "en":
            assert "Citizens received" in headline and "接待群众" not in headline and "人次" not in headline
        else:
            assert "接待群众" in headline and not any(word in headline for word in english_words)
    report = staff_client.get(f"/dashboard/report/{Q}").content.decode()  # the same cached figures
    if then == "en":
        assert "Citizens received" in report and "接待群众" not in report
    else:
        assert "接待群众" in report and "Citizens received" not in report
