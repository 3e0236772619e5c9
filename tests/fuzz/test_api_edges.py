"""What the whole-schema fuzzing found, pinned down: pages past the end, NUL bytes in filters, /me without an
organisation."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_past_the_last_is_empty_not_an_error(client, world):
    client.force_login(world.users["staff"])
    response = client.get("/api/v1/vote-sessions/?page=50")
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == []
    assert body["count"] == 2
    assert body["next"] is None
    assert body["previous"].endswith("/api/v1/vote-sessions/?page=1")


def test_page_zero_is_still_not_found(client, world):
    client.force_login(world.users["staff"])
    response = client.get("/api/v1/vote-sessions/?page=0")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_nul_byte_in_a_filter_is_a_400_not_a_500(client, world):
    client.force_login(world.users["staff"])
    response = client.get("/api/v1/public/stations/?q=%00")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_parameter", "message": "请求参数无效。", "fields": {}}


def test_me_without_an_organisation_matches_the_schema(client, world):
    client.force_login(world.users["staff"])
    body = client.get("/api/v1/me/").json()
    assert body["organization"] is None
    assert body["region"]["name"] == "株洲市"
