"""Signed requests: every refusal has its status, its machine-readable code, and an audit row."""

import time

import pytest

from hotline import auth, services
from hotline.models import ApiNonce
from liaison.models import AuditLog

PING = "/api/v1/hotline/ping"

pytestmark = pytest.mark.django_db


def refusals():
    return list(AuditLog.objects.filter(action="hotline.auth_refused").values_list("data__code", "result"))


def test_signed_ping_answers_with_the_client(signed, hotline):
    response = signed.get(PING)
    assert response.status_code == 200
    assert response.json()["key_id"] == hotline.key_id
    assert response.json()["region_code"] == "430200"


def test_key_is_stored_only_as_its_sha256(hotline, key):
    assert key.startswith(hotline.key_id + ".")
    assert hotline.key_hash == auth.hash_key(key)
    assert key not in str(list(type(hotline).objects.values()))


def test_canonical_string_is_the_documented_five_lines():
    body = b'{"a":1}'
    assert auth.canonical_string("post", "/api/v1/hotline/ping", "1700000000", "n" * 16, body) == (
        "POST\n/api/v1/hotline/ping\n1700000000\nnnnnnnnnnnnnnnnn\n"
        "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"
    )


def test_missing_headers_are_refused_401(client):
    response = client.get(PING)
    assert response.status_code == 401
    assert response.json()["code"] == "signature_missing"
    assert response["WWW-Authenticate"] == 'HMAC-SHA256 realm="hotline"'
    assert refusals() == [("signature_missing", "denied")]


def test_unknown_key_is_refused_401(signed):
    response = signed.get(PING, key="hl_0000000000.wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "unknown_key"
    assert refusals() == [("unknown_key", "denied")]


def test_wrong_secret_gives_bad_signature_401(signed, hotline):
    response = signed.get(PING, key=f"{hotline.key_id}.not-the-secret")
    assert response.status_code == 401
    assert response.json() == {"code": "bad_signature", "message": "签名不正确。", "fields": {}}
    assert refusals() == [("bad_signature", "denied")]


def test_tampered_body_gives_bad_signature(client, key):
    headers = auth.signed_headers(key=key, method="POST", path="/api/v1/hotline/work-orders/", body=b'{"a": 1}')
    response = client.post(
        "/api/v1/hotline/work-orders/", b'{"a": 2}', content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"


def test_timestamp_older_than_five_minutes_is_refused(signed):
    response = signed.get(PING, timestamp=int(time.time()) - 301)
    assert response.status_code == 401
    assert response.json()["code"] == "timestamp_expired"
    assert refusals() == [("timestamp_expired", "denied")]


def test_a_replayed_nonce_is_refused(client, key):
    headers = auth.signed_headers(key=key, method="GET", path=PING)
    assert client.get(PING, headers=headers).status_code == 200
    replay = client.get(PING, headers=headers)
    assert replay.status_code == 401
    assert replay.json()["code"] == "nonce_reused"
    assert refusals() == [("nonce_reused", "denied")]


def test_revoked_client_is_refused_403(signed, hotline, staff_zz):
    services.api_client_revoke(actor=staff_zz, client=hotline)
    response = signed.get(PING)
    assert response.status_code == 403
    assert response.json()["code"] == "client_revoked"
    assert refusals() == [("client_revoked", "denied")]


def test_ip_outside_the_allow_list_is_refused_403(signed, hotline, staff_zz):
    services.api_client_update(
        actor=staff_zz, client=hotline, endpoint_url="", ip_allowlist="10.1.0.0/16", throttle_rate="120/min"
    )
    response = signed.get(PING)
    assert response.status_code == 403
    assert response.json()["code"] == "ip_not_allowed"
    services.api_client_update(
        actor=staff_zz, client=hotline, endpoint_url="", ip_allowlist="10.1.0.0/16\n127.0.0.1", throttle_rate="120/min"
    )
    assert signed.get(PING).status_code == 200


def test_rotating_the_key_stops_the_old_one(signed, hotline, staff_zz, key):
    _client, new_key = services.api_client_rotate_key(actor=staff_zz, client=hotline)
    assert signed.get(PING).status_code == 401
    assert signed.get(PING, key=new_key).status_code == 200


def test_body_over_the_limit_is_refused_413(signed, settings):
    settings.HOTLINE_MAX_BODY_BYTES = 100
    response = signed.post("/api/v1/hotline/work-orders/", body=b"{" + b" " * 200 + b"}")
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_client_is_throttled_at_its_own_rate(signed, hotline, staff_zz):
    services.api_client_update(actor=staff_zz, client=hotline, endpoint_url="", ip_allowlist="", throttle_rate="3/min")
    statuses = [signed.get(PING).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert signed.get(PING).json()["code"] == "throttled"


def test_old_nonces_are_purged(signed, hotline):
    signed.get(PING)
    ApiNonce.objects.update(created_at=ApiNonce.objects.get().created_at - auth.timezone.timedelta(minutes=11))
    assert auth.purge_nonces() == 1


def test_staff_cannot_register_a_client_outside_their_region(regions, staff_hy):
    from liaison.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.api_client_register(actor=staff_hy, name="x", region=regions["zhuzhou"])


def test_the_worked_example_in_the_docs_is_right():
    key = "hl_0123456789.example-secret-do-not-use"
    assert auth.hash_key(key) == "4c37034b436a03cca90e14fae304925aeb9ff3e4d1f98771c897f34d6ba5d386"
    signature = auth.sign(
        auth.hash_key(key), "POST", "/api/v1/hotline/work-orders/", "1700000000", "n0nce-0000000001", b'{"a":1}'
    )
    assert signature == "26028373d278b0c1b7d081e1394847e2c0841d9a8e23b298e4867907317c6bdb"
