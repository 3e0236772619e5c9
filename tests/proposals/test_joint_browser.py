"""In Chromium: staff open a joint supervision for a committee and log a site visit; the committee's user reads it
on a phone and sees the visit and the proposal's state."""

import os

import pytest
from django.utils import timezone

from liaison.models import User
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR")


def test_staff_create_an_item_and_log_a_visit_and_the_committee_reads_it(
    page, phone_page, live_server, flow, committee
):
    proposal = flow.replied(reply_class="B", title="关于冷水滩建设人行天桥的建议")
    UserFactory(username="committee_zz", role=User.Role.UNIT, organization=committee)

    login(page, live_server, "staff_zz")
    page.goto(f"{live_server.url}/proposals/supervision/")
    page.get_by_test_id("new-supervision").click()
    page.select_option("#committee", label="株洲市人大常委会城建环资工作委员会")
    page.fill("#title", "人行天桥建设联合督办")
    page.fill("#focus", "天桥选址与建设进度")
    page.check(f"input[name=proposals][value='{proposal.pk}']")
    page.get_by_role("button", name="创建联合督办").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "人行天桥建设联合督办"
    assert "联合督办已创建。" in page.locator("body").inner_text()
    assert page.get_by_test_id("supervision-status").inner_text() == "督办中"

    page.fill("#place", "冷水滩区中心城区")
    page.fill("#participants", "城建环资委委员3人、市人大代表2人")
    page.fill("#summary", "察看4座人行天桥选址")
    page.fill("#findings", "一处选址与地下管网冲突")
    page.fill("#follow_ups", "住建局两周内报送调整方案")
    page.get_by_role("button", name="保存现场督办记录").click()
    page.wait_for_load_state("networkidle")
    visit = page.get_by_test_id("site-visit")
    assert visit.count() == 1
    text = visit.inner_text()
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日 · 冷水滩区中心城区" in text and "一处选址与地下管网冲突" in text
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/supervision-staff-1366.png", full_page=True)

    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    assert "联合督办现场督办（株洲市人大常委会城建环资工作委员会）" in page.locator("body").inner_text()

    login(phone_page, live_server, "committee_zz")
    phone_page.goto(f"{live_server.url}/proposals/supervision/")
    phone_page.get_by_role("link", name="人行天桥建设联合督办").click()
    phone_page.wait_for_load_state("networkidle")
    body = phone_page.locator("body").inner_text()
    assert "已答复待评价" in body and "住建局两周内报送调整方案" in body and "结束联合督办" not in body
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    if SHOTS:
        phone_page.screenshot(path=f"{SHOTS}/supervision-committee-360.png", full_page=True)
