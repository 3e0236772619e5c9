"""A citizen scans a station's QR code on a phone, leaves an opinion, the manager triages it, the citizen reads it."""

import datetime

import pytest
from django.core.cache import cache

from liaison.models import Region, User
from stations import services
from stations.models import Opinion
from tests.conftest import login
from tests.factories import CongressFactory, MembershipFactory, UserFactory
from tests.stations.factories import OpinionCategoryFactory, StationAssignmentFactory, StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()
    yield
    cache.clear()


def test_citizen_submits_by_qr_manager_triages_citizen_sees_outcome(
    phone_page, browser, live_server, regions, sms_outbox
):
    township = Region.objects.create(
        code="430211004", name="嵩山路街道", level=Region.Level.TOWNSHIP, parent=regions["tianyuan"]
    )
    manager = UserFactory(username="manager_zz", role=User.Role.STATION_MANAGER, region=township)
    station = StationFactory(region=township, name="嵩山路街道人大代表中心联络站")
    station.managers.add(manager)
    OpinionCategoryFactory(code="road", name="道路交通")
    congress = CongressFactory(region=regions["tianyuan"], level=4, name="天元区第五届人民代表大会")
    deputy_user = UserFactory(username="deputy_zz", role=User.Role.DEPUTY, display_name="张建国")
    deputy = MembershipFactory(congress=congress, deputy__name="张建国", deputy__user=deputy_user).deputy
    StationAssignmentFactory(station=station, deputy=deputy, since=datetime.date(2024, 1, 1))

    # The citizen scans the code: the QR URL opens the phone form.
    page = phone_page
    page.goto(f"{live_server.url}/stations/s/{station.pk}/opinion/")
    assert "嵩山路街道人大代表中心联络站" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.select_option("select[name=category]", label="道路交通")
    page.fill("textarea[name=content]", "泰山路口红绿灯时间太短，老人过马路来不及")
    page.fill("input[name=mobile]", "13812345678")
    page.click("button[type=submit]")
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    assert len(code) == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The manager triages it on a desktop.
    manager_page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    login(manager_page, live_server, "manager_zz")
    assert "待处理群众意见" in manager_page.content()
    opinion = Opinion.objects.get(tracking_code=code)
    manager_page.goto(f"{live_server.url}/stations/opinions/")
    assert "138****5678" in manager_page.content()
    assert "13812345678" not in manager_page.content()
    manager_page.click(f"text={code}")
    outcome = "proposal" if services.proposals_available() else "handled"
    note = "关于延长泰山路口绿灯时间的建议" if outcome == "proposal" else "已协调交警部门延长绿灯时间"
    manager_page.check(f"input[name=outcome][value={outcome}]")
    manager_page.fill("textarea[name=note]", note)
    manager_page.click("[data-testid=triage-form] button[type=submit]")
    manager_page.wait_for_load_state("networkidle")
    opinion.refresh_from_db()
    assert opinion.status == outcome
    assert sms_outbox and code in sms_outbox[-1]["text"]
    manager_page.context.close()

    if outcome == "proposal":
        # The deputy finds the draft in their portal.
        deputy_page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
        login(deputy_page, live_server, "deputy_zz")
        deputy_page.goto(f"{live_server.url}/proposals/")
        assert note in deputy_page.content()
        deputy_page.context.close()

    # The citizen looks it up with the code and the last four digits.
    page.goto(f"{live_server.url}/stations/track/")
    page.fill("input[name=code]", code)
    page.fill("input[name=last_four]", "5678")
    page.click("[data-testid=track-form] button[type=submit]")
    result = page.locator("[data-testid=tracking-result]").inner_text()
    assert note in result
    assert str(Opinion.Status(outcome).label) in result
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
