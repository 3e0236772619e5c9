import pytest
from django.urls import reverse

from tests.factories import CongressFactory, MembershipFactory


@pytest.mark.parametrize("rows", [5, 500])
def test_membership_api_runs_a_constant_number_of_queries(
    client, staff_zz, regions, rows, django_assert_max_num_queries
):
    congress = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory.create_batch(rows, congress=congress)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/memberships/?page_size=100")
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(rows, 100)


@pytest.mark.parametrize("rows", [5, 500])
def test_roster_page_runs_a_constant_number_of_queries(client, staff_zz, regions, rows, django_assert_max_num_queries):
    congress = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory.create_batch(rows, congress=congress)
    client.force_login(staff_zz)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deputies:roster"))
    assert response.status_code == 200
