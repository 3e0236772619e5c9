import pytest

from liaison.models import User
from liaison.notifications.models import Notification
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_user_sees_unread_badge_opens_inbox_and_marks_a_message_read(request, live_server, viewport):
    page = request.getfixturevalue(viewport)
    user = UserFactory(username="unit_inbox", role=User.Role.UNIT, display_name="住建局联络员")
    Notification.objects.create(recipient=user, title="督办事项提醒：报送整改情况", body="「报送整改情况」今天到期。")
    Notification.objects.create(recipient=user, title="督办事项提醒：走访", body="还有 7 天。")

    login(page, live_server, "unit_inbox")
    page.goto(f"{live_server.url}/notifications/")
    badge = page.locator("[data-testid=unread-count]")
    assert badge.inner_text() == "2"
    assert page.locator("[data-testid=notification][data-read='0']").count() == 2

    page.locator("[data-testid=mark-read]").first.click()
    page.wait_for_selector("[data-testid=notification][data-read='1']")
    assert badge.inner_text() == "1"
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 1
    page.screenshot(path=f"/tmp/inbox-{viewport}.png", full_page=True)

    page.locator("[data-testid=mark-all-read]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=unread-count]").inner_text() == "0"
    assert "已将 1 条消息标为已读。" in page.content()
