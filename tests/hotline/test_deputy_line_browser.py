"""代表专线 in a phone browser: a deputy forwards a problem and sees it in the list."""

import os

import pytest

from hotline.models import HotlineWorkOrder
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_forwards_a_problem_from_a_phone(phone_page, live_server, deputy_user, category):
    page = phone_page
    login(page, live_server, "deputy_zhang")
    page.goto(f"{live_server.url}/stations/hotline/")
    page.fill("input[name=title]", "桥下积水")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("textarea[name=content]", "雨后桥洞积水半米，车辆无法通行。")
    page.fill("input[name=address]", "天元区长江南路桥洞")
    page.click("main form[data-once] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".list-group-item").first.inner_text().startswith("桥下积水")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    if os.environ.get("HOTLINE_SCREENSHOTS"):
        page.screenshot(path=os.environ["HOTLINE_SCREENSHOTS"], full_page=True)
    assert HotlineWorkOrder.objects.get().deputy == deputy_user.deputy
