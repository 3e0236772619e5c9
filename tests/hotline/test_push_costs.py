"""What a 12345 push costs: eight statements once the client, the route and the categories are cached, the same
response as the row read back, and the cached client dropped the moment it is revoked or its key rotated."""

import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hotline import auth, selectors, services
from hotline.api import _json_bytes
from hotline.models import ApiClient, HotlineWorkOrder
from hotline.serializers import WorkOrderSerializer
from tests.hotline.conftest import push_payload
from tests.stations.factories import StationFactory

PUSH = "/api/v1/hotline/work-orders/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.OPINION_CATEGORY_CACHE_SECONDS = 60
    settings.PUBLIC_STATION_CACHE_SECONDS = 60
    settings.HOTLINE_CLIENT_CACHE_SECONDS = 30


@pytest.fixture(params=[0, 30])
def more_stations(request, station):
    """Other stations of the region the pushes could be routed to."""
    return [StationFactory(region=station.region) for _ in range(request.param)]


def _push(signed, n):
    return signed.post(PUSH, push_payload(hotline_id=f"ZZ-{n}"), headers={"Idempotency-Key": f"k-{n}"})


def test_a_push_runs_eight_statements_once_client_route_and_categories_are_cached(
    signed, station, category, more_stations, cached, django_assert_num_queries
):
    assert _push(signed, 1).status_code == 201  # fills the caches and writes last_used_at
    # The nonce; the idempotency record claimed, the duplicate check, the opinion, the order, its status change,
    # the audit row and the stored response. In a test each transaction is a savepoint in the test's (+2 each), and
    # the opinion is inserted in its own savepoint so that a tracking-code clash is retried (+2).
    with django_assert_num_queries(14) as captured:
        response = _push(signed, 2)
    assert response.status_code == 201
    assert not [q for q in captured.captured_queries if "stations_apiclient" in q["sql"]]
    assert not [q for q in captured.captured_queries if "stations_station" in q["sql"]]
    assert not [q for q in captured.captured_queries if "stations_opinioncategory" in q["sql"]]
    order = HotlineWorkOrder.objects.get(external_id="ZZ-2")
    assert order.opinion.station == station and order.opinion.category == category


def test_the_201_body_is_the_order_as_read_back(signed, hotline, station, category, cached):
    response = _push(signed, 1)
    order = selectors.work_order_for_client(hotline, response.json()["id"])
    assert response.content == _json_bytes(201, WorkOrderSerializer(order).data)[1]
    assert json.loads(response.content)["deadline"] == "2024-04-01T18:00:00+08:00"


def test_a_revoked_client_is_refused_at_once_though_its_row_was_cached(signed, hotline, station, category, staff_zz):
    assert signed.get("/api/v1/hotline/ping").status_code == 200
    stale = cache.get(auth._client_cache_key(hotline.key_id))
    assert isinstance(stale, ApiClient)
    services.api_client_revoke(actor=staff_zz, client=hotline)
    # a request that read the row just before the revocation cannot put it back
    assert cache.add(auth._client_cache_key(hotline.key_id), stale, 30) is False
    response = _push(signed, 1)
    assert response.status_code == 403 and response.json()["code"] == "client_revoked"


def test_a_rotated_key_stops_at_once_though_it_was_cached(signed, hotline, station, category, staff_zz, key):
    assert signed.get("/api/v1/hotline/ping").status_code == 200
    _client, new_key = services.api_client_rotate_key(actor=staff_zz, client=hotline)
    assert signed.get("/api/v1/hotline/ping").status_code == 401
    assert signed.get("/api/v1/hotline/ping", key=new_key).status_code == 200


def test_a_changed_allow_list_applies_at_once(signed, hotline, staff_zz):
    assert signed.get("/api/v1/hotline/ping").status_code == 200
    services.api_client_update(
        actor=staff_zz, client=hotline, endpoint_url="", ip_allowlist="10.1.0.0/16", throttle_rate="120/min"
    )
    assert signed.get("/api/v1/hotline/ping").status_code == 403


def test_last_used_at_is_written_at_most_once_a_minute(signed, hotline):
    def writes():
        with CaptureQueriesContext(connection) as captured:
            assert signed.get("/api/v1/hotline/ping").status_code == 200
        return len([q for q in captured.captured_queries if q["sql"].startswith('UPDATE "stations_apiclient"')])

    assert [writes(), writes(), writes()] == [1, 0, 0]
    first = ApiClient.objects.get(pk=hotline.pk).last_used_at
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        assert writes() == 1
        assert ApiClient.objects.get(pk=hotline.pk).last_used_at > first
