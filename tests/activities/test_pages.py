"""The activity pages: staff list, plan form, detail and actions in scope; the deputy's list, answers and sign-in."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, Attendance, Invitation
from tests.activities.conftest import plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_staff_of_another_region_get_404_on_the_detail_the_actions_and_the_qr_code(client, staff_hy, activity):
    client.force_login(staff_hy)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    assert client.post(f"/activities/{activity.pk}/held/").status_code == 404
    assert client.post(f"/activities/{activity.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.get(f"/activities/{activity.pk}/qr.png").status_code == 404
    assert client.get("/activities/").context["page"].paginator.count == 0
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_staff_see_the_detail_with_invitees_and_the_sign_in_qr_code(client, staff_zz, activity, seats):
    client.force_login(staff_zz)
    response = client.get(f"/activities/{activity.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for seat in seats["group"]:
        assert seat.deputy.name in page
    assert seats["outsider"].deputy.name not in page.split('data-testid="invitees"')[1]
    assert f"/activities/{activity.pk}/sign-in/" in page
    png = client.get(f"/activities/{activity.pk}/qr.png")
    assert (png.status_code, png["Content-Type"], png.content[:4]) == (200, "image/png", b"\x89PNG")
    pdf = client.get(f"/activities/{activity.pk}/qr.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_staff_plan_an_activity_through_the_form(client, staff_zz, congress, group, seats):
    client.force_login(staff_zz)
    assert client.get("/activities/new/").status_code == 200
    starts = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        "/activities/new/",
        {
            "congress": congress.pk,
            "kind": Activity.Kind.COURTYARD_FORUM,
            "title": "屋场恳谈会：村道硬化",
            "place": "马家河村文化广场",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "invite_by": "hand",
            "memberships": [seats["outsider"].pk, seats["group"][0].pk],
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{activity.pk}/"
    assert set(activity.invitations.values_list("membership_id", flat=True)) == {
        seats["outsider"].pk,
        seats["group"][0].pk,
    }
    assert activity.organizer == staff_zz


def test_the_plan_form_refuses_a_seat_outside_the_staffs_region_beside_the_field(
    client, staff_zz, congress, other_congress, seats
):
    stranger = MembershipFactory(congress=other_congress)
    client.force_login(staff_zz)
    starts = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        "/activities/new/",
        {
            "congress": congress.pk,
            "kind": Activity.Kind.GROUP,
            "title": "小组活动",
            "place": "会议室",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "invite_by": "hand",
            "memberships": [stranger.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["memberships"] == ["“受邀代表”：所选记录不存在或不在可选范围内。"]
    assert not Activity.objects.exists()


def test_the_plan_form_shows_the_services_refusal_for_a_seat_of_another_congress(
    client, staff_province, congress, other_congress
):
    stranger = MembershipFactory(congress=other_congress)
    client.force_login(staff_province)
    starts = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        "/activities/new/",
        {
            "congress": congress.pk,
            "kind": Activity.Kind.GROUP,
            "title": "小组活动",
            "place": "会议室",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "invite_by": "hand",
            "memberships": [stranger.pk],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["memberships"]
    assert errors == [f"受邀代表“{stranger.deputy.name}”不是株洲市第十六届人民代表大会的代表。"]


def test_staff_record_attendance_and_close_from_the_detail_page(client, staff_zz, activity, seats, point_rule):
    client.force_login(staff_zz)
    response = client.post(f"/activities/{activity.pk}/attendance/", {"membership": seats["group"][0].pk})
    assert response.status_code == 302
    assert Attendance.objects.get().membership == seats["group"][0]
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    client.post(f"/activities/{activity.pk}/held/")
    client.post(f"/activities/{activity.pk}/close/")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CLOSED
    assert seats["group"][0].duty_records.get().source_key == f"activity:{activity.pk}"


def test_the_deputy_sees_own_invitations_and_answers_on_the_page(client, activity, seats):
    user = seats["group"][0].deputy.user
    client.force_login(user)
    response = client.get("/activities/mine/")
    assert response.status_code == 200
    assert activity.title in response.content.decode()
    invitation = Invitation.objects.get(activity=activity, membership=seats["group"][0])
    client.post(f"/activities/invitations/{invitation.pk}/respond/", {"response": "excused", "reason": "出差"})
    invitation.refresh_from_db()
    assert (invitation.response, invitation.reason) == ("excused", "出差")
    other = Invitation.objects.get(activity=activity, membership=seats["group"][1])
    assert client.post(f"/activities/invitations/{other.pk}/respond/", {"response": "attend"}).status_code == 404
    other.refresh_from_db()
    assert other.response == "pending"


def test_the_qr_page_signs_in_an_invited_deputy_once(client, activity, seats):
    client.force_login(seats["group"][0].deputy.user)
    page = client.get(f"/activities/{activity.pk}/sign-in/")
    assert page.status_code == 200
    assert 'data-testid="sign-in"' in page.content.decode()
    first = client.post(f"/activities/{activity.pk}/sign-in/", follow=True)
    assert "签到成功。" in first.content.decode()
    second = client.post(f"/activities/{activity.pk}/sign-in/", follow=True)
    assert "您已签到，无需重复签到。" in second.content.decode()
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_the_qr_page_is_404_for_a_deputy_not_invited(client, activity, seats):
    client.force_login(seats["outsider"].deputy.user)
    assert client.get(f"/activities/{activity.pk}/sign-in/").status_code == 404
    assert client.post(f"/activities/{activity.pk}/sign-in/").status_code == 404
    assert not Attendance.objects.exists()


def test_the_qr_page_outside_the_window_offers_no_button_and_refuses_a_post(client, staff_zz, congress, group, seats):
    later = plan(staff_zz, congress, group=group, starts_in=datetime.timedelta(days=1))
    client.force_login(seats["group"][0].deputy.user)
    page = client.get(f"/activities/{later.pk}/sign-in/").content.decode()
    assert 'data-testid="sign-in-closed"' in page
    assert 'data-testid="sign-in"' not in page
    refused = client.post(f"/activities/{later.pk}/sign-in/", follow=True).content.decode()
    assert "签到尚未开始" in refused
    assert not Attendance.objects.exists()


def test_deputies_have_a_menu_entry_and_staff_a_home_card_that_opens_the_planned_list(
    client, staff_zz, activity, seats
):
    from activities.workbench import cards

    client.force_login(seats["outsider"].deputy.user)
    assert "/activities/mine/" in [item["url"] for item in client.get("/activities/mine/").context["nav_items"]]
    [card] = cards(staff_zz)
    assert (card.title, card.count, card.url) == ("代表活动", 1, "/activities/?status=planned")
    client.force_login(staff_zz)
    assert client.get(card.url).context["page"].paginator.count == 1
    assert "/activities/" in client.get("/").content.decode()


def test_staff_and_deputy_pages_are_closed_to_the_other_role(client, staff_zz, seats):
    client.force_login(seats["outsider"].deputy.user)
    assert client.get("/activities/").status_code == 404
    assert client.get("/activities/new/").status_code == 404
    client.force_login(staff_zz)
    assert client.get("/activities/mine/").status_code == 404


@pytest.mark.parametrize("rows", [2, 25])
def test_the_staff_list_runs_a_constant_number_of_queries(
    client, staff_zz, congress, group, seats, rows, django_assert_max_num_queries
):
    for i in range(rows):
        plan(staff_zz, congress, group=group, title=f"活动{i}")
    client.force_login(staff_zz)
    with django_assert_max_num_queries(9):
        response = client.get("/activities/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows
    assert response.context["page"].object_list[0].invited_count == 3


@pytest.mark.parametrize("rows", [2, 25])
def test_the_deputys_list_runs_a_constant_number_of_queries(
    client, staff_zz, congress, group, seats, rows, django_assert_max_num_queries
):
    for i in range(rows):
        plan(staff_zz, congress, group=group, title=f"活动{i}")
    client.force_login(seats["group"][0].deputy.user)
    with django_assert_max_num_queries(8):
        response = client.get("/activities/mine/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


def test_the_deputys_card_counts_the_invitations_to_answer_and_opens_that_list(client, activity, seats):
    from activities.workbench import cards

    user = seats["group"][0].deputy.user
    [card] = cards(user)
    assert (card.title, card.count, card.tone) == ("待答复的活动邀请", 1, "warning")
    client.force_login(user)
    listed = client.get(card.url)
    assert listed.context["page"].paginator.count == 1
    invitation = Invitation.objects.get(activity=activity, membership=seats["group"][0])
    client.post(f"/activities/invitations/{invitation.pk}/respond/", {"response": "attend"})
    assert cards(user)[0].count == 0
    assert client.get(card.url).context["page"].paginator.count == 0
    assert client.get("/activities/mine/").context["page"].paginator.count == 1


def test_the_admin_shows_the_transition_table_and_closes_through_the_service(client, regions, activity, seats):
    from liaison.models import User
    from tests.factories import UserFactory

    root = UserFactory(
        username="root", role=User.Role.STAFF, is_superuser=True, is_staff=True, region=regions["province"]
    )
    client.force_login(root)
    page = client.get(f"/admin/activities/activity/{activity.pk}/change/")
    assert page.status_code == 200
    listing = client.get("/admin/activities/activity/").content.decode()
    assert "已计划" in listing and "已举行" in listing  # the transition table
    client.post("/admin/activities/activity/", {"action": "close_activities", "_selected_action": [activity.pk]})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED  # planned → closed is not in the table: refused, nothing moved
