"""Liaison staff register the hotline clients of their own region in the admin (docs/hotline-api.md §1)."""

from django.urls import reverse

from hotline.models import ApiClient


def _add(client, region):
    return client.post(
        reverse("admin:hotline_apiclient_add"),
        {"name": "株洲12345", "region": region.pk, "endpoint_url": "", "ip_allowlist": "", "throttle_rate": "120/min"},
    )


def test_regional_staff_register_a_client_whose_region_is_forced_to_theirs(client, staff_zz, regions):
    client.force_login(staff_zz)
    assert client.get(reverse("admin:hotline_apiclient_changelist")).status_code == 200
    response = _add(client, regions["hengyang"])  # another region in the POST: ignored
    assert response.status_code == 200
    assert "新密钥" in response.content.decode()
    registered = ApiClient.objects.get(name="株洲12345")
    assert registered.region == regions["zhuzhou"]
    assert registered.created_by == staff_zz


def test_regional_staff_see_only_their_region_clients(client, staff_zz, staff_hy, regions):
    client.force_login(staff_hy)
    _add(client, regions["hengyang"])
    other = ApiClient.objects.get(region=regions["hengyang"])
    client.force_login(staff_zz)
    body = client.get(reverse("admin:hotline_apiclient_changelist")).content.decode()
    assert other.key_id not in body
    assert client.get(reverse("admin:hotline_apiclient_change", args=[other.pk])).status_code == 302


def test_unit_users_still_cannot_open_the_hotline_clients(client, regions):
    from tests.factories import UserFactory

    unit = UserFactory(username="unit_x", role="unit", is_staff=True)
    client.force_login(unit)
    assert client.get(reverse("admin:hotline_apiclient_changelist")).status_code == 403
