"""Fixtures of the stations tests: two stations with their managers, a deputy assigned to the first."""

import datetime

import pytest
from django.core.cache import cache

from liaison.models import Region, User
from tests.factories import CongressFactory, MembershipFactory, UserFactory
from tests.stations.factories import OpinionCategoryFactory, StationAssignmentFactory, StationFactory

CITIZEN_MOBILE = "13812345678"


@pytest.fixture(autouse=True)
def eager_celery_and_clean_cache(settings):
    """Tasks queued on commit run at once in the test process; rate-limit counters start from zero.

    Celery reads CELERY_TASK_ALWAYS_EAGER from Django's settings on each lookup, so the settings fixture is enough.
    """
    settings.CELERY_TASK_ALWAYS_EAGER = True
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
    return OpinionCategoryFactory(code="road", name="道路交通")


@pytest.fixture
def manager_a(township):
    return UserFactory(username="manager_a", role=User.Role.STATION_MANAGER, region=township)


@pytest.fixture
def manager_b(regions):
    return UserFactory(username="manager_b", role=User.Role.STATION_MANAGER, region=regions["hengnan"])


@pytest.fixture
def station_a(township, manager_a):
    station = StationFactory(region=township, name="嵩山路街道代表联络站")
    station.managers.add(manager_a)
    return station


@pytest.fixture
def station_b(regions, manager_b):
    station = StationFactory(region=regions["hengnan"], name="云集街道代表联络站")
    station.managers.add(manager_b)
    return station


@pytest.fixture
def congress(regions):
    return CongressFactory(region=regions["tianyuan"], name="天元区第五届人民代表大会", level=4)


@pytest.fixture
def deputy_user(congress, station_a):
    user = UserFactory(username="deputy_zhang", role=User.Role.DEPUTY, display_name="张建国")
    membership = MembershipFactory(congress=congress, deputy__name="张建国", deputy__user=user)
    StationAssignmentFactory(station=station_a, deputy=membership.deputy, since=datetime.date(2023, 1, 1))
    return user


@pytest.fixture
def deputy(deputy_user):
    return deputy_user.deputy
