"""The dashboard in Chromium, in Chinese, at 1366 px and 360 px: charts drawn (SVG), every table beside its
chart, no horizontal overflow. Screenshots go to tests/artifacts/screenshots/ — look at them."""

from pathlib import Path

import pytest

from tests.conftest import login
from tests.figures.conftest import _empty_cache, counted  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


def _check(page, live_server, name):
    page.goto(f"{live_server.url}/dashboard/?period=year&year=2024")
    page.wait_for_selector('[data-chart][data-rendered="true"] svg')
    assert page.locator("h1").inner_text() == "数据看板"
    charts = page.locator("[data-chart]")
    assert charts.count() >= 8
    assert page.locator('[data-chart][data-rendered="true"] svg').count() == charts.count()
    assert page.locator('[data-chart="reply_classes"] svg text', has_text="A类").count() >= 1
    assert page.locator('[data-testid="table-reply_classes"] tbody tr').count() == 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def test_dashboard_charts_render_at_office_width(counted, page, live_server):  # noqa: F811
    login(page, live_server, "staff_zz")
    _check(page, live_server, "desktop")


def test_dashboard_charts_render_on_a_phone(counted, phone_page, live_server):  # noqa: F811
    login(phone_page, live_server, "staff_zz")
    _check(phone_page, live_server, "phone")


def test_report_page_prints_without_navigation(counted, page, live_server):  # noqa: F811
    login(page, live_server, "staff_zz")
    page.goto(f"{live_server.url}/dashboard/report/?period=year&year=2024")
    page.emulate_media(media="print")
    assert not page.locator(".portal-header").is_visible()
    assert page.locator(".report-body p").first.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
