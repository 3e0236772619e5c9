"""A deputy scans an activity's QR code on a 360-px phone: sees the activity, answers, signs in once."""

import datetime

import pytest
from django.utils import timezone

from activities import services
from activities.models import Activity, Attendance
from deputies.models import DeputyGroup
from liaison.models import User
from tests.conftest import login
from tests.e2e.a11y import assert_accessible
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
    assert_accessible(phone_page)
    phone_page.click("[data-testid=attend]")
    assert "已答复。" in phone_page.content()

    # The QR code opens the sign-in page.
    phone_page.goto(f"{live_server.url}/activities/{activity.pk}/sign-in/")
    assert_accessible(phone_page)
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


def test_staff_record_attendance_and_close_on_an_accessible_detail_page(page, live_server, regions, staff_zz):
    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    seat = MembershipFactory(congress=congress, deputy__name="王志强")
    starts_at = timezone.now() - datetime.timedelta(minutes=30)
    activity = services.activity_plan(
        actor=staff_zz,
        congress=congress,
        kind=Activity.Kind.INSPECTION,
        title="视察城区老旧小区改造",
        place="泰山社区",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        memberships=[seat],
    )

    login(page, live_server, "staff_zz")
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    assert_accessible(page)
    page.select_option("#id_membership", str(seat.pk))
    page.click("[data-testid=record-attendance]")
    assert "已登记签到：王志强" in page.content()
    page.click("[data-testid=mark-held]")
    assert_accessible(page)  # now with the minutes, files and outcomes forms
    page.click("[data-testid=close-activity]")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CLOSED
    assert seat.duty_records.get().source_key == f"activity:{activity.pk}"
