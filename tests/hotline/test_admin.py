"""Admin: a client's key is shown once on registering and rotating; revoke and resend go through the services."""

import pytest

from hotline import auth
from hotline.models import ApiClient, HotlineWorkOrder
from liaison.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, regions):
    user = UserFactory(username="root", role=User.Role.STAFF, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_registering_a_client_shows_the_key_once(admin_client, regions):
    response = admin_client.post(
        "/admin/hotline/apiclient/add/",
        {
            "name": "株洲 12345",
            "region": regions["zhuzhou"].pk,
            "endpoint_url": "",
            "ip_allowlist": "",
            "throttle_rate": "120/min",
        },
    )
    assert response.status_code == 200
    client = ApiClient.objects.get()
    page = response.content.decode()
    key = page.split('class="hotline-key">')[1].split("<")[0]
    assert key.startswith(client.key_id + ".") and client.key_hash == auth.hash_key(key)
    assert "密钥只显示这一次" in page
    assert key not in admin_client.get(f"/admin/hotline/apiclient/{client.pk}/change/").content.decode()


def test_an_internal_endpoint_url_is_refused_in_the_form(admin_client, regions):
    response = admin_client.post(
        "/admin/hotline/apiclient/add/",
        {
            "name": "x",
            "region": regions["zhuzhou"].pk,
            "endpoint_url": "https://127.0.0.1/x",
            "ip_allowlist": "",
            "throttle_rate": "120/min",
        },
    )
    assert response.status_code == 200
    assert "指向内网、本机或保留地址" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_rotate_and_revoke_actions(admin_client, hotline, key):
    response = admin_client.post(
        "/admin/hotline/apiclient/", {"action": "rotate_key", "_selected_action": [hotline.pk]}
    )
    hotline.refresh_from_db()
    assert hotline.key_hash != auth.hash_key(key)
    assert hotline.key_id in response.content.decode()
    admin_client.post("/admin/hotline/apiclient/", {"action": "revoke", "_selected_action": [hotline.pk]})
    hotline.refresh_from_db()
    assert hotline.revoked_at is not None


def test_failed_orders_are_listed_and_resent(admin_client, station, manager, django_capture_on_commit_callbacks):
    from hotline import services
    from tests.stations.factories import OpinionFactory

    opinion = OpinionFactory(station=station)
    services.opinion_forward_to_hotline(actor=manager, opinion=opinion)
    order = HotlineWorkOrder.objects.get()
    HotlineWorkOrder.objects.filter(pk=order.pk).update(status="failed", last_error="HTTP 503")
    listing = admin_client.get("/admin/hotline/hotlineworkorder/?status__exact=failed")
    assert f"/admin/hotline/hotlineworkorder/{order.pk}/change/" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/hotline/hotlineworkorder/", {"action": "resend", "_selected_action": [order.pk]})
    order.refresh_from_db()
    assert order.status == "pending"  # no client configured: it waits for one, visible again as pending
    assert order.status_changes.last().to_status == "pending"
