import pytest
from django.contrib.auth import get_user_model

from tests.conftest import login
from tests.factories import TEST_PASSWORD
from tests.votes.factories import deputy_user, make_congress, make_session
from votes import services
from votes.models import VoteSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_checks_in_and_votes_on_a_phone_then_staff_close_and_the_public_sees_the_result(
    browser, phone_page, page, live_server, regions, staff_zz
):
    congress, seats = make_congress(regions["tianyuan"], deputies=3, name="天元区第五届人民代表大会")
    session = make_session(actor=staff_zz, congress=congress, allow_self_checkin=True)
    services.session_open(actor=staff_zz, session=session)
    user = deputy_user(seats[0])
    user.username = "deputy_vote"
    user.save()
    for other in seats[1:]:
        services.checkin_register(actor=staff_zz, session=session, membership=other)
        services.ballot_cast(
            actor=deputy_user(other),
            session=session,
            choices={
                str(c.pk): v
                for c, v in zip(session.candidates.order_by("position"), ["for", "for", "against"], strict=True)
            },
        )

    # The deputy, on a 360-px phone: check in, try three 赞成 (refused), then vote.
    login(phone_page, live_server, "deputy_vote", TEST_PASSWORD)
    phone_page.goto(f"{live_server.url}/votes/ballots/")
    phone_page.click(f"text={session.title}")
    phone_page.click("[data-testid=self-checkin]")
    assert "签到成功，可以投票了。" in phone_page.content()
    labels = phone_page.locator("label.btn-outline-success")
    for i in range(3):
        labels.nth(i).click()
    assert "已选赞成 3 / 最多 2 个" in phone_page.locator(".ballot-counter").inner_text()
    phone_page.click("[data-testid=cast]")
    assert "这张选票有 3 个赞成，无效。" in phone_page.locator("[data-testid=ballot-error]").inner_text()
    phone_page.locator("label.btn-outline-success").nth(0).click()
    phone_page.locator("label.btn-outline-success").nth(1).click()
    phone_page.locator("label.btn-outline-danger").nth(2).click()
    phone_page.click("[data-testid=cast]")
    assert phone_page.locator("[data-testid=voted]").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"ballot page scrolls sideways: {width}px"
    phone_page.screenshot(path="tests/artifacts/vote-ballot-360.png", full_page=True)

    # Staff close the session.
    login(page, live_server, "staff_zz", TEST_PASSWORD)
    page.goto(f"{live_server.url}/votes/sessions/{session.pk}/")
    page.click("[data-testid=close-session]")
    session.refresh_from_db()
    assert session.status == VoteSession.Status.CLOSED

    # The public result page, no login.
    public = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}).new_page()
    public.goto(f"{live_server.url}/votes/results/{session.pk}/")
    assert public.locator("[data-testid=final-hash]").inner_text().strip() == session.final_hash
    assert "电子 3，纸质 0" in public.locator("[data-testid=ballots]").inner_text()
    assert public.locator("[data-testid=turnout]").inner_text() == "100.0%"
    first = public.locator("[data-testid=result-1]").inner_text()
    assert "3" in first and "当选" in first
    assert "未当选" in public.locator("[data-testid=result-3]").inner_text()
    public.screenshot(path="tests/artifacts/vote-result-360.png", full_page=True)
    public.context.close()
    assert get_user_model().objects.filter(username="staff_zz").exists()
