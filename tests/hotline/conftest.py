"""Fixtures of the hotline tests: a township with a station and a deputy, a registered client, a signed HTTP helper."""

import datetime
import json

import pytest
from django.core.cache import cache

from hotline import auth, services
from liaison.models import Region, User
from tests.factories import CongressFactory, MembershipFactory, UserFactory
from tests.stations.factories import OpinionCategoryFactory, StationAssignmentFactory, StationFactory


@pytest.fixture(autouse=True)
def eager_celery_and_clean_cache(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.HOTLINE_SEND_BACKOFF_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def township(regions):
    return Region.objects.create(
        code="430211004", name="嵩山路街道", level=Region.Level.TOWNSHIP, parent=regions["tianyuan"]
    )


@pytest.fixture
def category(db):
    return OpinionCategoryFactory(code="road", name="道路交通", description="道路、路灯、交通设施")


@pytest.fixture
def manager(township):
    return UserFactory(username="manager_a", role=User.Role.STATION_MANAGER, region=township)


@pytest.fixture
def station(township, manager):
    station = StationFactory(region=township, name="嵩山路街道代表联络站")
    station.managers.add(manager)
    return station


@pytest.fixture
def deputy_user(regions, station):
    congress = CongressFactory(region=regions["tianyuan"], name="天元区第五届人民代表大会", level=4)
    user = UserFactory(username="deputy_zhang", role=User.Role.DEPUTY, display_name="张建国")
    membership = MembershipFactory(congress=congress, deputy__name="张建国", deputy__user=user)
    StationAssignmentFactory(station=station, deputy=membership.deputy, since=datetime.date(2023, 1, 1))
    return user


@pytest.fixture
def registered(regions, staff_zz):
    """(client, key) of the 株洲 12345 system."""
    return services.api_client_register(actor=staff_zz, name="株洲 12345", region=regions["zhuzhou"])


@pytest.fixture
def hotline(registered):
    return registered[0]


@pytest.fixture
def key(registered):
    return registered[1]


class SignedClient:
    """Django's test client, signing each request like a vendor would."""

    def __init__(self, client, key):
        self.client = client
        self.key = key

    def request(self, method, path, payload=None, *, headers=None, body=None, key=None, **signing):
        if body is None:
            body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        signed = auth.signed_headers(key=key or self.key, method=method, path=path, body=body, **signing)
        all_headers = {**signed, **(headers or {})}
        if method == "GET":
            return self.client.get(path, headers=all_headers)
        return self.client.generic(method, path, body, content_type="application/json", headers=all_headers)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, payload=None, **kwargs):
        return self.request("POST", path, payload, **kwargs)


@pytest.fixture
def signed(client, key):
    return SignedClient(client, key)


def push_payload(**overrides):
    payload = {
        "hotline_id": "ZZ12345-0001",
        "title": "路灯不亮",
        "content": "嵩山路与长江路交叉口路灯连续一周不亮，夜间行人不安全。",
        "category": "road",
        "location": {"address": "嵩山路与长江路交叉口", "lat": 27.83, "long": 113.1},
        "citizen": {"name": "王芳", "mobile": "13812345678"},
        "deadline": "2024-04-01T18:00:00+08:00",
        "attachments": ["https://files.example.cn/a.jpg"],
    }
    payload.update(overrides)
    return payload
