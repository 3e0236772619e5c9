"""The activities API: scoped reads, plan with ids through scope, answer and sign in."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, Attendance, Invitation
from tests.activities.conftest import plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_staff_list_their_regions_activities_and_others_get_404_on_the_detail(client, staff_zz, staff_hy, activity):
    client.force_login(staff_zz)
    rows = client.get("/api/v1/activities/").json()["results"]
    assert [(r["id"], r["invited_count"], r["status"]) for r in rows] == [(activity.pk, 3, "planned")]
    client.force_login(staff_hy)
    assert client.get("/api/v1/activities/").json()["results"] == []
    missing = client.get(f"/api/v1/activities/{activity.pk}/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_a_deputy_sees_only_activities_and_invitations_of_their_own(client, activity, seats):
    client.force_login(seats["group"][0].deputy.user)
    assert [r["id"] for r in client.get("/api/v1/activities/").json()["results"]] == [activity.pk]
    invitations = client.get("/api/v1/activity-invitations/").json()["results"]
    assert [(i["activity"]["id"], i["response"], i["signed_in"]) for i in invitations] == [
        (activity.pk, "pending", False)
    ]
    client.force_login(seats["outsider"].deputy.user)
    assert client.get("/api/v1/activities/").json()["results"] == []
    assert client.get(f"/api/v1/activities/{activity.pk}/").status_code == 404


def test_staff_plan_by_api_and_a_seat_of_another_congress_is_refused_naming_the_field(
    client, staff_province, congress, other_congress, seats
):
    client.force_login(staff_province)
    starts = timezone.now() + datetime.timedelta(days=1)
    body = {
        "congress": congress.pk,
        "kind": "research",
        "title": "农村饮水安全专题调研",
        "place": "雷打石镇",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=3)).isoformat(),
        "invite_by": "hand",
        "memberships": [seats["outsider"].pk],
    }
    created = client.post("/api/v1/activities/plan/", body, content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["kind"], created.json()["invited_count"]) == ("research", 1)
    stranger = MembershipFactory(congress=other_congress)
    refused = client.post(
        "/api/v1/activities/plan/", {**body, "memberships": [stranger.pk]}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invitee_other_congress"
    assert list(refused.json()["fields"]) == ["memberships"]
    assert Activity.objects.count() == 1


def test_plan_by_api_refuses_a_seat_outside_the_callers_scope(client, staff_zz, congress, other_congress, seats):
    client.force_login(staff_zz)
    stranger = MembershipFactory(congress=other_congress)
    starts = timezone.now() + datetime.timedelta(days=1)
    refused = client.post(
        "/api/v1/activities/plan/",
        {
            "congress": congress.pk,
            "kind": "group",
            "title": "小组活动",
            "place": "会议室",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + datetime.timedelta(hours=3)).isoformat(),
            "memberships": [stranger.pk],
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["fields"]["memberships"] == [f"“受邀代表”：编号 {stranger.pk} 不存在或不在可选范围内。"]
    assert not Activity.objects.exists()


def test_a_deputy_answers_and_signs_in_by_api_once(client, activity, seats):
    client.force_login(seats["group"][0].deputy.user)
    invitation = Invitation.objects.get(activity=activity, membership=seats["group"][0])
    answered = client.post(
        f"/api/v1/activity-invitations/{invitation.pk}/response/",
        {"response": "attend"},
        content_type="application/json",
    )
    assert (answered.status_code, answered.json()["response"]) == (200, "attend")
    first = client.post(f"/api/v1/activities/{activity.pk}/sign-in/")
    assert (first.status_code, first.json()["created"], first.json()["how"]) == (201, True, "qr")
    second = client.post(f"/api/v1/activities/{activity.pk}/sign-in/")
    assert (second.status_code, second.json()["created"]) == (200, False)
    assert second.json()["message"] == "您已签到，无需重复签到。"
    assert Attendance.objects.count() == 1


def test_sign_in_by_api_outside_the_window_is_refused(client, staff_zz, congress, group, seats):
    later = plan(staff_zz, congress, group=group, starts_in=datetime.timedelta(days=1))
    client.force_login(seats["group"][0].deputy.user)
    refused = client.post(f"/api/v1/activities/{later.pk}/sign-in/")
    assert (refused.status_code, refused.json()["code"]) == (400, "sign_in_not_open")
    client.force_login(seats["outsider"].deputy.user)
    assert client.post(f"/api/v1/activities/{later.pk}/sign-in/").status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("rows", [2, 25])
def test_the_activity_api_runs_a_constant_number_of_queries(
    client, staff_zz, congress, group, seats, rows, django_assert_max_num_queries
):
    for i in range(rows):
        plan(staff_zz, congress, group=group, title=f"活动{i}")
    client.force_login(staff_zz)
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/activities/?page_size=100")
    assert len(response.json()["results"]) == rows


def _held(staff, activity):
    from activities import services

    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    activity.refresh_from_db()
    return services.activity_mark_held(actor=staff, activity=activity)


def test_staff_run_the_activity_by_api_held_minutes_outcome_file_close(
    client, staff_zz, activity, seats, point_rule, congress, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activities import services
    from tests.factories import DeputyFactory
    from tests.proposals.factories import ProposalFactory

    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_zz)
    services.attendance_record(actor=staff_zz, activity=activity, membership=seats["group"][0])
    early = client.post(f"/api/v1/activities/{activity.pk}/held/")
    assert (early.status_code, early.json()["code"]) == (400, "not_started")
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    assert client.post(f"/api/v1/activities/{activity.pk}/held/").json()["status"] == "held"
    minutes = client.post(
        f"/api/v1/activities/{activity.pk}/minutes/", {"minutes": "形成意见 3 条"}, content_type="application/json"
    )
    assert minutes.json()["minutes"] == "形成意见 3 条"
    proposal = ProposalFactory(congress=congress, lead_deputy=DeputyFactory())
    outcome = client.post(
        f"/api/v1/activities/{activity.pk}/outcomes/",
        {"kind": "opinion", "title": "加装电梯", "proposal": proposal.pk},
        content_type="application/json",
    )
    assert (outcome.status_code, outcome.json()["proposal"]) == (201, proposal.pk)
    fake = client.post(
        f"/api/v1/activities/{activity.pk}/files/", {"file": SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" * 16)}
    )
    assert (fake.status_code, fake.json()["code"]) == (400, "upload_content_mismatch")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    photo = client.post(f"/api/v1/activities/{activity.pk}/files/", {"file": SimpleUploadedFile("照片.png", png)})
    assert photo.status_code == 201
    closed = client.post(f"/api/v1/activities/{activity.pk}/close/")
    assert closed.json()["status"] == "closed"
    assert seats["group"][0].duty_records.get().source_key == f"activity:{activity.pk}"
    again = client.post(f"/api/v1/activities/{activity.pk}/close/")
    assert again.status_code == 409
    assert seats["group"][0].duty_records.count() == 1
