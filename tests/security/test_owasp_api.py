"""OWASP API Security Top 10 (2023), one or more tests per item, against the real URLconf and database.

API2 (hotline signatures), API7 (SSRF) and API10 (unsafe consumption) concern the 12345 hotline API; its own tests
(tests/hotline) go deeper, these check the rule from the outside.
"""

import json
import re
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, resolve, reverse
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.models import AuditLog, Organization, User
from proposals.models import Proposal
from tests.security.conftest import CITIZEN_MOBILE
from tests.security.urlwalk import schema_operations, url_patterns
from tests.stations.factories import OpinionCategoryFactory

pytestmark = pytest.mark.django_db


# --- API1 Broken object-level authorisation --------------------------------------------------------------------------


def test_api1_a_deputy_cannot_read_another_deputys_proposal(client, world):
    client.force_login(world.users["deputy"])
    pk = world["other_proposal"].pk
    response = client.get(f"/api/v1/proposals/{pk}/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在或无权查看。", "fields": {}}
    assert client.get(reverse("proposals:detail", args=[pk])).status_code == 404
    assert client.post(f"/api/v1/proposals/{pk}/withdraw/", {}, content_type="application/json").status_code == 404
    assert AuditLog.objects.filter(
        action="access.denied", actor=world.users["deputy"], object_type="proposals.proposal"
    ).exists()


def test_api1_a_unit_cannot_read_another_units_assignment(client, world):
    client.force_login(world.users["unit"])
    response = client.get(f"/api/v1/proposal-assignments/{world['other_assignment'].pk}/")
    assert response.status_code == 404
    ids = [row["id"] for row in client.get("/api/v1/proposal-assignments/").json()["results"]]
    assert world["other_assignment"].pk not in ids
    assert world["assignment"].pk in ids
    reply = client.post(
        f"/api/v1/proposals/{world['other_proposal'].pk}/reply/",
        {"reply_class": "A", "text": "已办理。"},
        content_type="application/json",
    )
    assert reply.status_code == 404


def test_api1_staff_of_another_region_cannot_read_this_regions_records(client, world):
    client.force_login(world.users["other_staff"])
    for url in (
        f"/api/v1/opinions/{world['opinion'].pk}/",
        f"/api/v1/proposals/{world['proposal'].pk}/",
        f"/api/v1/deputies/{world['deputy'].pk}/",
        f"/api/v1/vote-sessions/{world['open_session'].pk}/",
        reverse("stations:opinion_detail", args=[world["opinion"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/opinions/").json()["count"] == 0


# --- API2 Broken authentication -----------------------------------------------------------------------------------


def test_api2_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, world, password):
    for _ in range(5):
        client.post(reverse("login"), {"username": "deputy_zz", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "deputy_zz", "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_api2_the_api_refuses_anonymous_and_bad_basic_credentials(client, world):
    assert client.get("/api/v1/proposals/").status_code == 403
    response = client.get("/api/v1/proposals/", HTTP_AUTHORIZATION="Basic ZGVwdXR5X3p6Ondyb25n")  # deputy_zz:wrong
    assert response.status_code == 403  # no HTTP Basic: the header is ignored (no password check)
    assert response.json()["code"] == "not_authenticated"


def test_api2_a_hotline_call_with_an_unknown_key_or_a_forged_signature_is_refused(client, world):
    from hotline.auth import signed_headers

    body = b'{"title": "x"}'
    for key in ("hl_0000000000.forged", "not-even-a-key"):
        headers = signed_headers(key=key, method="POST", path="/api/v1/hotline/work-orders/", body=body)
        meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        response = client.post("/api/v1/hotline/work-orders/", body, content_type="application/json", **meta)
        assert response.status_code == 401, key
    # a logged-in portal session is no hotline credential either
    client.force_login(world.users["superuser"])
    assert client.get("/api/v1/hotline/ping").status_code == 401


# --- API3 Broken object-property-level authorisation ----------------------------------------------------------------


def test_api3_extra_fields_on_a_draft_cannot_set_status_owner_region_or_reply_class(client, world, regions):
    client.force_login(world.users["deputy"])
    response = client.post(
        "/api/v1/proposals/drafts/",
        {
            "congress": world["congress"].pk,
            "title": "关于规范共享单车停放的建议",
            "content": "建议在地铁口划定停放区域。",
            "status": "closed",
            "reply_class": "A",
            "region": regions["hengyang"].pk,
            "lead_deputy": world["other_deputy"].pk,
            "number": "430200-2024-99999",
            "is_key_supervised": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    proposal = Proposal.objects.get(pk=response.json()["id"])
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.region == regions["zhuzhou"]
    assert proposal.lead_deputy == world["deputy"]
    assert proposal.number != "430200-2024-99999"
    assert not proposal.is_key_supervised
    assert not proposal.replies.exists()


def test_api3_a_deputy_cannot_triage_or_reply_through_any_write(client, world):
    client.force_login(world.users["deputy"])
    pk = world["proposal"].pk
    before = Proposal.objects.get(pk=pk).status
    for action in ("reply", "accept", "close", "staff-close"):
        response = client.post(
            f"/api/v1/proposals/{pk}/{action}/",
            {"reply_class": "A", "text": "自己答复", "reason": "x", "status": "closed"},
            content_type="application/json",
        )
        assert response.status_code in (400, 403, 409), (action, response.status_code)
    assert Proposal.objects.get(pk=pk).status == before


def test_api3_personal_fields_come_back_masked(client, world):
    deputy = world["deputy"]
    client.force_login(world.users["staff"])
    for url in (f"/api/v1/deputies/{deputy.pk}/", f"/api/v1/opinions/{world['opinion'].pk}/", "/api/v1/opinions/"):
        body = client.get(url).content.decode()
        assert deputy.mobile not in body, url
        assert CITIZEN_MOBILE not in body, url
    assert "138****5678" in client.get(f"/api/v1/opinions/{world['opinion'].pk}/").content.decode()


# --- API4 Unrestricted resource consumption ----------------------------------------------------------------------


def test_api4_page_size_is_capped_at_100(client, world, regions):
    Organization.objects.bulk_create(
        Organization(region=regions["zhuzhou"], kind="handling_unit", name=f"测试单位{n}") for n in range(110)
    )
    client.force_login(world.users["staff"])
    body = client.get("/api/v1/organizations/", {"page_size": 1000}).json()
    assert body["count"] > 100
    assert len(body["results"]) == 100


def test_api4_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(world.users["deputy"])
    big = json.dumps({"congress": world["congress"].pk, "title": "x", "content": "长" * 2000})
    response = client.post("/api/v1/proposals/drafts/", big, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"code": "too_large", "message": "提交的内容太大。", "fields": {}}
    form = urlencode({"username": "x" * 2000, "password": "y"})
    page = client.post(reverse("login"), form, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413
    settings.REQUEST_BODY_MAX_BYTES = 4096
    upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8" + b"0" * 8000, content_type="image/jpeg")
    too_big = client.post(reverse("proposals:act", args=[world["draft"].pk, "attach"]), {"file": upload})
    assert too_big.status_code == 413


def test_api4_uploads_are_checked_for_size_and_type(world):
    """Attachments are checked by extension, content and size (liaison.uploads; tests/security/test_uploads.py)."""
    from liaison.errors import ApplicationError
    from proposals import services

    program = SimpleUploadedFile("建议.exe", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        services.attachment_add(actor=world.users["deputy"], proposal=world["draft"], uploaded_file=program)
    assert refused.value.code == "upload_type_not_allowed"
    huge = SimpleUploadedFile("建议.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        services.attachment_add(actor=world.users["deputy"], proposal=world["draft"], uploaded_file=huge)
    assert refused.value.code == "attachment_too_large"


# --- API5 Broken function-level authorisation ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["deputy", "unit", "manager"])
def test_api5_non_staff_sessions_on_staff_routes_are_refused(client, world, role):
    client.force_login(world.users[role])
    for url in ("/api/v1/proposals/figures/", f"/api/v1/congresses/{world['congress'].pk}/ranking/"):
        assert client.get(url).status_code in (403, 404), url
    assert client.post("/api/v1/proposals/assign/", {}, content_type="application/json").status_code == 403
    accept = client.post(f"/api/v1/proposals/{world['proposal'].pk}/accept/", {}, content_type="application/json")
    assert accept.status_code in (403, 404)
    for name in ("proposals:review", "proposals:assign", "deputies:roster", "votes:session_list"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get("/admin/").status_code == 302


def test_api5_api_refusals_are_audited(client, world):
    client.force_login(world.users["unit"])
    assert client.get("/api/v1/proposals/figures/").status_code == 403
    row = AuditLog.objects.get(action="access.denied", actor=world.users["unit"], object_type="api")
    assert row.result == AuditLog.Result.DENIED
    assert row.data["path"] == "/api/v1/proposals/figures/"
    assert row.ip_address == "127.0.0.1"


# --- API6 Unrestricted access to sensitive business flows ---------------------------------------------------------


def test_api6_flooding_the_qr_form_is_throttled(client, world, settings):
    settings.OPINION_RATE_LIMIT_IP = (3, 3600)
    category = OpinionCategoryFactory(code="env", name="环境卫生")
    url = reverse("stations:opinion_station", args=[world["station"].pk])
    statuses = [
        client.post(
            url,
            {"category": category.pk, "content": f"第{n}条：垃圾清运不及时", "mobile": f"1390000{n:04d}"},
            REMOTE_ADDR="10.1.1.1",
        ).status_code
        for n in range(5)
    ]
    assert statuses[:2] == [302, 302]
    assert statuses[-1] == 429


# --- API7 Server-side request forgery -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/push",
        "https://localhost/push",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/push",
        "https://10.0.0.8/push",
        "https://192.168.1.1/push",
        "file:///etc/passwd",
        "https://user:pw@hotline.example/push",
    ],
)
def test_api7_outbound_hotline_urls_to_loopback_link_local_or_private_hosts_are_refused(url, settings):
    from hotline.net import UnsafeUrl, check_url

    settings.HOTLINE_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeUrl):
        check_url(url)


# --- API8 Security misconfiguration ---------------------------------------------------------------------------------


class Boom(APIView):
    permission_classes = []

    def get(self, request):
        Proposal.objects.raw("SELECT no_such_column FROM proposals_proposal")[0]  # a real SQL error
        return Response({})


def boom_page(request):
    raise ZeroDivisionError("secret detail 13812345678")


urlpatterns = [path("api/v1/boom/", Boom.as_view()), path("boom/", boom_page)]


@override_settings(ROOT_URLCONF="tests.security.test_owasp_api", DEBUG=False)
@pytest.mark.django_db(transaction=True)
def test_api8_server_errors_show_no_stack_trace_and_no_sql(client):
    client.raise_request_exception = False
    for url in ("/api/v1/boom/", "/boom/"):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 500, url
        for leak in ("Traceback", "SELECT", "no_such_column", "ZeroDivisionError", "secret detail", 'File "'):
            assert leak not in body, (url, leak)
        assert "服务器" in body or "出错" in body or "500" in body, body[:200]


def test_api8_cors_is_closed_by_default(client, world):
    client.force_login(world.users["staff"])
    for url in ("/api/v1/proposals/", "/api/v1/vote-results/", "/api/schema/"):
        response = client.get(url, HTTP_ORIGIN="https://evil.example")
        assert "Access-Control-Allow-Origin" not in response, url
    preflight = client.options(
        "/api/v1/proposals/", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_api8_the_sql_of_a_request_never_reaches_the_response(client, world):
    client.force_login(world.users["staff"])
    with CaptureQueriesContext(connection):
        response = client.post("/api/v1/proposals/assign/", {"items": "not a list"}, content_type="application/json")
    assert response.status_code == 400
    assert "SELECT" not in response.content.decode()


# --- API9 Improper inventory management -----------------------------------------------------------------------------


def test_api9_the_schema_and_the_urlconf_list_the_same_api_routes(client, world):
    client.force_login(world.users["superuser"])
    in_schema = set()
    for schema_path, _method in schema_operations(client):
        in_schema.add(resolve(re.sub(r"\{[^}]+\}", "1", schema_path)).view_name)
    in_urlconf = {p.key for p in url_patterns() if p.route.startswith("api/v1/")}
    assert in_urlconf - in_schema == set(), "routes missing from /api/schema/"
    assert in_schema - in_urlconf == set(), "schema operations without a route"


# --- API10 Unsafe consumption of APIs -------------------------------------------------------------------------------


def test_api10_every_outbound_hotline_call_has_connect_and_read_time_outs():
    """Strict parsing of pushed payloads is tested field by field in tests/hotline/test_work_orders.py
    (test_strict_payload_parsing_refuses_bad_fields); here: no outbound call can hang a worker."""
    from hotline import net

    assert 0 < net.CONNECT_TIMEOUT <= 5
    assert 0 < net.READ_TIMEOUT <= 15


def test_roles_used_here_exist():
    assert {choice for choice, _label in User.Role.choices} == {"staff", "unit", "deputy", "station_manager"}
