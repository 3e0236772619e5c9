"""Full-page screenshots of the key pages at 360 px (phone) and 1366 px (office screen) into tests/artifacts/,
and no horizontal scrolling at either width. Look at the pictures after a layout change."""

from pathlib import Path

import pytest

from liaison import views
from liaison.workbench import Card
from tests.conftest import login
from tests.e2e.people import make_people
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
WIDTHS = {"phone": 360, "desktop": 1366}

# name, user (None: anonymous), path
PAGES = [
    ("login", None, "/accounts/login/"),
    ("staff-workbench", "staff_zz", "/"),
    ("staff-workbench-busy", "busy", "/"),
    ("unit-workbench", "unit_zz", "/"),
    ("station-workbench", "manager_zz", "/"),
    ("deputy-portal", "deputy_zz", "/deputies/portal/"),
    ("roster", "staff_zz", "/deputies/roster/"),
    ("admin-index", "admin", "/admin/"),
    ("not-found", "staff_zz", "/no-such-page/"),
]


@pytest.fixture(params=list(WIDTHS.items()), ids=list(WIDTHS))
def sized_page(request, browser):
    name, width = request.param
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": width, "height": 740 if width < 800 else 900},
        is_mobile=width < 800,
        has_touch=width < 800,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield name, width, page
    context.close()


BUSY_CARDS = [
    Card(
        title="待审核建议", count=12, url="/deputies/roster/", tone="warning", hint="提交后 5 个工作日内审核", order=10
    ),
    Card(title="待交办", count=7, url="/deputies/roster/", tone="warning", order=20),
    Card(title="逾期未答复", count=3, url="/deputies/roster/", tone="danger", hint="已超过 3 个月办理期限", order=30),
    Card(title="B 类承诺到期", count=0, url="/deputies/roster/", tone="warning", order=40),
    Card(title="待分办群众意见", count=18, url="/deputies/roster/", tone="primary", order=50),
    Card(title="进行中的票决", count=1, url="/deputies/roster/", tone="success", order=60),
]


def test_key_pages_fit_the_width_and_are_captured(sized_page, live_server, regions, monkeypatch):
    size, width, page = sized_page
    make_people(regions)
    real_collect = views.cards_for
    # What a busy staff workbench looks like once the proposal, station and vote apps offer their cards.
    monkeypatch.setattr(
        views,
        "cards_for",
        lambda user: BUSY_CARDS + real_collect(user) if user.username == "busy" else real_collect(user),
    )
    UserFactory(
        username="busy", display_name="株洲市人大代表工委 李娟", role="staff", region=regions["zhuzhou"], is_staff=True
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    current_user = None
    too_wide = []
    for name, username, path in PAGES:
        if username != current_user:
            page.context.clear_cookies()
            if username:
                login(page, live_server, username)
            current_user = username
        page.goto(f"{live_server.url}{path}", wait_until="load")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append(f"{name}: {scroll_width}px")
    assert too_wide == [], f"horizontal overflow at {width}px: {too_wide}"
