"""A deputy scans an activity's QR code on a 360-px phone: sees the activity, answers, signs in once."""

import datetime

import pytest
from django.utils import timezone

from activities import services
from activities.models import Activity, Attendance
from deputies.models import DeputyGroup
from liaison.models import User
from tests.conftest import login
from tests.factories import CongressFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_deputy_signs_in_on_a_phone_and_a_second_tap_changes_nothing(
    phone_page, live_server, regions, staff_zz
):
    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    group = DeputyGroup.objects.create(congress=congress, name="天元区代表小组")
    user = UserFactory(username="deputy_act", role=User.Role.DEPUTY, display_name="李秀英")
    seat = MembershipFactory(congress=congress, group=group, deputy__name="李秀英", deputy__user=user)
    starts_at = timezone.now() + datetime.timedelta(minutes=20)
    activity = services.activity_plan(
        actor=staff_zz,
        congress=congress,
        kind=Activity.Kind.COURTYARD_FORUM,
        title="屋场恳谈会：马家河村道路硬化",
        place="马家河村文化广场",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        group=group,
        invite_by=services.InviteBy.GROUP,
    )

    login(phone_page, live_server, "deputy_act")
    phone_page.goto(f"{live_server.url}/activities/mine/")
    phone_page.click("[data-testid=attend]")
    assert "已答复。" in phone_page.content()

    # The QR code opens the sign-in page.
    phone_page.goto(f"{live_server.url}/activities/{activity.pk}/sign-in/")
    card = phone_page.locator("[data-testid=sign-in-card]")
    assert "屋场恳谈会：马家河村道路硬化" in card.inner_text()
    assert "马家河村文化广场" in card.inner_text()
    phone_page.click("[data-testid=sign-in]")
    assert "签到成功。" in phone_page.content()
    assert phone_page.locator("[data-testid=signed-in]").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"sign-in page scrolls sideways: {width}px"
    phone_page.screenshot(path="tests/artifacts/activity-sign-in-360.png", full_page=True)

    # Scanning again: already signed in, no button, still one attendance.
    phone_page.goto(f"{live_server.url}/activities/{activity.pk}/sign-in/")
    assert phone_page.locator("[data-testid=sign-in]").count() == 0
    assert Attendance.objects.filter(activity=activity, membership=seat).count() == 1
    assert Attendance.objects.get(activity=activity).how == Attendance.How.QR
