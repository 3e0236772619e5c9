"""Dashboard, .xlsx tables, report page and PDF, and the figures API: same numbers everywhere, bounded queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.figures import selectors
from reports.figures.period import Period
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.factories import ProposalFactory
from tests.stations.factories import OpinionFactory

from .conftest import at

pytestmark = pytest.mark.django_db

Q = "?period=year&year=2024"


@pytest.fixture
def staff_client(client, staff_zz):
    client.force_login(staff_zz)
    return client


def test_dashboard_shows_headlines_charts_tables_and_as_of(counted, staff_client, regions):
    response = staff_client.get(f"/dashboard/{Q}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "数据看板" in html and "株洲市 · 2024年" in html
    assert 'data-testid="headline-ab_share"' in html and "75.0" in html
    assert "较上期 +25.0个百分点" in html
    assert "数据截至" in html and 'id="dashboard-charts"' in html and "%%" not in html
    for key in ["stations", "receptions", "opinion_outcomes", "hotline", "deputies", "points_top", "reply_classes"]:
        assert f'data-testid="table-{key}"' in html
        assert f"/dashboard/export/{key}.xlsx?" in html
    assert "<script>" not in html.replace('<script id="dashboard-charts" type="application/json">', "")


def test_dashboard_is_for_staff_only(counted, client, regions):
    assert client.get("/dashboard/").status_code == 302
    deputy = UserFactory(role="deputy")
    client.force_login(deputy)
    assert client.get("/dashboard/").status_code == 404
    assert client.get("/dashboard/report.pdf").status_code == 404


def test_staff_of_another_city_cannot_pick_zhuzhou(counted, client, staff_hy, regions):
    client.force_login(staff_hy)
    response = client.get(f"/dashboard/{Q}&region={regions['zhuzhou'].pk}")
    assert response.status_code == 404  # one rule with the figures APIs: a region outside scope is not found
    assert "株洲市 · 2024年" not in response.content.decode()
    assert "衡阳市 · 2024年" in client.get(f"/dashboard/{Q}").content.decode()


def test_xlsx_export_holds_the_table_rows(counted, staff_client):
    response = staff_client.get(f"/dashboard/export/reply_classes.xlsx{Q}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0][0] == "株洲市 · 2024年 · 答复类别（A+B类占比 75.0%）"
    assert rows[1:] == [("类别", "件数"), ("A类", 2), ("B类", 1), ("C类", 1)]
    sheet = load_workbook(io.BytesIO(staff_client.get(f"/dashboard/export/hotline.xlsx{Q}").content)).active
    assert [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)] == [
        ("指标", "2024年", "2023年"),
        ("转12345（件）", 2, 0),
        ("已办结（件）", 1, 0),
    ]
    assert staff_client.get(f"/dashboard/export/nothing.xlsx{Q}").status_code == 404


def test_report_page_tells_the_figures_in_sentences(counted, staff_client):
    response = staff_client.get(f"/dashboard/report/{Q}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "株洲市2024年代表工作情况报告" in html and "%%" not in html
    assert "2024年，共收到代表建议6件，立案5件，并案1件。已答复4件，其中A类2件、B类1件、C类1件，" in html
    assert "AB类占比75.0%，较上期提高25个百分点。" in html
    assert "接待群众42人次，收集群众意见6条，已处理2条，办结率33.3%；转12345热线2件，已办结1件。" in html


def test_report_pdf_contains_the_figures_in_chinese(counted, staff_client):
    response = staff_client.get(f"/dashboard/report.pdf{Q}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = text.replace("\n", "")
    assert "株洲市2024年代表工作情况报告" in flat
    assert "共收到代表建议6件" in flat
    assert "A类2件、B类1件、C类1件" in flat
    assert "AB类占比75.0%" in flat
    assert "满意率75.0%" in flat
    assert "接待群众42人次" in flat
    assert "转12345热线2件" in flat


def test_quarter_report_reads_the_quarter(counted, staff_client):
    html = staff_client.get("/dashboard/report/?period=quarter&year=2024&quarter=2").content.decode()
    assert "株洲市2024年第2季度代表工作情况报告" in html
    assert "2024年第2季度，共收到代表建议3件" in html  # April, May, June


def test_api_returns_the_same_numbers_as_the_selectors(counted, staff_client, regions):
    response = staff_client.get(f"/api/v1/figures/{Q}")
    assert response.status_code == 200
    data = response.json()
    expected = selectors.compute_figures(region=regions["zhuzhou"], period=Period.year(2024))
    assert data["current"]["proposals"]["classes"] == expected["current"]["proposals"]["classes"]
    assert data["current"]["stations"]["hotline"] == {"forwarded": 2, "solved": 1, "share_solved": 50.0}
    assert data["deputies"]["in_office"] == 9
    assert data["period"] == {"kind": "year", "label": "2024年", "start": "2024-01-01", "end": "2024-12-31"}
    assert {h["key"]: h["value"] for h in data["headlines"]}["ab_share"] == 75.0


def test_api_is_for_staff_only_and_in_the_schema(counted, client, regions):
    assert client.get("/api/v1/figures/").status_code in (401, 403)
    client.force_login(UserFactory(role="deputy"))
    response = client.get("/api/v1/figures/")
    assert response.status_code == 403
    assert set(response.json()) >= {"code", "message"}
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/figures/" in schema and "figures_retrieve" in schema


def _grow(congress, station, rows):
    deputy = congress.memberships.first().deputy
    for i in range(rows):
        ProposalFactory(congress=congress, lead_deputy=deputy, submitted_at=at(2024, 6, 1), reply_class="AB"[i % 2])
        MembershipFactory(congress=congress)
        OpinionFactory(station=station, status="handled")


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/dashboard/{Q}&fresh=1").status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_the_data(counted, staff_client):
    _grow(counted["zz"], counted["stations"]["centre"], 5)
    _dashboard_queries(staff_client)  # warm-up: the session's first request saves it once
    small = _dashboard_queries(staff_client)
    _grow(counted["zz"], counted["stations"]["centre"], 60)
    large = _dashboard_queries(staff_client)
    assert small == large
    assert large <= 60


def test_cached_dashboard_needs_only_a_few_queries(counted, staff_client, django_assert_max_num_queries):
    staff_client.get(f"/dashboard/{Q}")
    with django_assert_max_num_queries(4):  # session, user, the user's region, the inbox badge (test_page_cache.py)
        assert staff_client.get(f"/dashboard/{Q}").status_code == 200
