"""Inbound work orders (idempotent push) and the hotline's status callbacks for outbound orders."""

import json
import threading

import pytest
from django.db import connection

from hotline import auth, services
from hotline.models import HotlineWorkOrder, IdempotencyRecord
from liaison.notifications.models import Notification
from stations.models import Opinion, OpinionStatusChange
from tests.hotline.conftest import push_payload
from tests.stations.factories import OpinionFactory

PUSH = "/api/v1/hotline/work-orders/"

pytestmark = pytest.mark.django_db


def test_push_creates_an_inbound_order_and_a_hotline_opinion(signed, station, category, hotline):
    response = signed.post(PUSH, push_payload(), headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 201
    body = response.json()
    order = HotlineWorkOrder.objects.get()
    assert body["id"] == order.pk
    assert body["hotline_id"] == "ZZ12345-0001"
    assert body["direction"] == "inbound" and body["status"] == "accepted"
    opinion = order.opinion
    assert body["tracking_code"] == opinion.tracking_code
    assert (opinion.source, opinion.external_id, opinion.station, opinion.mobile) == (
        Opinion.Source.HOTLINE,
        "ZZ12345-0001",
        station,
        "13812345678",
    )
    assert opinion.content.startswith("路灯不亮\n嵩山路")
    assert order.client == hotline
    assert order.payload["attachments"] == ["https://files.example.cn/a.jpg"]
    assert order.deadline.isoformat() == "2024-04-01T10:00:00+00:00"


def test_retry_with_same_key_and_body_returns_the_first_response_byte_for_byte(signed, station, category):
    first = signed.post(PUSH, push_payload(), headers={"Idempotency-Key": "k-1"})
    again = signed.post(PUSH, push_payload(), headers={"Idempotency-Key": "k-1"})
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Idempotent-Replayed"] == "true"
    assert HotlineWorkOrder.objects.count() == 1 and Opinion.objects.count() == 1


def test_same_key_with_another_body_is_refused_422(signed, station, category):
    signed.post(PUSH, push_payload(), headers={"Idempotency-Key": "k-1"})
    response = signed.post(
        PUSH, push_payload(content="另一件事情，完全不同的内容。"), headers={"Idempotency-Key": "k-1"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert HotlineWorkOrder.objects.count() == 1


def test_a_refused_push_is_refused_the_same_way_on_retry(signed, station, category):
    signed.post(PUSH, push_payload(), headers={"Idempotency-Key": "k-1"})
    first = signed.post(PUSH, push_payload(), headers={"Idempotency-Key": "k-2"})
    assert first.status_code == 409 and first.json()["code"] == "duplicate_work_order"
    again = signed.post(PUSH, push_payload(), headers={"Idempotency-Key": "k-2"})
    assert (again.status_code, again.content) == (409, first.content)


def test_push_without_idempotency_key_is_refused(signed, station, category):
    response = signed.post(PUSH, push_payload())
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"surprise": 1}, "surprise"),
        ({"content": "短"}, "content"),
        ({"content": "长" * 1801}, "content"),
        ({"hotline_id": "有空格 的编号"}, "hotline_id"),
        ({"location": {"lat": 91, "long": 0}}, "location"),
        ({"location": {"address": "x", "floor": 3}}, "location"),
        ({"citizen": {"mobile": "12345"}}, "citizen"),
        ({"attachments": ["ftp://x.cn/a.jpg"]}, "attachments"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"station": "one"}, "station"),
    ],
)
def test_strict_payload_parsing_refuses_bad_fields(signed, station, category, change, field):
    response = signed.post(PUSH, push_payload(**change), headers={"Idempotency-Key": "k-x"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert not IdempotencyRecord.objects.exists()


def test_push_to_a_station_outside_the_client_region_is_refused(signed, category, regions):
    from tests.stations.factories import StationFactory

    other = StationFactory(region=regions["hengnan"])
    response = signed.post(PUSH, push_payload(station=other.pk), headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_station"


def test_masked_mobile_is_kept_masked_and_never_texted(signed, station, category):
    payload = push_payload(citizen={"name": "王芳", "mobile": "138****5678"})
    assert signed.post(PUSH, payload, headers={"Idempotency-Key": "k-1"}).status_code == 201
    order = HotlineWorkOrder.objects.get()
    assert order.opinion.mobile == ""
    assert order.payload["masked_mobile"] == "138****5678"


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_pushes_with_one_key_create_one_order(live_server, registered, station, category):
    import urllib.request

    _client, key = registered
    body = json.dumps(push_payload(), ensure_ascii=False).encode()
    results = []
    barrier = threading.Barrier(10)

    def push():
        headers = auth.signed_headers(key=key, method="POST", path=PUSH, body=body)
        headers.update({"Content-Type": "application/json", "Idempotency-Key": "same-key"})
        request = urllib.request.Request(f"{live_server.url}{PUSH}", data=body, headers=headers, method="POST")
        barrier.wait()
        with urllib.request.urlopen(request, timeout=30) as response:
            results.append((response.status, response.read()))

    threads = [threading.Thread(target=push) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 10
    assert {status for status, _ in results} == {201}
    assert len({body for _, body in results}) == 1
    assert HotlineWorkOrder.objects.count() == 1
    assert Opinion.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    connection.close()


# ---------------------------------------------------------------- callbacks


@pytest.fixture
def forwarded(station, deputy_user, manager, hotline):
    opinion = OpinionFactory(station=station, deputy=deputy_user.deputy, mobile="13912345678")
    services.opinion_forward_to_hotline(actor=manager, opinion=opinion)
    order = HotlineWorkOrder.objects.get(opinion=opinion)
    order.client = hotline
    order.status = HotlineWorkOrder.Status.SENT
    order.save()
    return order


def status_url(order):
    return f"/api/v1/hotline/work-orders/{order.pk}/status"


def test_accepted_keeps_the_opinion_forwarded_and_tells_the_deputy(signed, forwarded, deputy_user):
    response = signed.post(status_url(forwarded), {"status": "accepted", "hotline_id": "ZZ-9"})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    forwarded.refresh_from_db()
    assert forwarded.external_id == "ZZ-9"
    assert forwarded.opinion.status == Opinion.Status.HOTLINE
    notification = Notification.objects.get(recipient=deputy_user)
    assert notification.title.startswith("12345 工单已受理")


def test_closed_with_result_closes_the_opinion_and_texts_the_citizen(
    signed, forwarded, sms_outbox, deputy_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed.post(status_url(forwarded), {"status": "closed", "result": "路灯已于 3 月 20 日修复。"})
    assert response.status_code == 200
    opinion = Opinion.objects.get(pk=forwarded.opinion_id)
    assert opinion.status == Opinion.Status.HANDLED
    assert opinion.outcome_note == "12345 热线办理结果：路灯已于 3 月 20 日修复。"
    change = OpinionStatusChange.objects.filter(opinion=opinion).last()
    assert (change.from_status, change.to_status, change.notified_at is not None) == ("hotline", "handled", True)
    assert sms_outbox[-1]["mobile"] == "13912345678"
    assert "路灯已于 3 月 20 日修复" in sms_outbox[-1]["text"]
    assert Notification.objects.filter(recipient=deputy_user, body__contains="路灯已于").exists()


def test_closed_as_unfeasible_maps_to_cannot_be_done(signed, forwarded):
    response = signed.post(status_url(forwarded), {"status": "closed", "result": "不属实", "resolution": "unfeasible"})
    assert response.status_code == 200
    assert Opinion.objects.get(pk=forwarded.opinion_id).status == Opinion.Status.UNFEASIBLE


def test_closed_without_result_is_refused(signed, forwarded):
    response = signed.post(status_url(forwarded), {"status": "closed"})
    assert response.status_code == 400
    assert response.json()["code"] == "result_required"


def test_a_status_going_backwards_is_refused_409(signed, forwarded):
    signed.post(status_url(forwarded), {"status": "closed", "result": "已修复"})
    response = signed.post(status_url(forwarded), {"status": "accepted"})
    assert response.status_code == 409
    assert response.json()["code"] == "status_backwards"
    assert response.json()["extra"] == {"current": "closed", "requested": "accepted"}


def test_an_unknown_or_foreign_work_order_is_404(signed, forwarded, regions, staff_hy):
    assert signed.post("/api/v1/hotline/work-orders/999999/status", {"status": "accepted"}).status_code == 404
    _other, other_key = services.api_client_register(actor=staff_hy, name="衡阳 12345", region=regions["hengyang"])
    response = signed.post(status_url(forwarded), {"status": "accepted"}, key=other_key)
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_work_order"


def test_a_retried_callback_with_its_idempotency_key_is_answered_the_same(signed, forwarded):
    payload = {"status": "closed", "result": "已修复"}
    first = signed.post(status_url(forwarded), payload, headers={"Idempotency-Key": "cb-1"})
    again = signed.post(status_url(forwarded), payload, headers={"Idempotency-Key": "cb-1"})
    assert first.status_code == 200 and again.content == first.content


def test_work_order_can_be_read_by_its_client_only(signed, forwarded):
    response = signed.get(f"/api/v1/hotline/work-orders/{forwarded.pk}/")
    assert response.status_code == 200
    assert response.json()["tracking_code"] == forwarded.opinion.tracking_code
    assert "mobile" not in response.json()
