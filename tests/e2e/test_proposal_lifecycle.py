"""The whole 提→交→办→督 path in Chromium: submit, accept and assign, contacts and a B reply, 不满意,
re-handling with an A reply, 满意, closed — the timeline shows every step."""

import datetime

import pytest
from django.utils import timezone

from liaison.models import User
from proposals.models import Proposal
from tests.conftest import login
from tests.factories import CongressFactory, MembershipFactory, OrganizationFactory, UserFactory


def submit(page, selector):
    """Click a form's button and wait until the answer page has loaded, so the next step sees the saved state."""
    with page.expect_navigation():
        page.click(selector)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server, username)
    return page


def test_proposal_goes_from_submission_to_closed(browser, live_server, regions, staff_zz, unit_zz):
    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    deputy = UserFactory(username="deputy_zz", role=User.Role.DEPUTY, display_name="张建国")
    MembershipFactory(congress=congress, deputy__name="张建国", deputy__user=deputy)
    OrganizationFactory(region=regions["zhuzhou"], name="株洲市教育局")

    # 提: the deputy drafts and submits
    page = as_user(browser, live_server, "deputy_zz")
    page.goto(f"{live_server.url}/proposals/new/")
    page.fill("#id_title", "关于加快嵩山路老旧小区改造的建议")
    page.fill("#id_content", "建议加快推进老旧小区改造，增设电梯和停车位。")
    submit(page, "[data-testid=save-draft]")
    submit(page, "[data-testid=submit]")
    assert "建议已提交。" in page.content()
    detail_url = page.url
    proposal = Proposal.objects.get()

    # 交: staff accept and assign to the 住建局 with a three-month deadline
    staff = as_user(browser, live_server, "staff_zz")
    staff.goto(detail_url)
    submit(staff, "[data-testid=accept]")
    staff.select_option("#lead_unit", label="株洲市住房和城乡建设局")
    submit(staff, "[data-testid=assign-form] button")
    assert Proposal.objects.get().status == "assigned"

    # 办: the unit records the 办前 and 办中 contacts and replies B with a promised date
    unit = as_user(browser, live_server, "unit_zz")
    unit.goto(f"{live_server.url}/proposals/unit/")
    unit.click(f"text={proposal.title}")
    unit.select_option("[data-testid=contact-form] select[name=stage]", "before")
    unit.fill("[data-testid=contact-form] textarea[name=summary]", "登门听取代表意见")
    submit(unit, "[data-testid=contact-form] button")
    unit.select_option("[data-testid=contact-form] select[name=stage]", "during")
    unit.fill("[data-testid=contact-form] textarea[name=summary]", "邀请代表现场察看")
    submit(unit, "[data-testid=contact-form] button")
    unit.select_option("[data-testid=reply-form] select[name=reply_class]", "B")
    promised = timezone.localdate() + datetime.timedelta(days=120)
    unit.fill("[data-testid=reply-form] input[name=promised_on]", promised.isoformat())
    unit.fill("[data-testid=reply-form] textarea[name=text]", "已列入明年改造计划。")
    submit(unit, "[data-testid=reply-form] button")
    assert "答复已发送。" in unit.content()

    # 督: the deputy is not satisfied
    page.goto(detail_url)
    assert "B类" in page.locator("[data-testid=reply-class]").first.inner_text()
    page.check("#rating-unsatisfied")
    page.fill("#rate-comment", "改造时间太晚")
    submit(page, "[data-testid=rate-form] button")
    assert Proposal.objects.get().status == "rehandling"

    # 二次交办: the unit re-handles and replies A
    unit.goto(detail_url)
    unit.select_option("[data-testid=reply-form] select[name=reply_class]", "A")
    unit.fill("[data-testid=reply-form] textarea[name=text]", "已调整计划，本年内完成改造。")
    submit(unit, "[data-testid=reply-form] button")

    page.goto(detail_url)
    page.check("#rating-satisfied")
    submit(page, "[data-testid=rate-form] button")

    # 办后: the unit calls the deputy back before the proposal can be closed
    unit.goto(detail_url)
    unit.select_option("[data-testid=after-contact-form] select[name=way]", "phone")
    unit.fill("[data-testid=after-contact-form] textarea[name=summary]", "电话回访，代表对答复满意")
    submit(unit, "[data-testid=after-contact-form] button")
    assert "联系记录已保存。" in unit.content()

    staff.goto(detail_url)
    submit(staff, "[data-testid=close]")
    assert "建议已办结，仅供查阅。" in staff.content()

    timeline = staff.locator("[data-testid=timeline]").inner_text()
    for step in (
        "草稿",
        "待审核",
        "已立案待交办",
        "办理中",
        "办前联系",
        "已答复待评价",
        "二次交办",
        "代表满意",
        "已办结",
    ):
        assert step in timeline, step
    assert "不满意：改造时间太晚" in timeline
    assert staff.locator("[data-testid=timeline] li").count() == 12  # with the 办中 and 办后 contacts
    assert Proposal.objects.get().rehandle_count == 1
    staff.screenshot(path="/tmp/proposal-closed.png", full_page=True)
