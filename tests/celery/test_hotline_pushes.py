"""Outbound 12345 pushes survive a worker killed (SIGKILL) in the middle of sending: after a new worker starts
and the beat's sweep (send_pending_work_orders) runs, every work order reaches the hotline and is marked sent
exactly once.

The fake hotline is a loopback HTTP server in the test process that takes a while to answer, so the kill lands
while requests are in flight. A push whose answer was lost with the killed worker is sent again (the order row's
transaction died with the worker, so the order is still pending) with the same ``Idempotency-Key:
work-order-<id>``; the hotline de-duplicates on that key, as the documented contract asks. So: every order
delivered once, duplicates on the wire only for the few requests in flight at the kill, and always with the key.
"""

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hotline import services
from hotline.models import HotlineWorkOrder
from hotline.tasks import send_pending_work_orders
from tests.celery.conftest import wait_for
from tests.hotline.conftest import category, deputy_user, manager, station, township  # noqa: F401 - fixtures

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ORDERS = 12
ANSWER_AFTER_SECONDS = 0.8


class FakeHotline:
    """Counts every request (``calls``) and the work orders it accepted once per key (``accepted``)."""

    def __init__(self):
        self.calls, self.accepted, self.lock = [], {}, threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                key = self.headers.get("Idempotency-Key", "")
                with fake.lock:
                    fake.calls.append(key)
                    first = key not in fake.accepted
                    if first:
                        fake.accepted[key] = {"work_order_id": f"ZZ12345-{len(fake.accepted) + 1:04d}"}
                    answer = fake.accepted[key]
                assert json.loads(body)["portal_id"]
                time.sleep(ANSWER_AFTER_SECONDS)
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/work-orders"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_hotline():
    hotline = FakeHotline()
    yield hotline
    hotline.close()


def test_a_worker_killed_mid_push_loses_no_work_order_and_delivers_none_twice(
    processes,
    clean_redis,
    fake_hotline,
    regions,
    staff_zz,
    deputy_user,  # noqa: F811 - the imported fixture
    category,  # noqa: F811 - the imported fixture
    settings,
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HOTLINE_ALLOW_PRIVATE_URLS = True
    settings.HOTLINE_REQUIRE_HTTPS = False
    services.api_client_register(
        actor=staff_zz, name="株洲 12345", region=regions["zhuzhou"], endpoint_url=fake_hotline.url
    )
    for i in range(ORDERS):  # each queues its send task on commit
        services.deputy_line_create(
            actor=deputy_user, title=f"路灯不亮{i}", content=f"嵩山路第{i}段路灯连续一周不亮。", category=category
        )
    orders = HotlineWorkOrder.objects.filter(direction=HotlineWorkOrder.Direction.OUTBOUND)
    assert orders.filter(status="pending").count() == ORDERS

    a = processes.worker("hotline-worker-a", concurrency=2)
    wait_for(lambda: len(fake_hotline.calls) >= 3, timeout=40, message="pushes under way")
    processes.kill(a)  # two requests in flight: the hotline has them, their answers die with the worker
    killed_after = len(fake_hotline.calls)
    assert orders.filter(status="sent").count() < ORDERS, "worker A was meant to die mid-way"

    processes.worker("hotline-worker-b", concurrency=2)
    send_pending_work_orders.delay()  # the beat's sweep (every 5 minutes in production)
    wait_for(
        lambda: orders.filter(status="sent").count() == ORDERS,
        timeout=60,
        interval=0.2,
        message=f"all {ORDERS} orders sent\n{processes.logs()}",
    )
    time.sleep(2 * ANSWER_AFTER_SECONDS)  # let stray duplicate tasks finish (they must find the order sent)

    expected_keys = {f"work-order-{pk}" for pk in orders.values_list("pk", flat=True)}
    assert set(fake_hotline.accepted) == expected_keys  # every order delivered, each under its own key, once
    repeats = {key: n for key, n in Counter(fake_hotline.calls).items() if n > 1}
    assert sum(n - 1 for n in repeats.values()) <= 2, repeats  # only what was in flight at the kill
    assert all(key in expected_keys for key in fake_hotline.calls)
    for order in orders:
        assert order.external_id == fake_hotline.accepted[f"work-order-{order.pk}"]["work_order_id"]
        assert order.status_changes.filter(to_status="sent").count() == 1
    assert killed_after >= 3
