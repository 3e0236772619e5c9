"""Scoping (a manager of A never sees B's opinions), masking everywhere, the audited call-back screen, QR output."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from liaison.models import AuditLog
from stations import services
from stations.models import Opinion
from tests.security.helpers import password_just_entered
from tests.stations.conftest import CITIZEN_MOBILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinion_a(station_a, category):
    return services.opinion_submit_public(
        station=station_a, category=category, content="小区门口路灯坏了三个月", mobile=CITIZEN_MOBILE, ip="10.0.0.1"
    )[0]


@pytest.fixture
def opinion_b(station_b, category):
    return services.opinion_submit_public(
        station=station_b, category=category, content="村里自来水发黄需要检测", mobile="13987654321", ip="10.0.0.2"
    )[0]


def test_manager_of_a_gets_404_for_bs_opinion_on_page_and_api(client, manager_a, opinion_a, opinion_b):
    client.force_login(manager_a)
    assert client.get(reverse("stations:opinion_detail", args=[opinion_a.pk])).status_code == 200
    assert client.get(reverse("stations:opinion_detail", args=[opinion_b.pk])).status_code == 404
    assert client.get(f"/api/v1/opinions/{opinion_b.pk}/").status_code == 404
    response = client.post(f"/api/v1/opinions/{opinion_b.pk}/triage/", {"outcome": "handled", "note": "越权"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    listed = client.get("/api/v1/opinions/").json()["results"]
    assert [o["tracking_code"] for o in listed] == [opinion_a.tracking_code]
    assert AuditLog.objects.filter(actor=manager_a, action="access.denied").count() >= 2
    opinion_b.refresh_from_db()
    assert opinion_b.status == Opinion.Status.UNTRIAGED


def test_staff_see_their_region_subtree_only(client, staff_zz, staff_hy, opinion_a, opinion_b):
    client.force_login(staff_zz)
    assert [o["id"] for o in client.get("/api/v1/opinions/").json()["results"]] == [opinion_a.pk]
    client.force_login(staff_hy)
    assert [o["id"] for o in client.get("/api/v1/opinions/").json()["results"]] == [opinion_b.pk]


def test_deputy_sees_opinions_of_their_stations_and_addressed_to_them(
    client, deputy_user, deputy, opinion_a, opinion_b, category
):
    addressed = services.opinion_submit_public(
        deputy=deputy, category=category, content="请代表关注学校门口交通", mobile="13700001234", ip="10.0.0.3"
    )[0]
    client.force_login(deputy_user)
    ids = {o["id"] for o in client.get("/api/v1/opinions/").json()["results"]}
    assert ids == {opinion_a.pk, addressed.pk}


def test_unit_user_sees_no_opinions(client, unit_zz, opinion_a):
    client.force_login(unit_zz)
    assert client.get("/api/v1/opinions/").json()["results"] == []
    assert client.get(reverse("stations:opinion_detail", args=[opinion_a.pk])).status_code == 404


def test_full_mobile_never_appears_in_lists_exports_or_api(client, staff_zz, manager_a, opinion_a):
    for user in (staff_zz, manager_a):
        client.force_login(user)
        password_just_entered(client)
        for url in (
            reverse("stations:opinion_list"),
            reverse("stations:opinion_export"),
            reverse("stations:opinion_detail", args=[opinion_a.pk]),
            "/api/v1/opinions/",
            f"/api/v1/opinions/{opinion_a.pk}/",
        ):
            response = client.get(url)
            body = response.content.decode()
            assert response.status_code == 200, url
            assert CITIZEN_MOBILE not in body, url
            assert "138****5678" in body, url


def test_admin_list_and_export_mask_the_mobile(admin_client, opinion_a):
    response = admin_client.get(reverse("admin:stations_opinion_changelist"))
    assert response.status_code == 200
    assert CITIZEN_MOBILE not in response.text
    assert "138****5678" in response.text
    from stations.resources import OpinionResource

    exported = OpinionResource().export().csv
    assert CITIZEN_MOBILE not in exported
    assert "138****5678" in exported


def test_call_back_screen_shows_the_whole_number_once_and_audits_it(client, manager_a, opinion_a):
    client.force_login(manager_a)
    response = client.post(reverse("stations:opinion_call_back", args=[opinion_a.pk]))
    assert response.status_code == 200
    assert CITIZEN_MOBILE in response.text
    log = AuditLog.objects.get(action="opinion.view_mobile")
    assert log.actor == manager_a
    assert log.object_id == str(opinion_a.pk)
    assert client.get(reverse("stations:opinion_call_back", args=[opinion_a.pk])).status_code == 405


def test_call_back_screen_is_refused_outside_scope(client, manager_b, opinion_a):
    client.force_login(manager_b)
    response = client.post(reverse("stations:opinion_call_back", args=[opinion_a.pk]))
    assert response.status_code == 404
    assert not AuditLog.objects.filter(action="opinion.view_mobile").exists()


def test_triage_through_the_api_writes_the_outcome(client, manager_a, opinion_a):
    client.force_login(manager_a)
    response = client.post(f"/api/v1/opinions/{opinion_a.pk}/triage/", {"outcome": "handled", "note": "已更换路灯"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "handled"
    assert body["mobile"] == "138****5678"
    again = client.post(f"/api/v1/opinions/{opinion_a.pk}/triage/", {"outcome": "unfeasible", "note": "x"})
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_triage_through_the_api_refuses_a_missing_note(client, manager_a, opinion_a):
    client.force_login(manager_a)
    response = client.post(f"/api/v1/opinions/{opinion_a.pk}/triage/", {"outcome": "handled"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "note_required",
        "message": "请写明处理情况。",
        "fields": {"note": ["请写明处理情况。"]},
    }


def test_triage_page_marks_handled(client, manager_a, opinion_a, sms_outbox, django_capture_on_commit_callbacks):
    client.force_login(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stations:opinion_detail", args=[opinion_a.pk]), {"outcome": "handled", "note": "已更换路灯"}
        )
    assert response.status_code == 302
    opinion_a.refresh_from_db()
    assert opinion_a.status == "handled"
    assert len(sms_outbox) == 1


def test_public_directory_and_station_api_need_no_login_and_show_no_phone(client, station_a, deputy, station_b):
    response = client.get("/api/v1/public/stations/", {"region": "430211"})
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["results"]] == ["嵩山路街道代表联络站"]
    detail = client.get(f"/api/v1/public/stations/{station_a.pk}/")
    assert detail.status_code == 200
    assert detail.json()["deputies"] == [
        {"id": deputy.pk, "name": "张建国", "occupation": deputy.occupation, "workplace": deputy.workplace}
    ]
    page = client.get(reverse("stations:public_station", args=[station_a.pk]))
    assert page.status_code == 200
    assert "张建国" in page.text
    assert deputy.mobile not in page.text and deputy.mobile not in detail.text
    directory = client.get(reverse("stations:directory"), {"q": "云集"})
    assert "云集街道代表联络站" in directory.text and "嵩山路街道代表联络站" not in directory.text
    by_kind = client.get(reverse("stations:directory"), {"kind": "cloud"})
    assert "暂无记录" in by_kind.text


def test_station_page_lists_the_next_reception_days(client, station_a, manager_a, deputy):
    import datetime

    from django.utils import timezone

    services.reception_day_schedule(
        actor=manager_a,
        station=station_a,
        date=timezone.localdate() + datetime.timedelta(days=7),
        deputies_on_duty=[deputy],
        topic="集中进站履职",
    )
    response = client.get(reverse("stations:public_station", args=[station_a.pk]))
    assert "集中进站履职" in response.text


def test_scoped_station_api_requires_login(client, station_a):
    assert client.get("/api/v1/stations/").status_code == 403


def test_schema_lists_the_stations_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/public/stations/",
        "/api/v1/stations/",
        "/api/v1/opinions/",
        "/api/v1/opinions/{id}/triage/",
        "/api/v1/reception-days/",
        "/api/v1/reception-days/{id}/log/",
        "/api/v1/opinion-categories/",
    ):
        assert path in schema


def test_poster_pdf_carries_the_station_name_as_text(client, staff_zz, station_a, deputy):
    client.force_login(staff_zz)
    response = client.get(reverse("stations:station_poster", args=[station_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "嵩山路街道代表联络站" in text
    assert "张建国" in text


def test_qr_codes_as_png_and_svg(client, manager_a, station_a):
    client.force_login(manager_a)
    png = client.get(reverse("stations:station_qr", args=[station_a.pk, "png"]))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    svg = client.get(reverse("stations:station_qr", args=[station_a.pk, "svg"]))
    assert svg.status_code == 200 and b"<svg" in svg.content


def test_poster_of_another_station_is_404(client, manager_b, station_a):
    client.force_login(manager_b)
    assert client.get(reverse("stations:station_poster", args=[station_a.pk])).status_code == 404


def test_deputy_downloads_their_own_qr(client, deputy_user, deputy):
    client.force_login(deputy_user)
    response = client.get(reverse("stations:deputy_qr", args=[deputy.pk, "pdf"]))
    assert response.status_code == 200
    assert "张建国" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
