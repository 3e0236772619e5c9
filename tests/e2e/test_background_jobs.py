# ruff: noqa: F811  (fixtures imported by name)
"""A long export in the browser with a real Celery worker: the user starts it, leaves the page, hears of it in the
inbox and downloads the file; one who stays sees the bar fill and the bell count go up without reloading."""

import pytest
from openpyxl import load_workbook

from liaison.models import User
from liaison.notifications.models import Notification
from tests.celery.conftest import clean_redis, processes, wait_for  # noqa: F401 (fixtures)
from tests.conftest import login
from tests.factories import UserFactory
from tests.liaison.test_notifications_worker import job_worker  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_export_finishes_after_the_user_left_the_page_and_the_file_comes_from_the_inbox(
    live_server, page, regions, job_worker
):
    staff = UserFactory(username="staff_jobs", role=User.Role.STAFF, region=regions["zhuzhou"], display_name="刘干事")
    login(page, live_server, "staff_jobs")

    # Staying on the page: the bar fills, the link appears, and the bell in the header counts the message.
    page.goto(f"{live_server.url}/proposals/ledger/")
    page.locator("[data-testid=ledger-export]").click()
    page.wait_for_url("**/notifications/jobs/*/")
    assert "导出建议办理台账" in page.locator("h1").inner_text()
    page.get_by_role("link", name="查看结果").wait_for(timeout=60000)
    page.locator("[data-testid=unread-badge]").wait_for()
    assert page.locator("[data-testid=unread-badge]").inner_text().startswith("1")
    page.screenshot(path="/tmp/job-finished-1366.png", full_page=True)

    # Leaving at once: the roster export goes on in the worker.
    page.goto(f"{live_server.url}/deputies/roster/")
    page.locator("[data-testid=roster-export]").click()
    page.wait_for_url("**/notifications/jobs/*/")
    page.goto(f"{live_server.url}/")
    wait_for(lambda: Notification.objects.filter(recipient=staff).count() == 2, timeout=60, message="2 messages")

    page.goto(f"{live_server.url}/")
    assert page.locator("[data-testid=unread-badge]").inner_text().startswith("2")
    page.locator(".nav-inbox").click()
    page.wait_for_url("**/notifications/")
    page.screenshot(path="/tmp/job-inbox-1366.png", full_page=True)
    page.get_by_role("link", name="导出代表名册已完成").click()
    page.wait_for_url("**/notifications/jobs/*/")
    with page.expect_download() as info:
        page.get_by_role("link", name="查看结果").click()
    download = info.value
    assert download.suggested_filename.startswith("代表名册-") and download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:  # the temporary file has no .xlsx suffix for openpyxl to go by
        sheet = load_workbook(file).active
    assert sheet["A1"].value is not None and sheet.max_row == 1  # headers; nobody on the roster in this test
