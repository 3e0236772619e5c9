"""The composed figures against the hand-counted fixture in conftest.py, plus empty periods and regions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404

from liaison.errors import ApplicationError
from liaison.models import Region
from reports.figures import selectors
from reports.figures.period import Period
from reports.figures.tasks import refresh_dashboards
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Y2024 = Period.year(2024)


def test_deputies_by_level_and_status_in_zhuzhou_subtree(counted, regions):
    result = selectors.compute_figures(region=regions["zhuzhou"], period=Y2024)["deputies"]
    assert result == {
        "rows": [
            {"level": 3, "label": "市级", "in_office": 3, "terminated": 1},
            {"level": 4, "label": "县级", "in_office": 6, "terminated": 0},
        ],
        "in_office": 9,
        "terminated": 1,
    }


def test_points_distribution_top_ranks_and_average(counted, regions):
    points = selectors.compute_figures(region=regions["zhuzhou"], period=Y2024)["current"]["points"]
    assert points["seats"] == 9
    assert points["total"] == 20.0
    assert points["average"] == 2.2
    assert [(row["label"], row["count"]) for row in points["distribution"]] == [
        ("0", 6),
        ("0–10", 2),
        ("10–20", 1),
        ("20–50", 0),
        ("50+", 0),
    ]
    assert [(r["rank"], r["deputy"], r["points"]) for r in points["top"][:3]] == [
        (1, "张建国", 13.0),
        (2, "李秀英", 5.0),
        (3, "陈卫东", 2.0),
    ]
    assert {r["rank"] for r in points["top"][3:]} == {4}


def test_proposal_figures_for_the_year_and_the_year_before(counted, regions):
    figures = selectors.compute_figures(region=regions["zhuzhou"], period=Y2024)
    now, before = figures["current"]["proposals"], figures["previous"]["proposals"]
    assert now["review"] == {"submitted": 6, "accepted": 5, "merged": 1, "returned": 0}
    assert now["classes"] == {"a": 2, "b": 1, "c": 1, "total": 4, "ab_share": 75.0}
    assert now["satisfaction"] == {"satisfied": 2, "basic": 1, "unsatisfied": 1, "rated": 4, "rate": 75.0}
    assert now["on_time"] == {"on_time": 0, "due": 1, "rate": 0.0}
    assert now["overdue_units"] == [{"id": counted["unit"].pk, "name": "株洲市住房和城乡建设局", "overdue": 1}]
    assert now["key_supervision"]["count"] == 1
    assert before["classes"] == {"a": 1, "b": 0, "c": 1, "total": 2, "ab_share": 50.0}
    assert before["satisfaction"]["rate"] == 50.0
    assert figures["previous_period"]["label"] == "2023年"


def test_headlines_carry_previous_values_and_deltas(counted, regions):
    rows = {h["key"]: h for h in selectors.compute_figures(region=regions["zhuzhou"], period=Y2024)["headlines"]}
    assert (rows["submitted"]["value"], rows["submitted"]["previous"], rows["submitted"]["delta"]) == (6, 2, 4)
    assert (rows["ab_share"]["value"], rows["ab_share"]["delta"]) == (75.0, 25.0)
    assert (rows["satisfaction"]["value"], rows["satisfaction"]["delta"]) == (75.0, 25.0)
    assert (rows["project_satisfaction"]["value"], rows["project_satisfaction"]["delta"]) == (75.0, None)


def test_livelihood_projects_of_the_period_year(counted, regions):
    figures = selectors.compute_figures(region=regions["zhuzhou"], period=Period.quarter(2024, 2))
    assert figures["current"]["projects"] == {
        "projects": 2,
        "finished": 1,
        "budget_total": 770.0,
        "average_progress": 75.0,
        "ratings": 4,
        "satisfaction_rate": 75.0,
    }
    assert figures["previous"]["projects"]["projects"] == 2  # Q1 2024 reads the same year


def test_subregion_other_city_and_congress_filter(counted, regions):
    tianyuan = selectors.compute_figures(region=regions["tianyuan"], period=Y2024)
    assert tianyuan["deputies"]["in_office"] == 6
    assert tianyuan["current"]["proposals"]["review"]["submitted"] == 0
    assert tianyuan["current"]["projects"]["projects"] == 2
    hengyang = selectors.compute_figures(region=regions["hengyang"], period=Y2024)
    assert hengyang["current"]["proposals"]["classes"] == {"a": 0, "b": 1, "c": 0, "total": 1, "ab_share": 100.0}
    assert hengyang["current"]["proposals"]["satisfaction"]["rate"] is None
    only_city = selectors.compute_figures(region=regions["zhuzhou"], congress=counted["zz"], period=Y2024)
    assert only_city["deputies"]["in_office"] == 3
    assert only_city["current"]["points"]["seats"] == 3


def test_region_with_no_data_gives_zeros_and_none(counted, regions):
    figures = selectors.compute_figures(region=regions["hengnan"], period=Y2024)
    assert figures["deputies"] == {"rows": [], "in_office": 0, "terminated": 0}
    assert figures["current"]["points"] == {
        "seats": 0,
        "total": 0.0,
        "average": None,
        "distribution": [{"label": label, "count": 0} for label in ["0", "0–10", "10–20", "20–50", "50+"]],
        "top": [],
    }
    assert figures["current"]["proposals"]["classes"]["ab_share"] is None
    assert figures["current"]["projects"]["satisfaction_rate"] is None
    assert all(h["delta"] in (None, 0) for h in figures["headlines"])


def test_empty_period_counts_nothing_but_the_roster(counted, regions):
    figures = selectors.compute_figures(region=regions["zhuzhou"], period=Period.year(2020))
    assert figures["current"]["proposals"]["review"]["submitted"] == 0
    assert figures["current"]["points"]["distribution"][0] == {"label": "0", "count": 9}
    assert figures["current"]["projects"]["budget_total"] == 0.0
    assert figures["deputies"]["in_office"] == 9


def test_staff_can_pick_only_regions_in_their_scope(counted, regions, staff_zz):
    assert selectors.region_for(staff_zz, regions["tianyuan"].pk) == regions["tianyuan"]
    with pytest.raises(Http404):
        selectors.region_for(staff_zz, regions["hengyang"].pk)
    assert selectors.region_for(staff_zz, "x") == regions["zhuzhou"]
    with pytest.raises(ApplicationError) as exc:
        selectors.figures_for(user=staff_zz, region=regions["hengyang"], period=Y2024)
    assert exc.value.status_code == 403 and exc.value.message == "无权查看该区域的数据。"


def test_region_check_is_the_region_scope_without_a_statement(
    regions, staff_zz, staff_province, django_assert_num_queries
):
    """``check_region`` applies ``Region.objects.visible_to(user)``'s rule to the region in hand."""
    users = [staff_zz, staff_province, UserFactory(is_superuser=True), UserFactory(role="deputy"), AnonymousUser()]
    for user in users:
        for region in regions.values():
            visible = Region.objects.visible_to(user).filter(pk=region.pk).exists()
            with django_assert_num_queries(0):
                try:
                    selectors.check_region(user, region)
                    allowed = True
                except ApplicationError:
                    allowed = False
            assert allowed == visible, (user, region)


def test_figures_are_cached_per_region_and_period_and_refreshed_by_the_task(
    counted, regions, staff_zz, django_assert_max_num_queries
):
    first = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024)
    with django_assert_max_num_queries(1):  # the scope check only
        again = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024)
    assert again["as_of"] == first["as_of"]
    assert cache.get(selectors.cache_key(regions["tianyuan"], None, Y2024)) is None
    assert refresh_dashboards(region_ids=[regions["zhuzhou"].pk]) == 2  # this year and this quarter
    fresh = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024, fresh=True)
    assert fresh["as_of"] > first["as_of"]


def test_public_summary_by_year(counted, regions):
    import datetime

    summary = selectors.public_summary(regions["zhuzhou"], years=3, today=datetime.date(2024, 12, 31))
    assert summary["proposals_by_year"] == [
        {"year": 2024, "replied": 4, "ab_share": 75.0, "rated": 4, "satisfaction": 75.0},
        {"year": 2023, "replied": 2, "ab_share": 50.0, "rated": 2, "satisfaction": 50.0},
        {"year": 2022, "replied": 0, "ab_share": None, "rated": 0, "satisfaction": None},
    ]
    assert [(row["year"], row["projects"], row["satisfaction_rate"]) for row in summary["projects_by_year"]] == [
        (2024, 2, 75.0)
    ]


def test_stations_receptions_opinions_and_hotline(counted, regions):
    figures = selectors.compute_figures(region=regions["zhuzhou"], period=Y2024)
    assert figures["stations"] == {
        "rows": [
            {"kind": "fixed", "label": "固定站", "count": 2},
            {"kind": "mobile", "label": "流动站", "count": 0},
            {"kind": "cloud", "label": "云端站", "count": 1},
        ],
        "total": 3,
    }
    now = figures["current"]["stations"]
    assert (now["reception_days_held"], now["citizens_received"], now["opinions_logged_at_receptions"]) == (2, 42, 8)
    assert now["by_outcome"] == {"untriaged": 1, "handled": 2, "proposal": 1, "hotline": 2, "unfeasible": 0}
    assert (now["opinions_collected"], now["solved"], now["share_solved"]) == (6, 2, 33.3)
    assert now["hotline"] == {"forwarded": 2, "solved": 1, "share_solved": 50.0}
    before = figures["previous"]["stations"]
    assert (before["citizens_received"], before["opinions_collected"], before["share_solved"]) == (7, 1, 100.0)
    assert before["hotline"] == {"forwarded": 0, "solved": 0, "share_solved": None}
    rows = {h["key"]: h for h in figures["headlines"]}
    assert (rows["citizens"]["value"], rows["citizens"]["delta"]) == (42, 35)
    assert (rows["opinions_solved"]["value"], rows["opinions_solved"]["delta"]) == (33.3, -66.7)


def test_stations_of_another_city_and_an_empty_county(counted, regions):
    hengyang = selectors.compute_figures(region=regions["hengyang"], period=Y2024)
    assert hengyang["stations"]["total"] == 1
    assert hengyang["current"]["stations"]["opinions_collected"] == 1
    assert hengyang["current"]["stations"]["share_solved"] == 0.0
    hengnan = selectors.compute_figures(region=regions["hengnan"], period=Y2024)
    assert hengnan["stations"]["total"] == 0
    assert hengnan["current"]["stations"]["share_solved"] is None
    assert hengnan["current"]["stations"]["hotline"] == {"forwarded": 0, "solved": 0, "share_solved": None}
