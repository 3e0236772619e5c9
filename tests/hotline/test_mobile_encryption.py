"""Mobiles that arrive or leave through the 12345 hotline are stored encrypted (issue 11)."""

import re

import pytest
from django.db import connection

from hotline import services
from hotline.models import HotlineWorkOrder
from liaison import crypto
from stations.models import Opinion
from tests.hotline.conftest import push_payload

pytestmark = pytest.mark.django_db

WHOLE_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def stored_text():
    """Every stored mobile, hash and work-order payload, as PostgreSQL holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(mobile || ' ' || mobile_hash, ' ') FROM stations_opinion "
            "UNION ALL SELECT string_agg(payload::text, ' ') FROM stations_hotlineworkorder"
        )
        return " ".join(row[0] or "" for row in cursor.fetchall())


def test_a_pushed_work_order_stores_the_citizens_mobile_encrypted(signed, station, category, hotline):
    response = signed.post("/api/v1/hotline/work-orders/", push_payload(), headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 201
    assert WHOLE_MOBILE.search(stored_text()) is None
    opinion = Opinion.objects.get()
    assert opinion.mobile == "13812345678"
    assert Opinion.objects.get(mobile="13812345678") == opinion


def test_a_deputy_line_item_keeps_the_mobile_encrypted_until_it_is_sent(deputy_user, category):
    order = services.deputy_line_create(
        actor=deputy_user,
        title="桥下积水",
        category=category,
        content="雨后桥洞积水半米，车辆无法通行。",
        mobile="13700001111",
    )
    assert WHOLE_MOBILE.search(stored_text()) is None
    assert crypto.is_token(HotlineWorkOrder.objects.get(pk=order.pk).payload["mobile"])
    assert services.outbound_body(order)["mobile"] == "13700001111"
