"""The header at an office screen's width (1280 px, the narrowest office screen we support) for every role: in
Chinese, the brand, every menu entry and the tools (language, user, sign out) sit on one row; in English, where the
words are longer, entries may wrap to a second row inside the red bar, but nothing reaches past the right edge."""

import pytest

from liaison.models import User
from tests.conftest import login
from tests.e2e.people import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["staff_zz", "unit_zz", "manager_zz", "deputy_zz", "admin"]

# Top and bottom of the brand, each menu entry and the tools, and the right edge of everything in the header.
HEADER_BOXES = """
() => {
  const nav = document.querySelector('.portal-navbar');
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, right: r.right,
      text: (el.textContent || '').trim().slice(0, 20)}; };
  return {
    brand: box(nav.querySelector('.navbar-brand')),
    items: [...nav.querySelectorAll('.navbar-nav .nav-item')].map(box),
    tools: box(nav.querySelector('.navbar-tools')),
    right: Math.max(...[...nav.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right)),
    menuVisible: getComputedStyle(nav.querySelector('#portal-nav')).display !== 'none',
  };
}
"""


@pytest.fixture
def office_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _one_row(boxes):
    """The menu entries and the tools overlap the brand's row vertically: nothing sits below it."""
    row_bottom = max(boxes["brand"]["bottom"], *(item["bottom"] for item in boxes["items"]))
    row_top = min(boxes["brand"]["top"], *(item["top"] for item in boxes["items"]))
    below = [
        item["text"]
        for item in [*boxes["items"], boxes["tools"]]
        if item["top"] >= boxes["brand"]["bottom"] or item["bottom"] - item["top"] > 1.5 * (row_bottom - row_top)
    ]
    tops = {round(item["top"]) for item in boxes["items"]}
    return below, tops


def test_the_header_fits_an_office_screen_for_every_role(office_page, live_server, regions):
    make_people(regions)
    page = office_page
    problems = []
    for language in ("zh-hans", "en"):
        User.objects.filter(username__in=ROLES).update(language=language)
        for username in ROLES:
            page.context.clear_cookies()
            login(page, live_server, username)
            page.goto(f"{live_server.url}/")
            page.wait_for_load_state("networkidle")
            boxes = page.evaluate(HEADER_BOXES)
            assert boxes["menuVisible"], f"{username}: the menu is collapsed behind the toggler at 1280 px"
            assert boxes["items"], f"{username}: no menu entries"
            if boxes["right"] > 1280 + 1:
                problems.append(f"{language} {username}: the header reaches {boxes['right']:.0f} px")
            if language == "zh-hans":
                below, tops = _one_row(boxes)
                if below or len(tops) > 1:
                    problems.append(f"{language} {username}: not one row (tops {sorted(tops)}; below: {below})")
    assert not problems, problems
