"""Every list, page and API alike, runs the same number of queries for 5 rows as for 200."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.models import DutyKind
from liaison.models import User
from tests.factories import CongressFactory, DutyRecordFactory, MembershipFactory, UserFactory
from tests.security.helpers import password_just_entered

SIZES = [5, 200]


@pytest.fixture
def congress(regions):
    return CongressFactory(region=regions["zhuzhou"])


def seats(congress, rows):
    return MembershipFactory.create_batch(rows, congress=congress)


def records(congress, rows, **kwargs):
    year = timezone.localdate().year
    services.point_rule_set(
        actor=None, congress=congress, kind=DutyKind.INSPECTION, points=4, valid_from=datetime.date(year, 1, 1)
    )
    return DutyRecordFactory.create_batch(
        rows, membership__congress=congress, occurred_on=datetime.date(year, 1, 2), **kwargs
    )


@pytest.mark.parametrize("rows", SIZES)
def test_membership_api_runs_a_constant_number_of_queries(
    client, staff_zz, congress, rows, django_assert_max_num_queries
):
    seats(congress, rows)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/memberships/?page_size=100")
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(rows, 100)


@pytest.mark.parametrize("rows", SIZES)
def test_deputy_api_runs_a_constant_number_of_queries(client, staff_zz, congress, rows, django_assert_max_num_queries):
    seats(congress, rows)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/deputies/?page_size=100")
    assert len(response.json()["results"]) == min(rows, 100)


@pytest.mark.parametrize("rows", SIZES)
def test_congress_api_runs_a_constant_number_of_queries(client, staff_zz, regions, rows, django_assert_max_num_queries):
    CongressFactory.create_batch(rows, region=regions["zhuzhou"])
    client.force_login(staff_zz)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/congresses/?page_size=100")
    assert len(response.json()["results"]) == min(rows, 100)


@pytest.mark.parametrize("rows", SIZES)
def test_duty_record_api_runs_a_constant_number_of_queries(
    client, staff_zz, congress, rows, django_assert_max_num_queries
):
    records(congress, rows)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/duty-records/?page_size=100")
    assert len(response.json()["results"]) == min(rows, 100)
    assert response.json()["results"][0]["points"] == "4.00"


@pytest.mark.parametrize("rows", SIZES)
def test_ranking_api_runs_a_constant_number_of_queries(client, staff_zz, congress, rows, django_assert_max_num_queries):
    records(congress, rows)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(9):
        response = client.get(f"/api/v1/congresses/{congress.pk}/ranking/?page_size=100")
    assert len(response.json()["results"]) == min(rows, 100)


@pytest.mark.parametrize("rows", SIZES)
def test_roster_page_runs_a_constant_number_of_queries(client, staff_zz, congress, rows, django_assert_max_num_queries):
    seats(congress, rows)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deputies:roster"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_roster_export_runs_a_constant_number_of_queries(
    client, staff_zz, congress, rows, django_assert_max_num_queries
):
    seats(congress, rows)
    client.force_login(staff_zz)
    password_just_entered(client)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("deputies:roster_export"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_duty_record_page_runs_a_constant_number_of_queries(
    client, staff_zz, congress, rows, django_assert_max_num_queries
):
    records(congress, rows, entered_by=staff_zz)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deputies:duty_records"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 50)


@pytest.mark.parametrize("rows", SIZES)
def test_ranking_page_and_export_run_a_constant_number_of_queries(
    client, staff_zz, congress, rows, django_assert_max_num_queries
):
    records(congress, rows)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deputies:ranking", args=[congress.pk]))
    assert len(response.context["rows"]) == rows
    with django_assert_max_num_queries(10):
        assert client.get(reverse("deputies:ranking_export", args=[congress.pk])).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_deputy_portal_runs_a_constant_number_of_queries(client, congress, rows, django_assert_max_num_queries):
    user = UserFactory(role=User.Role.DEPUTY)
    mine = MembershipFactory(congress=congress, deputy__user=user)
    records(congress, rows)
    DutyRecordFactory.create_batch(rows, membership=mine, occurred_on=datetime.date(timezone.localdate().year, 1, 3))
    client.force_login(user)
    # 12 for the portal itself, +1 unread count, +3 for the deputy's cards from proposals, stations and votes
    with django_assert_max_num_queries(16):
        response = client.get(reverse("deputies:portal"))
    assert response.status_code == 200
