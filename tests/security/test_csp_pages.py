"""The Content-Security-Policy is not only sent but satisfied: key pages of every role load in Chromium without a
single CSP violation (the design system's tests/e2e/test_forms.py covers the home page, roster and admin)."""

import pytest
from django.urls import reverse

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page):
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def _visit(page, live_server, paths):
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")


def test_citizen_pages_on_a_phone_satisfy_the_csp(phone_page, live_server, world):
    found = _violations(phone_page)
    _visit(
        phone_page,
        live_server,
        [
            reverse("stations:directory"),
            reverse("stations:opinion_station", args=[world["station"].pk]),
            reverse("stations:track"),
            reverse("votes:result_list"),
            reverse("votes:project_public", args=[world["project"].pk]),
        ],
    )
    assert found == []


def test_working_pages_satisfy_the_csp(browser, page, live_server, world):
    found = _violations(page)
    login(page, live_server, "staff_zz")
    _visit(
        page,
        live_server,
        [
            reverse("proposals:detail", args=[world["proposal"].pk]),
            reverse("votes:session_detail", args=[world["open_session"].pk]),
            reverse("stations:opinion_list"),
            reverse("stations:opinion_detail", args=[world["opinion"].pk]),
            reverse("reauth"),
            reverse("otp-verify"),
        ],
    )
    deputy = browser.new_context(locale="zh-CN").new_page()
    found_by_deputy = _violations(deputy)
    login(deputy, live_server, "deputy_zz")
    _visit(deputy, live_server, [reverse("deputies:portal"), reverse("votes:ballot", args=[world["open_session"].pk])])
    deputy.context.close()
    assert found == []
    assert found_by_deputy == []
