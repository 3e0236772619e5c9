"""The dashboard's pickers stay small for a province: the way down to the chosen region and its children, the
region's own congresses and units (plus whatever the URL chose deeper down)."""

import re

import pytest

from liaison.models import Organization, Region
from tests.factories import CongressFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _options(html, select_id):
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r">([^<]+)</option>", block)


def test_province_dashboard_offers_its_cities_not_every_township(client, staff_province, regions):
    for i in range(3):
        Region.objects.create(
            code=f"43021110{i}", name=f"镇{i}", level=Region.Level.TOWNSHIP, parent=regions["tianyuan"]
        )
    CongressFactory(region=regions["province"], name="湖南省第十四届人民代表大会")
    CongressFactory(region=regions["tianyuan"], name="天元区第五届人民代表大会")
    OrganizationFactory(region=regions["province"], name="省住建厅", kind=Organization.Kind.HANDLING_UNIT)
    OrganizationFactory(region=regions["tianyuan"], name="天元区住建局", kind=Organization.Kind.HANDLING_UNIT)
    client.force_login(staff_province)
    html = client.get("/dashboard/").content.decode()
    assert _options(html, "f-region") == ["湖南省", "株洲市", "衡阳市"]
    assert _options(html, "f-congress")[1:] == ["湖南省第十四届人民代表大会"]
    assert _options(html, "f-unit")[1:] == ["省住建厅"]

    html = client.get("/dashboard/", {"region": regions["tianyuan"].pk}).content.decode()
    assert _options(html, "f-region") == ["湖南省", "株洲市", "天元区", "镇0", "镇1", "镇2"]
    assert _options(html, "f-congress")[1:] == ["天元区第五届人民代表大会"]
    assert _options(html, "f-unit")[1:] == ["天元区住建局"]


def test_a_deeper_congress_chosen_in_the_url_stays_selected(client, staff_province, regions):
    deep = CongressFactory(region=regions["tianyuan"], name="天元区第五届人民代表大会")
    client.force_login(staff_province)
    html = client.get("/dashboard/", {"congress": deep.pk}).content.decode()
    assert "天元区第五届人民代表大会" in _options(html, "f-congress")
    assert re.search(rf'<option value="{deep.pk}" selected>', html)


def test_city_staff_cannot_climb_above_their_city(client, staff_zz, regions):
    client.force_login(staff_zz)
    html = client.get("/dashboard/", {"region": regions["tianyuan"].pk}).content.decode()
    assert _options(html, "f-region") == ["株洲市", "天元区"]
