"""Every list page and API endpoint runs a constant number of queries at 5 and at 200 rows."""

import datetime

import pytest
from django.urls import reverse

from stations.models import Opinion, ReceptionDay, Station, StationAssignment
from stations.services import new_tracking_code
from tests.factories import MembershipFactory
from tests.security.helpers import password_just_entered

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[5, 200])
def rows(request, township, station_a, congress, category):
    """``n`` stations with two deputies each, ``n`` opinions and ``n`` held reception days, written in bulk."""
    n = request.param
    stations = [station_a] + Station.objects.bulk_create(
        Station(region=township, name=f"批量联络站{i}") for i in range(n - 1)
    )
    deputies = [MembershipFactory(congress=congress).deputy for _ in range(3)]
    StationAssignment.objects.bulk_create(
        StationAssignment(station=station, deputy=deputy, since=datetime.date(2023, 1, 1))
        for station in stations
        for deputy in deputies[:2]
    )
    Opinion.objects.bulk_create(
        Opinion(
            tracking_code=new_tracking_code(),
            station=station_a,
            region=township,
            category=category,
            content=f"批量意见{i}",
            mobile=f"137{i:08d}",
        )
        for i in range(n)
    )
    days = ReceptionDay.objects.bulk_create(
        ReceptionDay(station=station_a, date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i), status="held")
        for i in range(n)
    )
    on_duty = ReceptionDay.deputies_on_duty.through
    present = ReceptionDay.deputies_present.through
    on_duty.objects.bulk_create(on_duty(receptionday=day, deputy=deputy) for day in days for deputy in deputies)
    present.objects.bulk_create(present(receptionday=day, deputy=deputy) for day in days for deputy in deputies[:2])
    ReceptionDay.objects.create(station=station_a, date=datetime.date(2099, 1, 1))
    return n


PAGES = [
    # measured at 5 and 200 rows: 9, 4, 5, 7, 10; +3 for the session and login bookkeeping of the first request,
    # +1 for the header's unread-notification count
    ("stations:opinion_list", 13),
    ("stations:opinion_export", 7),
    ("stations:station_list", 9),
    ("stations:reception_list", 11),
    ("stations:figures", 14),
]


@pytest.mark.parametrize(("name", "limit"), PAGES)
def test_working_pages_run_a_constant_number_of_queries(
    client, staff_zz, rows, name, limit, django_assert_max_num_queries
):
    client.force_login(staff_zz)
    if name == "stations:opinion_export":
        password_just_entered(client)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/opinions/", "/api/v1/stations/", "/api/v1/reception-days/", "/api/v1/opinion-categories/"]
)
def test_scoped_api_runs_a_constant_number_of_queries(client, staff_zz, rows, url, django_assert_max_num_queries):
    client.force_login(staff_zz)
    with django_assert_max_num_queries(10):  # measured: 5 (opinions, stations), 7 (reception days)
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200


def test_public_pages_run_a_constant_number_of_queries(client, rows, station_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(reverse("stations:directory")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/public/stations/", {"page_size": 100}).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("stations:public_station", args=[station_a.pk])).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/public/stations/{station_a.pk}/").status_code == 200


def test_manager_workbench_runs_a_constant_number_of_queries(client, manager_a, rows, django_assert_max_num_queries):
    client.force_login(manager_a)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "待处理群众意见" in response.text
