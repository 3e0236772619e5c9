import pytest
from django.urls import reverse

from tests.factories import CongressFactory, MembershipFactory


@pytest.fixture
def two_cities(regions):
    zz = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    hy = CongressFactory(region=regions["hengyang"], name="衡阳市第十六届人民代表大会")
    return {
        "zz": MembershipFactory(congress=zz, deputy__name="株洲代表"),
        "hy": MembershipFactory(congress=hy, deputy__name="衡阳代表"),
    }


def test_zhuzhou_staff_do_not_see_hengyang_deputies_in_the_roster_page(client, staff_zz, two_cities):
    client.force_login(staff_zz)
    response = client.get(reverse("deputies:roster"))
    assert response.status_code == 200
    assert "株洲代表" in response.content.decode()
    assert "衡阳代表" not in response.content.decode()


def test_zhuzhou_staff_get_404_for_a_hengyang_membership_through_the_api(client, staff_zz, two_cities):
    client.force_login(staff_zz)
    own = client.get(f"/api/v1/memberships/{two_cities['zz'].pk}/")
    other = client.get(f"/api/v1/memberships/{two_cities['hy'].pk}/")
    assert own.status_code == 200
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"
    listed = client.get("/api/v1/memberships/").json()
    assert [row["name"] for row in listed["results"]] == ["株洲代表"]


def test_province_staff_see_both_cities(client, staff_province, two_cities):
    client.force_login(staff_province)
    listed = client.get("/api/v1/memberships/").json()
    assert sorted(row["name"] for row in listed["results"]) == ["株洲代表", "衡阳代表"]


def test_mobile_numbers_are_masked_in_the_roster_api(client, staff_zz, two_cities):
    client.force_login(staff_zz)
    row = client.get("/api/v1/memberships/").json()["results"][0]
    full = two_cities["zz"].deputy.mobile
    assert row["mobile"] == f"{full[:3]}****{full[-4:]}"
    assert full not in client.get(reverse("deputies:roster")).content.decode()


def test_unit_user_sees_no_deputies_and_anonymous_is_refused(client, unit_zz, two_cities):
    assert client.get("/api/v1/memberships/").status_code == 403
    client.force_login(unit_zz)
    assert client.get("/api/v1/memberships/").json()["count"] == 0
    assert client.get(reverse("deputies:roster")).status_code == 404


def test_refused_lookup_writes_an_audit_row(client, staff_zz, two_cities):
    from liaison.models import AuditLog

    client.force_login(staff_zz)
    client.get(reverse("deputies:ranking", args=[two_cities["hy"].congress_id]))
    row = AuditLog.objects.get(action="access.denied")
    assert row.actor == staff_zz
    assert row.result == "denied"
