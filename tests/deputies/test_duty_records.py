"""Duty records entered by staff (page, admin, API), attachments, point rules, ranking and termination."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.models import DutyKind, DutyRecord, Membership, PointRule
from liaison.models import AuditLog, User
from tests.deputies.conftest import read_xlsx
from tests.factories import DutyRecordFactory, MembershipFactory, UserFactory

PDF = b"%PDF-1.4\n%test\n"
TODAY = datetime.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def seat(congresses):
    return MembershipFactory(congress=congresses["zz"], deputy__code="ZZ16-001", deputy__name="张建国")


def test_staff_enters_a_record_with_an_attachment_on_the_page(client, staff_zz, seat):
    client.force_login(staff_zz)
    response = client.post(
        reverse("deputies:duty_record_new"),
        {
            "congress": seat.congress_id,
            "deputy_code": "ZZ16-001",
            "kind": DutyKind.STATION_RECEPTION,
            "occurred_on": "2024-05-10",
            "place": "嵩山路街道联络站",
            "description": "接待群众 12 人次",
            "attachment": SimpleUploadedFile("签到表.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    record = DutyRecord.objects.get()
    assert (record.membership, record.kind, record.entered_by) == (seat, DutyKind.STATION_RECEPTION, staff_zz)
    assert record.attachment.name.endswith(".pdf")
    assert AuditLog.objects.filter(action="duty_record.create", object_id=str(record.pk)).exists()
    download = client.get(reverse("deputies:duty_record_attachment", args=[record.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "“病毒.exe”的文件类型不允许，只能上传 PDF、JPG、PNG、Word、Excel 文件。"),
        ("伪装.pdf", b"MZ\x90\x00", "“伪装.pdf”的内容与文件类型不符（可能是伪装的程序或网页），已拒绝。"),
        ("太大.pdf", PDF + b"0" * (10 * 1024 * 1024), "附件不能超过 10 MB。"),
    ],
)
def test_page_refuses_bad_attachments(client, staff_zz, seat, name, content, message):
    client.force_login(staff_zz)
    response = client.post(
        reverse("deputies:duty_record_new"),
        {
            "congress": seat.congress_id,
            "deputy_code": "ZZ16-001",
            "kind": DutyKind.INSPECTION,
            "occurred_on": "2024-05-10",
            "attachment": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert DutyRecord.objects.count() == 0


def test_staff_cannot_enter_a_record_for_another_citys_deputy(client, staff_zz, congresses):
    hy = MembershipFactory(congress=congresses["hy"], deputy__code="HY16-001")
    client.force_login(staff_zz)
    response = client.post(
        reverse("deputies:duty_record_new"),
        {
            "congress": hy.congress_id,
            "deputy_code": "HY16-001",
            "kind": DutyKind.INSPECTION,
            "occurred_on": "2024-05-10",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    api = client.post(
        "/api/v1/duty-records/",
        {"membership": hy.pk, "kind": DutyKind.INSPECTION, "occurred_on": "2024-05-10"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    with pytest.raises(services.ApplicationError):
        services.duty_record_create(actor=staff_zz, membership=hy, kind=DutyKind.INSPECTION, occurred_on=TODAY)
    assert DutyRecord.objects.count() == 0


def test_api_staff_creates_a_record_and_gets_it_back_with_points(client, staff_zz, seat):
    services.point_rule_set(
        actor=staff_zz, congress=seat.congress, kind=DutyKind.INSPECTION, points=4, valid_from=datetime.date(2024, 1, 1)
    )
    client.force_login(staff_zz)
    response = client.post(
        "/api/v1/duty-records/",
        {"membership": seat.pk, "kind": "inspection", "occurred_on": "2024-05-10", "description": "视察老旧小区"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind_display"], body["points"], body["description"], body["has_attachment"]) == (
        "视察调研",
        "4.00",
        "视察老旧小区",
        False,
    )


def test_api_create_with_multipart_attachment_and_validation_errors(client, staff_zz, seat):
    client.force_login(staff_zz)
    ok = client.post(
        "/api/v1/duty-records/",
        {
            "membership": seat.pk,
            "kind": "training",
            "occurred_on": "2024-05-10",
            "attachment": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    assert ok.status_code == 201
    assert ok.json()["has_attachment"] is True
    bad = client.post(
        "/api/v1/duty-records/",
        {"membership": seat.pk, "kind": "dancing", "occurred_on": "2024-13-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert set(bad.json()["fields"]) == {"kind", "occurred_on"}
    future = client.post(
        "/api/v1/duty-records/",
        {
            "membership": seat.pk,
            "kind": "training",
            "occurred_on": str(timezone.localdate() + datetime.timedelta(days=3)),
        },
        content_type="application/json",
    )
    assert future.status_code == 400
    assert future.json() == {
        "code": "date_in_future",
        "message": "履职日期不能晚于今天。",
        "fields": {"occurred_on": ["日期不能晚于今天。"]},
    }


def test_deputy_cannot_create_records_through_the_api(client, seat):
    user = UserFactory(role=User.Role.DEPUTY)
    seat.deputy.user = user
    seat.deputy.save()
    client.force_login(user)
    response = client.post(
        "/api/v1/duty-records/",
        {"membership": seat.pk, "kind": "training", "occurred_on": "2024-05-10"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_deputy_sees_only_own_records_in_portal_and_api(client, seat, congresses):
    user = UserFactory(role=User.Role.DEPUTY)
    seat.deputy.user = user
    seat.deputy.save()
    year = timezone.localdate().year
    DutyRecordFactory(membership=seat, occurred_on=datetime.date(year, 1, 5), description="我的视察")
    DutyRecordFactory(
        membership__congress=congresses["zz"], occurred_on=datetime.date(year, 1, 5), description="别人的视察"
    )
    client.force_login(user)
    page = client.get(reverse("deputies:portal")).content.decode()
    assert "我的视察" in page and "别人的视察" not in page
    assert [r["description"] for r in client.get("/api/v1/duty-records/").json()["results"]] == ["我的视察"]


def test_admin_add_goes_through_the_service(client, staff_zz, seat):
    client.force_login(staff_zz)
    response = client.post(
        "/admin/deputies/dutyrecord/add/",
        {
            "membership": seat.pk,
            "kind": "training",
            "occurred_on": "2024-05-10",
            "place": "市委党校",
            "description": "履职培训",
        },
    )
    assert response.status_code == 302
    record = DutyRecord.objects.get()
    assert record.entered_by == staff_zz
    assert AuditLog.objects.filter(action="duty_record.create").count() == 1
    bad = client.post(
        "/admin/deputies/dutyrecord/add/",
        {
            "membership": seat.pk,
            "kind": "training",
            "occurred_on": "2024-05-10",
            "attachment": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert bad.status_code == 200
    assert "“x.exe”的文件类型不允许，只能上传 PDF、JPG、PNG、Word、Excel 文件。" in bad.content.decode()


def test_staff_edits_point_rules_in_admin_as_versions(client, staff_zz, staff_hy, congresses):
    client.force_login(staff_zz)
    response = client.post(
        "/admin/deputies/pointrule/add/",
        {
            "congress": congresses["zz"].pk,
            "kind": "inspection",
            "points": "6",
            "valid_from": "2024-07-01",
            "note": "下半年提高",
        },
    )
    assert response.status_code == 302
    rule = PointRule.objects.get()
    assert (rule.points, rule.valid_from) == (Decimal("6.00"), datetime.date(2024, 7, 1))
    assert AuditLog.objects.filter(action="point_rule.set").count() == 1
    change = client.get(f"/admin/deputies/pointrule/{rule.pk}/change/").content.decode()
    assert 'name="valid_from"' not in change  # a version's date is fixed; a new date is a new version
    refused = client.post(
        "/admin/deputies/pointrule/add/",
        {"congress": congresses["hy"].pk, "kind": "inspection", "points": "6", "valid_from": "2024-07-01"},
    )
    assert refused.status_code == 200
    assert PointRule.objects.count() == 1
    client.force_login(staff_hy)
    assert client.get(f"/admin/deputies/pointrule/{rule.pk}/change/").status_code == 302


def test_admin_action_terminates_seats_through_the_service(client, staff_zz, seat):
    client.force_login(staff_zz)
    url = "/admin/deputies/membership/"
    ask = client.post(url, {"action": "terminate", "_selected_action": [seat.pk]})
    assert ask.status_code == 200
    assert "终止代表资格" in ask.content.decode()
    done = client.post(
        url,
        {
            "action": "terminate",
            "_selected_action": [seat.pk],
            "apply": "1",
            "terminated_on": "2024-05-01",
            "reason": "调离",
        },
    )
    assert done.status_code == 302
    seat.refresh_from_db()
    assert (seat.status, seat.terminated_on, seat.termination_reason) == (
        Membership.Status.TERMINATED,
        datetime.date(2024, 5, 1),
        "调离",
    )
    assert AuditLog.objects.filter(action="membership.terminate", object_id=str(seat.pk)).exists()
    client.post(
        url,
        {
            "action": "terminate",
            "_selected_action": [seat.pk],
            "apply": "1",
            "terminated_on": "2024-05-02",
            "reason": "再次",
        },
    )
    seat.refresh_from_db()
    assert seat.terminated_on == datetime.date(2024, 5, 1)


def test_no_records_after_termination_date(staff_zz, seat):
    services.membership_terminate(
        actor=staff_zz, membership=seat, terminated_on=datetime.date(2024, 3, 1), reason="辞职"
    )
    with pytest.raises(services.ApplicationError) as error:
        services.duty_record_create(
            actor=staff_zz, membership=seat, kind=DutyKind.TRAINING, occurred_on=datetime.date(2024, 3, 2)
        )
    assert error.value.code == "membership_terminated"
    earlier = services.duty_record_create(
        actor=staff_zz, membership=seat, kind=DutyKind.TRAINING, occurred_on=datetime.date(2024, 2, 28)
    )
    assert earlier.pk


def test_ranking_page_api_and_xlsx_export_agree(client, staff_zz, congresses):
    congress = congresses["zz"]
    services.point_rule_set(
        actor=staff_zz, congress=congress, kind=DutyKind.INSPECTION, points=4, valid_from=datetime.date(2024, 1, 1)
    )
    first = MembershipFactory(congress=congress, deputy__name="甲", deputy__code="A1")
    second = MembershipFactory(congress=congress, deputy__name="乙", deputy__code="B2")
    DutyRecordFactory(membership=first, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2024, 3, 1))
    DutyRecordFactory(membership=first, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2024, 4, 1))
    DutyRecordFactory(membership=second, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2024, 4, 1))
    DutyRecordFactory(membership=second, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2023, 4, 1))
    client.force_login(staff_zz)

    page = client.get(reverse("deputies:ranking", args=[congress.pk]), {"year": 2024})
    assert [(m.deputy.name, m.total_points, m.rank) for m in page.context["rows"]] == [
        ("甲", Decimal("8.00"), 1),
        ("乙", Decimal("4.00"), 2),
    ]
    api = client.get(f"/api/v1/congresses/{congress.pk}/ranking/", {"year": 2024}).json()
    assert [(r["rank"], r["deputy_code"], r["total_points"]) for r in api["results"]] == [
        (1, "A1", "8.00"),
        (2, "B2", "4.00"),
    ]
    export = client.get(reverse("deputies:ranking_export", args=[congress.pk]), {"year": 2024})
    assert export.status_code == 200
    assert [(r["排名"], r["姓名"], r["积分"]) for r in read_xlsx(export.content)] == [(1, "甲", 8), (2, "乙", 4)]
    assert client.get(f"/api/v1/congresses/{congresses['hy'].pk}/ranking/").status_code == 404
    assert client.get(reverse("deputies:ranking_export", args=[congresses["hy"].pk])).status_code == 404


def test_ranking_index_redirects_to_the_chosen_congress_and_year(client, staff_zz, congresses):
    client.force_login(staff_zz)
    response = client.get(reverse("deputies:ranking_index"), {"congress": congresses["ty"].pk, "year": "2023"})
    assert response.status_code == 302
    assert response["Location"] == f"/deputies/ranking/{congresses['ty'].pk}/?year=2023"


def test_deputy_cannot_read_the_ranking_api(client, seat):
    user = UserFactory(role=User.Role.DEPUTY)
    client.force_login(user)
    assert client.get(f"/api/v1/congresses/{seat.congress_id}/ranking/").status_code == 403
