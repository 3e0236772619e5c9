"""Outbound work orders: a fake hotline on 127.0.0.1 that fails twice then succeeds, the retry logic, failure after
the last retry, the staff resend, the deputies' 代表专线, and the refusals of unsafe endpoint URLs (SSRF)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hotline import auth, net, services
from hotline.models import HotlineWorkOrder, HotlineWorkOrderStatusChange
from hotline.tasks import send_work_order
from liaison.errors import ApplicationError
from tests.stations.factories import OpinionFactory

pytestmark = pytest.mark.django_db


class FakeHotline:
    """A hotline endpoint answering from a script of statuses, recording and verifying each signed request."""

    def __init__(self, script, key_hash):
        self.script = list(script)
        self.received = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = auth.sign(
                    key_hash,
                    "POST",
                    self.path,
                    self.headers[auth.TIMESTAMP_HEADER],
                    self.headers[auth.NONCE_HEADER],
                    body,
                )
                fake.received.append(
                    {
                        "body": json.loads(body),
                        "signature_ok": expected == self.headers[auth.SIGNATURE_HEADER],
                        "idempotency_key": self.headers["Idempotency-Key"],
                    }
                )
                status = fake.script.pop(0) if fake.script else 200
                answer = json.dumps({"work_order_id": "ZZ-2024-0001"} if status == 200 else {"error": "busy"})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/12345/orders?src=portal"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def private_urls_allowed(settings):
    settings.HOTLINE_ALLOW_PRIVATE_URLS = True
    settings.HOTLINE_REQUIRE_HTTPS = False


@pytest.fixture
def fake_hotline(hotline, private_urls_allowed, staff_zz, request):
    script = getattr(request, "param", [503, 500, 200])
    fake = FakeHotline(script, hotline.key_hash)
    services.api_client_update(
        actor=staff_zz, client=hotline, endpoint_url=fake.url, ip_allowlist="", throttle_rate="120/min"
    )
    yield fake
    fake.close()


@pytest.fixture
def pending_order(station, manager):
    """A 转12345 opinion; its on-commit send is not run, so the test drives the task itself."""
    opinion = OpinionFactory(station=station, mobile="13912345678")
    services.opinion_forward_to_hotline(actor=manager, opinion=opinion)
    return HotlineWorkOrder.objects.get(opinion=opinion)


def test_send_retries_twice_then_stores_the_hotline_id(fake_hotline, pending_order, hotline):
    # Eager mode runs Celery's own retry path: self.retry() re-applies the task with retries + 1 (countdown is not
    # waited for in eager mode; HOTLINE_SEND_BACKOFF_SECONDS is 0 here anyway).
    result = send_work_order.apply(args=[pending_order.pk])
    assert result.get() == "sent"
    order = HotlineWorkOrder.objects.get(pk=pending_order.pk)
    assert (order.status, order.external_id, order.attempts, order.client) == ("sent", "ZZ-2024-0001", 3, hotline)
    assert order.sent_at is not None and order.last_error == ""
    assert len(fake_hotline.received) == 3
    assert all(r["signature_ok"] for r in fake_hotline.received)
    assert {r["idempotency_key"] for r in fake_hotline.received} == {f"work-order-{order.pk}"}
    sent = fake_hotline.received[-1]["body"]
    assert sent["portal_id"] == order.pk and sent["mobile"] == "13912345678" and sent["kind"] == "opinion"
    assert sent["callback_url"] == f"/api/v1/hotline/work-orders/{order.pk}/status"


@pytest.mark.parametrize("fake_hotline", [[503] * 10], indirect=True)
def test_after_the_last_retry_the_order_is_failed_and_staff_can_resend(
    fake_hotline, pending_order, settings, staff_zz, django_capture_on_commit_callbacks
):
    settings.HOTLINE_SEND_MAX_RETRIES = 2
    assert send_work_order.apply(args=[pending_order.pk]).get() == "failed"
    order = HotlineWorkOrder.objects.get(pk=pending_order.pk)
    assert (order.status, order.attempts) == ("failed", 3)
    assert order.last_error.startswith("HTTP 503")
    fake_hotline.script = []  # the hotline is back
    with django_capture_on_commit_callbacks(execute=True):
        services.work_order_resend(actor=staff_zz, order=order)
    order.refresh_from_db()
    assert (order.status, order.external_id) == ("sent", "ZZ-2024-0001")
    steps = list(HotlineWorkOrderStatusChange.objects.filter(order=order).values_list("from_status", "to_status"))
    assert steps == [("pending", "failed"), ("failed", "pending"), ("pending", "sent")]


@pytest.mark.parametrize("fake_hotline", [[400]], indirect=True)
def test_a_4xx_answer_fails_at_once_without_retrying(fake_hotline, pending_order):
    assert send_work_order.apply(args=[pending_order.pk]).get() == "failed"
    assert len(fake_hotline.received) == 1


def test_resend_is_refused_unless_failed_and_outside_the_region(pending_order, staff_hy, staff_zz):
    from liaison.errors import InvalidTransition, PermissionDenied

    with pytest.raises(InvalidTransition):
        services.work_order_resend(actor=staff_zz, order=pending_order)
    with pytest.raises(PermissionDenied):
        services.work_order_resend(actor=staff_hy, order=pending_order)


def test_without_a_configured_client_the_order_stays_pending(pending_order):
    assert send_work_order.apply(args=[pending_order.pk]).get() == "no_client"
    pending_order.refresh_from_db()
    assert pending_order.status == "pending"
    assert pending_order.last_error == "没有配置接收该区域工单的热线系统。"


def test_a_sent_order_is_not_sent_twice(fake_hotline, pending_order):
    send_work_order.apply(args=[pending_order.pk])
    assert send_work_order.apply(args=[pending_order.pk]).get() == "skipped"
    assert len(fake_hotline.received) == 3


def test_deputy_line_item_is_sent_with_the_deputy(
    fake_hotline, deputy_user, category, django_capture_on_commit_callbacks
):
    fake_hotline.script = []
    with django_capture_on_commit_callbacks(execute=True):
        order = services.deputy_line_create(
            actor=deputy_user, title="桥下积水", content="雨后桥洞积水半米，车辆无法通行。", category=category
        )
    order.refresh_from_db()
    assert (order.status, order.deputy, order.opinion) == ("sent", deputy_user.deputy, None)
    assert fake_hotline.received[0]["body"]["kind"] == "deputy_line"
    assert fake_hotline.received[0]["body"]["deputy"] == "张建国"


def test_deputy_line_page_creates_an_order(client, deputy_user, category, station):
    client.force_login(deputy_user)
    page = client.get("/stations/hotline/")
    assert page.status_code == 200
    assert "代表专线" in page.content.decode()
    response = client.post(
        "/stations/hotline/",
        {"title": "桥下积水", "category": category.pk, "content": "雨后桥洞积水半米，车辆无法通行。", "mobile": ""},
    )
    assert response.status_code == 302
    order = HotlineWorkOrder.objects.get()
    assert order.deputy == deputy_user.deputy and order.payload["title"] == "桥下积水"


def test_deputy_line_page_is_for_deputies_only(client, manager):
    client.force_login(manager)
    assert client.get("/stations/hotline/").status_code == 403


# ---------------------------------------------------------------- SSRF


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://8.8.8.8/orders", "url_scheme"),
        ("ftp://8.8.8.8/orders", "url_scheme"),
        ("https://user:pw@8.8.8.8/orders", "url_credentials"),
        ("https://127.0.0.1/orders", "url_not_public"),
        ("https://localhost/orders", "url_not_public"),
        ("https://[::1]/orders", "url_not_public"),
        ("https://169.254.169.254/latest/meta-data", "url_not_public"),
        ("https://10.0.0.5/orders", "url_not_public"),
        ("https://192.168.1.1/orders", "url_not_public"),
        ("https://172.16.0.1/orders", "url_not_public"),
        ("https://224.0.0.1/orders", "url_not_public"),
        ("https://0.0.0.0/orders", "url_not_public"),
        ("https://[::ffff:127.0.0.1]/orders", "url_not_public"),
        ("https://2130706433/orders", "url_not_public"),
        ("https://no-such-host.invalid/orders", "url_unresolvable"),
    ],
)
def test_unsafe_endpoint_urls_are_refused(url, code):
    with pytest.raises(net.UnsafeUrl) as refused:
        net.check_url(url)
    assert refused.value.code == code


def test_a_public_https_address_passes_the_check():
    checked = net.check_url("https://8.8.8.8:8443/orders?x=1")
    assert (checked.address, checked.port, checked.path) == ("8.8.8.8", 8443, "/orders?x=1")


def test_registering_a_client_with_an_internal_url_is_refused(regions, staff_zz):
    with pytest.raises(ApplicationError) as refused:
        services.api_client_register(
            actor=staff_zz, name="x", region=regions["zhuzhou"], endpoint_url="https://127.0.0.1/x"
        )
    assert refused.value.code == "url_not_public"


def test_an_internal_url_set_behind_the_checks_back_fails_without_a_request(pending_order, hotline):
    type(hotline).objects.filter(pk=hotline.pk).update(endpoint_url="https://127.0.0.1:9/orders")
    assert send_work_order.apply(args=[pending_order.pk]).get() == "failed"
    pending_order.refresh_from_db()
    assert pending_order.status == "failed"
    assert "127.0.0.1" in pending_order.last_error
