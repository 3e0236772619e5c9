"""Issue 20: a deputy registers a duty done outside the portal; staff of the congress's region approve it or return
it with a reason; only approved records count for points. Pages, API and services, with real PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from deputies import selectors, services
from deputies.models import DutyKind, DutyRecord, DutyRecordStatusChange
from liaison.errors import ApplicationError, InvalidTransition
from liaison.models import AuditLog, User
from liaison.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def deputy_user(db):
    return UserFactory(username="deputy_li", role=User.Role.DEPUTY, display_name="李秀英")


@pytest.fixture
def seat(congresses, deputy_user, today):
    seat = MembershipFactory(congress=congresses["zz"], deputy__name="李秀英", deputy__user=deputy_user)
    services.point_rule_set(
        actor=None,
        congress=seat.congress,
        kind=DutyKind.INSPECTION,
        points=4,
        valid_from=datetime.date(today.year, 1, 1),
    )
    return seat


@pytest.fixture
def other_deputy(congresses):
    user = UserFactory(username="deputy_wang", role=User.Role.DEPUTY, display_name="王志强")
    MembershipFactory(congress=congresses["zz"], deputy__name="王志强", deputy__user=user)
    return user


def submit(deputy_user, seat, today, **overrides):
    values = {
        "actor": deputy_user,
        "membership": seat,
        "kind": DutyKind.INSPECTION,
        "occurred_on": today,
        "place": "嵩山路社区",
        "description": "走访独居老人，收集加装电梯意见",
    }
    values.update(overrides)
    return services.duty_record_submit(**values)


def year_points(staff, seat, year):
    ranking = selectors.points_ranking(user=staff, congress=seat.congress, year=year)
    return {row.pk: row.total_points for row in ranking}[seat.pk]


def test_deputy_submits_on_the_page_and_the_record_waits_for_review(client, deputy_user, seat, staff_zz, today):
    client.force_login(deputy_user)
    form = client.get(reverse("deputies:duty_register"))
    assert form.status_code == 200
    assert "登记履职" in form.content.decode()
    assert 'value="session"' not in form.content.decode()  # a kind the system records is not offered
    response = client.post(
        reverse("deputies:duty_register"),
        {
            "membership": seat.pk,
            "kind": DutyKind.INSPECTION,
            "occurred_on": today.isoformat(),
            "place": "嵩山路社区",
            "description": "走访独居老人，收集加装电梯意见",
            "attachment": SimpleUploadedFile("走访照片.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:my_duties")
    record = DutyRecord.objects.get()
    assert (record.status, record.self_registered, record.entered_by, record.membership) == (
        DutyRecord.Status.SUBMITTED,
        True,
        deputy_user,
        seat,
    )
    assert record.attachment.name.endswith(".png")
    assert list(DutyRecordStatusChange.objects.filter(record=record).values_list("from_status", "to_status")) == [
        ("", "submitted")
    ]
    assert AuditLog.objects.filter(action="duty_record.submit", object_id=str(record.pk), actor=deputy_user).exists()

    mine = client.get(reverse("deputies:my_duties")).content.decode()
    assert "走访独居老人" in mine
    assert 'data-status="submitted"' in mine and "待审核" in mine

    client.force_login(staff_zz)
    queue = client.get(reverse("deputies:duty_review_queue")).content.decode()
    assert "李秀英" in queue and reverse("deputies:duty_review", args=[record.pk]) in queue


@pytest.mark.django_db(transaction=True)  # real commits: the cached ranking is dropped once approval commits
def test_points_count_only_after_approval(client, deputy_user, seat, staff_zz, today):
    record = submit(deputy_user, seat, today)
    assert year_points(staff_zz, seat, today.year) == Decimal("0")
    assert selectors.deputy_points_summary(deputy=seat.deputy, year=today.year)[0]["points"] == Decimal("0")
    figure = selectors.figure_points(staff_zz, congress=seat.congress)
    assert {row.pk: row.total_points for row in figure}[seat.pk] == Decimal("0")
    assert selectors.portal_duty_rows(user=deputy_user, year=today.year) == []
    listed = selectors.duty_records_with_points(user=staff_zz).get(pk=record.pk)
    assert listed.points == Decimal("0")

    client.force_login(staff_zz)
    response = client.post(reverse("deputies:duty_review_approve", args=[record.pk]), {"public": "on"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.is_public) == (DutyRecord.Status.APPROVED, True)
    assert year_points(staff_zz, seat, today.year) == Decimal("4")
    assert selectors.deputy_points_summary(deputy=seat.deputy, year=today.year)[0]["points"] == Decimal("4")
    figure = selectors.figure_points(staff_zz, congress=seat.congress)
    assert {row.pk: row.total_points for row in figure}[seat.pk] == Decimal("4")
    assert [row["id"] for row in selectors.portal_duty_rows(user=deputy_user, year=today.year)] == [record.pk]
    assert list(DutyRecordStatusChange.objects.filter(record=record).values_list("to_status", "actor")) == [
        ("submitted", deputy_user.pk),
        ("approved", staff_zz.pk),
    ]
    assert AuditLog.objects.filter(action="duty_record.approve", object_id=str(record.pk), actor=staff_zz).exists()
    note = Notification.objects.get(recipient=deputy_user)
    assert note.title == "履职登记已通过：视察调研"
    assert note.link == reverse("deputies:my_duties")


def test_return_needs_a_reason_and_the_deputy_corrects_and_resubmits(client, deputy_user, seat, staff_zz, today):
    record = submit(deputy_user, seat, today)
    client.force_login(staff_zz)
    refused = client.post(reverse("deputies:duty_review_return", args=[record.pk]), {"reason": "  "})
    assert refused.status_code == 400
    assert "请填写退回原因。" in refused.content.decode()
    record.refresh_from_db()
    assert record.status == DutyRecord.Status.SUBMITTED
    with pytest.raises(ApplicationError, match="请填写退回原因。"):
        services.duty_record_return(actor=staff_zz, record=record, reason="")

    response = client.post(reverse("deputies:duty_review_return", args=[record.pk]), {"reason": "请补充走访照片"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.return_reason) == (DutyRecord.Status.RETURNED, "请补充走访照片")
    assert (
        AuditLog.objects.get(action="duty_record.return", object_id=str(record.pk)).data["reason"] == "请补充走访照片"
    )
    note = Notification.objects.get(recipient=deputy_user)
    assert note.title == "履职登记被退回：视察调研"
    assert "请补充走访照片" in note.body
    assert year_points(staff_zz, seat, today.year) == Decimal("0")

    client.force_login(deputy_user)
    mine = client.get(reverse("deputies:my_duties")).content.decode()
    assert "请补充走访照片" in mine and reverse("deputies:duty_resubmit", args=[record.pk]) in mine
    edit = client.get(reverse("deputies:duty_resubmit", args=[record.pk]))
    assert "请补充走访照片" in edit.content.decode()
    response = client.post(
        reverse("deputies:duty_resubmit", args=[record.pk]),
        {
            "kind": DutyKind.INSPECTION,
            "occurred_on": today.isoformat(),
            "place": "嵩山路社区",
            "description": "走访独居老人 12 户，照片附后",
            "attachment": SimpleUploadedFile("照片.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.description) == (DutyRecord.Status.SUBMITTED, "走访独居老人 12 户，照片附后")
    assert record.attachment.name.endswith(".png")
    assert AuditLog.objects.filter(action="duty_record.resubmit", object_id=str(record.pk)).exists()
    # A record waiting again cannot be edited a second time before the review.
    again = client.get(reverse("deputies:duty_resubmit", args=[record.pk]))
    assert again.status_code == 302

    services.duty_record_approve(actor=staff_zz, record=record)
    assert list(DutyRecordStatusChange.objects.filter(record=record).values_list("to_status", "note")) == [
        ("submitted", ""),
        ("returned", "请补充走访照片"),
        ("submitted", ""),
        ("approved", ""),
    ]
    assert year_points(staff_zz, seat, today.year) == Decimal("4")


def test_approved_is_final(deputy_user, seat, staff_zz, today):
    record = submit(deputy_user, seat, today)
    services.duty_record_approve(actor=staff_zz, record=record)
    with pytest.raises(InvalidTransition, match="该履职登记当前为“已通过”，不能转为“已退回”。"):
        services.duty_record_return(actor=staff_zz, record=record, reason="重复")
    with pytest.raises(InvalidTransition):
        services.duty_record_resubmit(
            actor=deputy_user, record=record, kind=DutyKind.INSPECTION, occurred_on=today, description="改"
        )
    assert DutyRecordStatusChange.objects.filter(record=record).count() == 2


def test_staff_of_another_region_cannot_approve_or_return(client, deputy_user, seat, staff_hy, today):
    record = submit(deputy_user, seat, today)
    client.force_login(staff_hy)
    assert client.get(reverse("deputies:duty_review", args=[record.pk])).status_code == 404
    assert client.post(reverse("deputies:duty_review_approve", args=[record.pk]), {"public": "on"}).status_code == 404
    assert client.post(reverse("deputies:duty_review_return", args=[record.pk]), {"reason": "不对"}).status_code == 404
    api = client.post(f"/api/v1/duty-records/{record.pk}/approve/", {"public": True}, content_type="application/json")
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    api = client.post(f"/api/v1/duty-records/{record.pk}/return/", {"reason": "不对"}, content_type="application/json")
    assert api.status_code == 404
    with pytest.raises(ApplicationError) as refused:
        services.duty_record_approve(actor=staff_hy, record=record)
    assert refused.value.status_code == 404
    assert "李秀英" not in client.get(reverse("deputies:duty_review_queue")).content.decode()

    record.refresh_from_db()
    assert record.status == DutyRecord.Status.SUBMITTED
    assert DutyRecordStatusChange.objects.filter(record=record).count() == 1
    assert not AuditLog.objects.filter(action__in=["duty_record.approve", "duty_record.return"]).exists()
    assert not Notification.objects.filter(recipient=deputy_user).exists()


def test_a_deputy_cannot_act_on_another_deputys_record(client, deputy_user, seat, other_deputy, staff_zz, today):
    record = submit(deputy_user, seat, today)
    services.duty_record_return(actor=staff_zz, record=record, reason="请补充照片")
    client.force_login(other_deputy)
    assert client.get(reverse("deputies:duty_resubmit", args=[record.pk])).status_code == 404
    form = {"kind": "inspection", "occurred_on": today.isoformat(), "description": "冒名修改"}
    assert client.post(reverse("deputies:duty_resubmit", args=[record.pk]), form).status_code == 404
    api = client.post(f"/api/v1/duty-records/{record.pk}/resubmit/", form, content_type="application/json")
    assert api.status_code == 404
    # A deputy is not a reviewer, not even of their own record.
    client.force_login(deputy_user)
    api = client.post(f"/api/v1/duty-records/{record.pk}/approve/", {}, content_type="application/json")
    assert api.status_code == 403
    assert client.post(reverse("deputies:duty_review_approve", args=[record.pk])).status_code == 404
    # Nor can they register a duty in another deputy's seat.
    other_seat = other_deputy.deputy.memberships.get()
    api = client.post(
        "/api/v1/duty-records/submit/",
        {"membership": other_seat.pk, "kind": "inspection", "occurred_on": today.isoformat(), "description": "冒名"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "membership" in api.json()["fields"]
    with pytest.raises(ApplicationError):
        submit(deputy_user, other_seat, today)

    record.refresh_from_db()
    assert (record.status, record.description) == (DutyRecord.Status.RETURNED, "走访独居老人，收集加装电梯意见")
    assert DutyRecord.objects.count() == 1


@pytest.mark.parametrize("door", ["page", "api"])
def test_an_upload_that_is_not_what_it_claims_is_refused(client, deputy_user, seat, today, door):
    fake = SimpleUploadedFile("走访照片.jpg", "这其实是一段文字，不是照片".encode(), content_type="image/jpeg")
    values = {
        "membership": seat.pk,
        "kind": DutyKind.INSPECTION,
        "occurred_on": today.isoformat(),
        "description": "走访",
        "attachment": fake,
    }
    client.force_login(deputy_user)
    message = "“走访照片.jpg”的内容与文件类型不符（可能是伪装的程序或网页），已拒绝。"
    if door == "page":
        response = client.post(reverse("deputies:duty_register"), values)
        assert response.status_code == 200
        assert message in response.content.decode()
    else:
        response = client.post("/api/v1/duty-records/submit/", values)
        assert response.status_code == 400
        assert response.json()["message"] == message
    assert DutyRecord.objects.count() == 0
    assert DutyRecordStatusChange.objects.count() == 0


def test_refusals_of_the_registration_rules(client, deputy_user, seat, today):
    client.force_login(deputy_user)
    future = client.post(
        "/api/v1/duty-records/submit/",
        {
            "membership": seat.pk,
            "kind": "inspection",
            "occurred_on": (today + datetime.timedelta(days=1)).isoformat(),
            "description": "明天的视察",
        },
        content_type="application/json",
    )
    assert future.status_code == 400
    assert future.json()["message"] == "履职日期不能晚于今天。"
    reserved = client.post(
        "/api/v1/duty-records/submit/",
        {"membership": seat.pk, "kind": "session", "occurred_on": today.isoformat(), "description": "开会"},
        content_type="application/json",
    )
    assert reserved.status_code == 400
    assert "kind" in reserved.json()["fields"]
    with pytest.raises(ApplicationError, match="不能自主登记"):
        submit(deputy_user, seat, today, kind=DutyKind.ABSENCE)
    with pytest.raises(ApplicationError, match="请填写履职内容。"):
        submit(deputy_user, seat, today, description=" ")
    # Staff register nothing in a deputy's name through the deputy's door.
    staff = UserFactory(username="staff_x", role=User.Role.STAFF, region=seat.congress.region)
    client.force_login(staff)
    assert client.get(reverse("deputies:duty_register")).status_code == 404
    with pytest.raises(ApplicationError, match="仅限人大代表。"):
        submit(staff, seat, today)
    assert DutyRecord.objects.count() == 0


def test_api_submit_return_resubmit_approve(client, deputy_user, seat, staff_zz, today):
    client.force_login(deputy_user)
    response = client.post(
        "/api/v1/duty-records/submit/",
        {
            "membership": seat.pk,
            "kind": "inspection",
            "occurred_on": today.isoformat(),
            "description": "调研农村饮水",
            "attachment": SimpleUploadedFile("签到.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (
        body["status"],
        body["status_display"],
        body["self_registered"],
        body["points"],
        body["has_attachment"],
    ) == (
        "submitted",
        "待审核",
        True,
        "0.00",
        True,
    )
    pk = body["id"]
    listed = client.get("/api/v1/duty-records/").json()
    assert [row["id"] for row in listed["results"]] == [pk]

    client.force_login(staff_zz)
    returned = client.post(
        f"/api/v1/duty-records/{pk}/return/", {"reason": "日期有误"}, content_type="application/json"
    )
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["return_reason"]) == ("returned", "日期有误")
    empty = client.post(f"/api/v1/duty-records/{pk}/return/", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 400

    client.force_login(deputy_user)
    again = client.post(
        f"/api/v1/duty-records/{pk}/resubmit/",
        {"kind": "inspection", "occurred_on": today.isoformat(), "description": "调研农村饮水（日期已改）"},
        content_type="application/json",
    )
    assert again.status_code == 200
    assert again.json()["status"] == "submitted"

    client.force_login(staff_zz)
    approved = client.post(f"/api/v1/duty-records/{pk}/approve/", {"public": False}, content_type="application/json")
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["is_public"], approved.json()["points"]) == (
        "approved",
        False,
        "4.00",
    )
    twice = client.post(f"/api/v1/duty-records/{pk}/approve/", {}, content_type="application/json")
    assert twice.status_code == 409
    assert year_points(staff_zz, seat, today.year) == Decimal("4")


def test_the_schema_lists_the_review_endpoints(client, staff_zz):
    client.force_login(staff_zz)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/duty-records/submit/",
        "/api/v1/duty-records/{id}/resubmit/",
        "/api/v1/duty-records/{id}/approve/",
        "/api/v1/duty-records/{id}/return/",
    ):
        assert "post" in paths[path], path


def test_staff_entered_and_generated_records_stay_approved(staff_zz, seat, today):
    entered = services.duty_record_create(actor=staff_zz, membership=seat, kind=DutyKind.INSPECTION, occurred_on=today)
    (generated,) = services.duty_record_add_from_source(
        deputy=seat.deputy, kind=DutyKind.PROPOSAL, occurred_on=today, source_key="proposal:1"
    )
    for record in (entered, generated):
        record.refresh_from_db()
        assert (record.status, record.self_registered, record.is_public) == (DutyRecord.Status.APPROVED, False, True)
    assert year_points(staff_zz, seat, today.year) == Decimal("4")
    # Only a deputy's own registration goes through review: staff records are not in the queue.
    assert list(selectors.review_queue(user=staff_zz)) == []


def test_staff_hide_an_approved_record_from_the_public_file_and_it_still_counts(deputy_user, seat, staff_zz, today):
    record = submit(deputy_user, seat, today)
    services.duty_record_approve(actor=staff_zz, record=record, public=True)
    services.duty_record_set_public(actor=staff_zz, record=record, public=False)
    record.refresh_from_db()
    assert record.is_public is False
    assert AuditLog.objects.get(action="duty_record.set_public", object_id=str(record.pk)).data == {"public": False}
    assert year_points(staff_zz, seat, today.year) == Decimal("4")


@pytest.mark.parametrize("rows", [3, 30])
def test_review_queue_runs_a_constant_number_of_queries(
    client, staff_zz, congresses, today, rows, django_assert_max_num_queries
):
    for n in range(rows):
        user = UserFactory(username=f"deputy_q{n}", role=User.Role.DEPUTY)
        member = MembershipFactory(congress=congresses["zz"], deputy__user=user)
        services.duty_record_submit(
            actor=user, membership=member, kind=DutyKind.TRAINING, occurred_on=today, description=f"培训 {n}"
        )
    client.force_login(staff_zz)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("deputies:duty_review_queue"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/deputies/duty-records/') >= rows


@pytest.mark.parametrize("rows", [2, 25])
def test_my_registrations_run_a_constant_number_of_queries(
    client, deputy_user, seat, today, rows, django_assert_max_num_queries
):
    for n in range(rows):
        submit(deputy_user, seat, today, description=f"走访 {n}")
    client.force_login(deputy_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("deputies:my_duties"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="my-duty"') == min(rows, 20)


def test_the_staff_workbench_counts_registrations_waiting_for_review(
    client, deputy_user, seat, staff_zz, staff_hy, today
):
    from liaison.workbench import collect_cards

    submit(deputy_user, seat, today)
    returned = submit(deputy_user, seat, today, description="另一条")
    services.duty_record_return(actor=staff_zz, record=returned, reason="重复")
    card = next(c for c in collect_cards(staff_zz) if c.title == "待审核的履职登记")
    assert (card.count, card.url) == (1, reverse("deputies:duty_review_queue"))
    assert card.is_urgent
    assert next(c for c in collect_cards(staff_hy) if c.title == "待审核的履职登记").count == 0
    records = next(c for c in collect_cards(staff_zz) if c.title == "履职记录")
    assert records.count == 2


def test_the_two_duty_record_cards_share_one_cached_statement(
    deputy_user, seat, staff_zz, today, settings, django_assert_num_queries
):
    from liaison.workbench import counts_of

    settings.WORKBENCH_COUNT_SECONDS = 60
    submit(deputy_user, seat, today)
    waiting = {"total": None, "waiting": Q(self_registered=True, status=DutyRecord.Status.SUBMITTED)}
    with django_assert_num_queries(1):
        assert counts_of(DutyRecord.objects.visible_to(staff_zz), **waiting) == {"total": 1, "waiting": 1}
    with django_assert_num_queries(0):  # kept in the cache for the next visit
        assert counts_of(DutyRecord.objects.visible_to(staff_zz), **waiting) == {"total": 1, "waiting": 1}
    with django_assert_num_queries(1):  # another filter is another key
        assert counts_of(DutyRecord.objects.visible_to(staff_zz), total=None) == {"total": 1}


def test_admin_actions_approve_and_hide_through_the_services(client, deputy_user, seat, staff_zz, today):
    record = submit(deputy_user, seat, today)
    client.force_login(staff_zz)
    url = reverse("admin:deputies_dutyrecord_changelist")
    response = client.post(url, {"action": "approve_private", "_selected_action": [record.pk]})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.is_public) == (DutyRecord.Status.APPROVED, False)
    assert AuditLog.objects.filter(action="duty_record.approve", object_id=str(record.pk), actor=staff_zz).exists()
    client.post(url, {"action": "publish", "_selected_action": [record.pk]})
    record.refresh_from_db()
    assert record.is_public is True
    page = client.get(url).content.decode()
    assert "状态流转表" in page and "待审核" in page
