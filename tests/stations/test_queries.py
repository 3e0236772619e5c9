"""Every list page and API endpoint runs a constant number of queries at 5 and at 200 rows."""

import datetime

import pytest
from django.urls import reverse

from stations.models import ReceptionDay
from tests.factories import MembershipFactory
from tests.stations.factories import (
    OpinionFactory,
    ReceptionDayFactory,
    StationAssignmentFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[5, 200])
def rows(request, township, station_a, congress, category):
    n = request.param
    stations = [station_a, *StationFactory.create_batch(n - 1, region=township)]
    deputies = [MembershipFactory(congress=congress).deputy for _ in range(3)]
    for station in stations:
        for deputy in deputies[:2]:
            StationAssignmentFactory(station=station, deputy=deputy)
    OpinionFactory.create_batch(n, station=station_a, category=category)
    for i in range(n):
        day = ReceptionDayFactory(
            station=station_a, date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i), status="held"
        )
        day.deputies_on_duty.set(deputies)
        day.deputies_present.set(deputies[:2])
    ReceptionDay.objects.create(station=station_a, date=datetime.date(2099, 1, 1))
    return n


PAGES = [
    ("stations:opinion_list", 14),
    ("stations:opinion_export", 10),
    ("stations:station_list", 12),
    ("stations:reception_list", 14),
    ("stations:figures", 16),
]


@pytest.mark.parametrize(("name", "limit"), PAGES)
def test_working_pages_run_a_constant_number_of_queries(
    client, staff_zz, rows, name, limit, django_assert_max_num_queries
):
    client.force_login(staff_zz)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/opinions/", "/api/v1/stations/", "/api/v1/reception-days/", "/api/v1/opinion-categories/"]
)
def test_scoped_api_runs_a_constant_number_of_queries(client, staff_zz, rows, url, django_assert_max_num_queries):
    client.force_login(staff_zz)
    with django_assert_max_num_queries(10):
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200


def test_public_pages_run_a_constant_number_of_queries(client, rows, station_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(reverse("stations:directory")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/public/stations/", {"page_size": 100}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("stations:public_station", args=[station_a.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/api/v1/public/stations/{station_a.pk}/").status_code == 200


def test_manager_workbench_runs_a_constant_number_of_queries(client, manager_a, rows, django_assert_max_num_queries):
    client.force_login(manager_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "待处理群众意见" in response.text
