"""Open311 GeoReport v2: every field name, the XML shape and the error body, as the spec text gives them."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from hotline.models import HotlineWorkOrder
from liaison.models import AuditLog
from stations.models import Opinion
from tests.stations.factories import OpinionCategoryFactory, OpinionFactory

BASE = "/open311/v2"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
ISO_PLUS_8 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")

pytestmark = pytest.mark.django_db


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def post_request(client, key, **overrides):
    data = {
        "api_key": key,
        "service_code": "road",
        "description": "建设路口红绿灯故障，早高峰拥堵严重。",
        "lat": "27.8407",
        "long": "113.1347",
        "address_string": "株洲市天元区建设路口",
        "first_name": "芳",
        "last_name": "王",
        "phone": "13812345678",
        "email": "wang@example.cn",
        "device_id": "dev-1",
        "media_url": "https://files.example.cn/light.jpg",
    }
    data.update(overrides)
    return client.post(f"{BASE}/requests.json", data)


@pytest.fixture
def services_ready(category):
    OpinionCategoryFactory(code="environment", name="环境卫生", description="垃圾、噪声、污水")
    OpinionCategoryFactory(code="closed-one", name="停用", is_active=False)


def test_services_json_lists_active_categories_with_every_spec_field(client, services_ready):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = response.json()
    assert [list(row) for row in rows] == [SERVICE_FIELDS, SERVICE_FIELDS]
    road = next(row for row in rows if row["service_code"] == "road")
    assert road == {
        "service_code": "road",
        "service_name": "道路交通",
        "description": "道路、路灯、交通设施",
        "metadata": False,
        "type": "realtime",
        "keywords": "道路交通",
        "group": "群众意见",
    }


def test_services_json_counts_a_registered_client_at_its_own_rate(client, services_ready, settings, key, hotline):
    settings.OPEN311_ANON_RATE = "1/min"
    hotline.throttle_rate = "100/min"
    hotline.save()
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 429  # anonymous: one a minute from this address
    assert client.get(f"{BASE}/services.json", {"api_key": key}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"api_key": key}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"api_key": "hl_0000000000.x"}).status_code == 403


def test_services_xml_has_the_spec_shape(client, services_ready):
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == 2
    road = next(s for s in services if s.findtext("service_code") == "road")
    assert [child.tag for child in road] == SERVICE_FIELDS
    assert road.findtext("metadata") == "false"
    assert road.findtext("type") == "realtime"
    assert road.findtext("service_name") == "道路交通"


def test_service_definition_json_and_xml(client, category):
    assert client.get(f"{BASE}/services/road.json").json() == {"service_code": "road", "attributes": []}
    root = xml(client.get(f"{BASE}/services/road.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "road"
    assert [child.tag for child in root] == ["service_code", "attributes"]


def test_unknown_service_is_404_with_the_open311_error_body(client, category):
    response = client.get(f"{BASE}/services/nope.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "服务 nope 不存在。"}]
    root = xml(client.get(f"{BASE}/services/nope.xml"))
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root.findall("error")] == [
        ("404", "服务 nope 不存在。")
    ]


def test_post_request_creates_a_hotline_opinion_and_answers_per_spec(client, key, station, category):
    response = post_request(client, key)
    assert response.status_code == 201
    [row] = response.json()
    assert list(row) == ["service_request_id", "service_notice", "account_id"]
    opinion = Opinion.objects.get()
    assert row["service_request_id"] == str(opinion.pk)
    assert row["account_id"] is None
    assert opinion.tracking_code in row["service_notice"]
    assert (opinion.source, opinion.station, opinion.citizen_name, opinion.mobile) == (
        "hotline",
        station,
        "王芳",
        "13812345678",
    )
    order = HotlineWorkOrder.objects.get(opinion=opinion)
    assert order.payload["address"] == "株洲市天元区建设路口"
    assert "email" not in order.payload


def test_post_request_xml_shape(client, key, station, category):
    response = client.post(
        f"{BASE}/requests.xml",
        {"api_key": key, "service_code": "road", "description": "路面塌陷需要修补。", "address_string": "建设路"},
    )
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]


def test_post_request_routes_to_the_named_deputy(client, key, station, category, deputy_user):
    response = post_request(client, key, **{"attribute[deputy]": str(deputy_user.deputy.pk)})
    assert response.status_code == 201
    opinion = Opinion.objects.get()
    assert (opinion.deputy, opinion.station) == (deputy_user.deputy, None)


@pytest.mark.parametrize(
    ("overrides", "status", "description"),
    [
        ({"api_key": ""}, 403, "缺少 api_key。"),
        ({"api_key": "hl_0000000000.x"}, 403, "api_key 无效。"),
        ({"service_code": ""}, 400, "缺少 service_code。"),
        ({"service_code": "nope"}, 400, "类别 nope 不存在。"),
        ({"lat": "", "long": "", "address_string": ""}, 400, "须提供 lat 与 long，或 address_string。"),
        ({"lat": "north"}, 400, "lat 须为数字。"),
        ({"description": "短"}, 400, "内容至少 5 个字。"),
        ({"attribute[station]": "999999"}, 400, "联络站不存在或不在本客户端的区域内。"),
    ],
)
def test_post_request_refusals_use_the_open311_error_body(
    client, key, station, category, overrides, status, description
):
    response = post_request(client, key, **overrides)
    assert response.status_code == status
    assert response.json() == [{"code": status, "description": description}]
    assert not Opinion.objects.exists()


def test_an_invalid_api_key_is_audited(client, key, station, category):
    post_request(client, key, api_key="hl_0000000000.x")
    assert AuditLog.objects.filter(action="hotline.auth_refused", data__code="unknown_key").count() == 1


@pytest.fixture
def published(client, key, station, category):
    post_request(client, key)
    opinion = Opinion.objects.get()
    old = OpinionFactory(station=station, source=Opinion.Source.HOTLINE, status=Opinion.Status.HANDLED)
    Opinion.objects.filter(pk=old.pk).update(
        outcome_note="已修复", created_at=timezone.now() - datetime.timedelta(days=120)
    )
    qr = OpinionFactory(station=station)  # not from the hotline: never published
    return opinion, Opinion.objects.get(pk=old.pk), qr


def test_get_requests_json_has_every_spec_field_and_no_personal_data(client, published):
    opinion, _old, _qr = published
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    [row] = response.json()
    assert list(row) == REQUEST_FIELDS
    assert row["service_request_id"] == str(opinion.pk)
    assert row["status"] == "open"
    assert row["status_notes"] == "待处理"
    assert (row["service_name"], row["service_code"]) == ("道路交通", "road")
    assert row["description"] == "建设路口红绿灯故障，早高峰拥堵严重。"
    assert row["agency_responsible"] == "嵩山路街道代表联络站"
    assert ISO_PLUS_8.match(row["requested_datetime"]) and ISO_PLUS_8.match(row["updated_datetime"])
    assert row["expected_datetime"] is None
    assert row["address"] == "株洲市天元区建设路口"
    assert (row["address_id"], row["zipcode"]) == (None, None)
    assert (row["lat"], row["long"]) == (27.8407, 113.1347)
    assert row["media_url"] == "https://files.example.cn/light.jpg"
    text = response.content.decode()
    assert "13812345678" not in text and "王芳" not in text and opinion.tracking_code not in text


def test_get_requests_xml_has_the_spec_shape(client, published):
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    assert request.findtext("lat") == "27.8407"
    assert request.find("zipcode").text is None


def test_get_requests_filters(client, published):
    opinion, old, qr = published
    by_ids = client.get(f"{BASE}/requests.json", {"service_request_id": f"{opinion.pk},{old.pk},{qr.pk}"}).json()
    assert sorted(row["service_request_id"] for row in by_ids) == sorted([str(opinion.pk), str(old.pk)])
    closed = client.get(
        f"{BASE}/requests.json",
        {"status": "closed", "start_date": (timezone.now() - datetime.timedelta(days=150)).isoformat()},
    ).json()
    assert [(row["service_request_id"], row["status"], row["status_notes"]) for row in closed] == [
        (str(old.pk), "closed", "已处理：已修复")
    ]
    assert client.get(f"{BASE}/requests.json", {"service_code": "environment"}).json() == []
    window = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2020-01-01T00:00:00+08:00", "end_date": "2020-02-01T00:00:00Z"},
    ).json()
    assert window == []


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"status": "pending"}, "status 须为 open 或 closed。"),
        ({"start_date": "yesterday"}, "start_date 须为 ISO 8601 时间。"),
        ({"service_request_id": "1,abc"}, "service_request_id 须为以逗号分隔的编号（最多 100 个）。"),
        ({"start_date": "2024-02-01T00:00:00Z", "end_date": "2024-01-01T00:00:00Z"}, "start_date 不能晚于 end_date。"),
    ],
)
def test_get_requests_bad_filters_are_400(client, published, params, description):
    response = client.get(f"{BASE}/requests.json", params)
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": description}]


def test_get_one_request_and_unknown_404(client, published):
    opinion, _old, qr = published
    [row] = client.get(f"{BASE}/requests/{opinion.pk}.json").json()
    assert row["service_request_id"] == str(opinion.pk)
    root = xml(client.get(f"{BASE}/requests/{opinion.pk}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [str(opinion.pk)]
    missing = client.get(f"{BASE}/requests/{qr.pk}.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": f"服务请求 {qr.pk} 不存在。"}]


def test_get_with_api_key_is_narrowed_to_the_client_region(client, published, regions, staff_hy):
    from hotline import services

    _other, other_key = services.api_client_register(actor=staff_hy, name="衡阳 12345", region=regions["hengyang"])
    assert client.get(f"{BASE}/requests.json", {"api_key": other_key}).json() == []
    assert client.get(f"{BASE}/requests.json", {"api_key": "hl_0000000000.x"}).status_code == 403


def test_discovery_lists_the_endpoint(client):
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert [f.text for f in root.find("endpoints").find("endpoint").find("formats")] == ["text/xml", "application/json"]


@pytest.mark.django_db(transaction=True)
def test_georeport_client_from_pypi_reads_the_live_server(live_server, registered, station, category):
    """The `georeport` package (0.3.1) has no POST method, so the request is created with a form post; the
    package then reads services, the definition and the requests back, in JSON and in XML."""
    import requests
    from georeport import GeoReport

    _client, key = registered
    created = requests.post(
        f"{live_server.url}{BASE}/requests.json",
        data={"api_key": key, "service_code": "road", "description": "人行道地砖松动。", "address_string": "建设路"},
        timeout=10,
    )
    assert created.status_code == 201
    request_id = created.json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        geo = GeoReport(f"{live_server.url}{BASE}", output_format=fmt)
        services = geo.get_service_list()
        service = services[0] if isinstance(services, list) else services
        assert service["service_code"] == "road"
        assert geo.get_service_definition("road")["service_code"] == "road"
        listed = geo.get_service_requests(service_code="road", status="open")
        listed = listed if isinstance(listed, list) else [listed]
        assert [row["service_request_id"] for row in listed] == [request_id]
        one = geo.get_service_request(request_id)
        assert one["status"] == "open" and one["address"] == "建设路"


@pytest.mark.parametrize("size", [5, 200])
def test_get_requests_query_count_does_not_grow_with_rows(
    client, station, category, size, django_assert_max_num_queries
):
    from stations.services import new_tracking_code

    Opinion.objects.bulk_create(
        [
            Opinion(
                tracking_code=new_tracking_code(),
                station=station,
                region=station.region,
                category=category,
                content=f"第{n}条热线意见内容",
                source=Opinion.Source.HOTLINE,
            )
            for n in range(size)
        ]
    )
    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/requests.json")
    assert len(response.json()) == size
