"""axe-core (WCAG 2.1 A/AA) on the key pages of every role: no serious or critical violations."""

import pytest

from tests.conftest import login
from tests.e2e.a11y import assert_accessible
from tests.e2e.people import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(regions):
    return make_people(regions)


def test_login_page_has_no_serious_violations(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)


def test_login_page_with_errors_has_no_serious_violations(page, live_server, people):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "staff_zz")
    page.click("button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    assert_accessible(page)


@pytest.mark.parametrize("username", ["staff_zz", "unit_zz", "manager_zz"])
def test_role_workbench_has_no_serious_violations(page, live_server, people, username):
    login(page, live_server, username)
    assert page.url == f"{live_server.url}/"
    assert (
        page.locator("h1").inner_text()
        == {"staff_zz": "联络工作台", "unit_zz": "承办工作台", "manager_zz": "联络站工作台"}[username]
    )
    assert_accessible(page)


def test_deputy_portal_has_no_serious_violations(page, live_server, people):
    login(page, live_server, "deputy_zz")
    assert page.url.endswith("/deputies/portal/")
    assert page.locator("h1").inner_text() == "我的履职"
    assert_accessible(page)


def test_roster_has_no_serious_violations(page, live_server, people):
    login(page, live_server, "staff_zz")
    page.goto(f"{live_server.url}/deputies/roster/")
    assert page.locator("h1").inner_text() == "代表名册"
    assert_accessible(page)


def test_admin_index_has_no_serious_violations(page, live_server, people):
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("#site-name").inner_text().startswith("人大代表联络工作平台")
    assert_accessible(page)


def test_not_found_page_has_no_serious_violations(page, live_server, people):
    login(page, live_server, "staff_zz")
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert_accessible(page)


def test_english_workbench_has_no_serious_violations(page, live_server, people):
    login(page, live_server, "staff_zz")
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Liaison workbench"
    assert_accessible(page)
