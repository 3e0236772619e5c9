"""Each input that used to give a 500 on the demo data (issue 18): now a 400 naming the parameter, a 404 for an id
beyond the database range, or the page again with the message."""

import pytest
from django.contrib.messages import get_messages

from deputies.models import Congress
from proposals.models import Proposal
from stations.models import Station
from tests.fuzz.demo import client_for, demo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=False)

TOO_BIG = "99999999999999999999"


@pytest.fixture
def staff(demo):  # noqa: F811
    return client_for("staff_zz")


@pytest.fixture
def deputy_client(demo):  # noqa: F811
    return client_for("deputy_zz")


@pytest.mark.parametrize("path", ["/votes/results/?year=abc", "/votes/projects/?year=abc", "/votes/projects/?year=-1"])
def test_a_public_vote_list_with_a_bad_year_is_a_400_naming_year(demo, path):  # noqa: F811
    response = client_for(None).get(path)
    assert response.status_code == 400
    assert "year" in response.content.decode()


def test_a_public_deputy_id_beyond_the_bigint_range_is_a_404(demo):  # noqa: F811
    assert client_for(None).get(f"/public/deputies/{TOO_BIG}/").status_code == 404


def test_scheduling_a_reception_day_with_impossible_deputy_ids_is_a_400(demo):  # noqa: F811
    station = Station.objects.order_by("pk").first()
    response = client_for("manager_zz").post(
        "/api/v1/reception-days/schedule/",
        {"station": station.pk, "date": "2026-12-20", "deputies_on_duty": [-1, int(TOO_BIG)]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "deputies_on_duty" in response.json()["fields"]


@pytest.mark.parametrize(
    ("query", "name"),
    [("date_from=2024-02-30", "date_from"), ("date_to=abc", "date_to"), ("region=abc", "region"), ("unit=abc", "unit")],
)
def test_proposal_figures_with_a_bad_parameter_are_a_400_naming_it(staff, query, name):
    response = staff.get(f"/api/v1/proposals/figures/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert name in body["message"]
    assert name in body["fields"]


@pytest.mark.parametrize("year", ["-1", "99999999", "abc"])
def test_a_ranking_for_an_impossible_year_is_a_400(staff, year):
    congress = Congress.objects.visible_to(_staff()).first()
    response = staff.get(f"/api/v1/congresses/{congress.pk}/ranking/?year={year}")
    assert response.status_code == 400
    assert "year" in response.json()["fields"]


@pytest.mark.parametrize("year", ["-1", "99999999", "abc"])
def test_the_ranking_page_for_an_impossible_year_is_a_400_naming_year(staff, year):
    congress = Congress.objects.visible_to(_staff()).first()
    for path in (f"/deputies/ranking/{congress.pk}/?year={year}", f"/deputies/ranking/?year={year}"):
        response = staff.get(path)
        assert response.status_code == 400, path
        assert "year" in response.content.decode()
    assert staff.get(f"/deputies/ranking/{congress.pk}/?year=2024").status_code == 200


def _staff():
    from liaison.models import User

    return User.objects.get(username="staff_zz")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _staff_proposal():
    return Proposal.objects.visible_to(_staff()).order_by("pk").first()


@pytest.mark.parametrize(
    ("action", "data", "expected"),
    [
        ("extend", {"deadline": "2026-02-30", "reason": "x"}, "deadline"),
        ("contact", {"contacted_on": "2026-13-45", "stage": "before", "way": "phone"}, "contacted_on"),
        ("merge", {"into": "abc"}, "into"),
        ("attach", {}, "请选择要上传的文件"),
    ],
)
def test_staff_actions_with_bad_fields_come_back_with_the_message(staff, action, data, expected):
    proposal = _staff_proposal()
    response = staff.post(f"/proposals/{proposal.pk}/act/{action}/", data)
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url()
    assert any(expected in m for m in _messages(response))


@pytest.mark.parametrize(
    ("action", "data", "expected"),
    [
        ("cosigner_add", {"deputy": "abc"}, "deputy"),
        ("cosigner_add", {"deputy": TOO_BIG}, "deputy"),
        ("attach", {}, "请选择要上传的文件"),
        ("reply", {"reply_class": "A", "text": "x", "promised_on": "2026-02-30"}, "promised_on"),
    ],
)
def test_deputy_actions_with_bad_fields_come_back_with_the_message(deputy_client, action, data, expected):
    proposal = Proposal.objects.filter(lead_deputy__user__username="deputy_zz").order_by("pk").first()
    response = deputy_client.post(f"/proposals/{proposal.pk}/act/{action}/", data)
    assert response.status_code == 302
    assert any(expected in m for m in _messages(response))


@pytest.mark.parametrize(("query", "name"), [("station=abc", "station"), ("from=2024-02-30", "from"), ("to=x", "to")])
def test_station_figures_with_a_bad_parameter_are_a_400_naming_it(staff, query, name):
    response = staff.get(f"/stations/figures/?{query}")
    assert response.status_code == 400
    assert f"参数 {name} 无效" in response.content.decode()


@pytest.mark.parametrize(("query", "name"), [("level=abc", "level"), ("level=9", "level"), ("congress=-1", "congress")])
def test_the_roster_with_a_bad_filter_is_a_400_naming_it(staff, query, name):
    response = staff.get(f"/deputies/roster/?{query}")
    assert response.status_code == 400
    assert f"参数 {name} 无效" in response.content.decode()


@pytest.mark.parametrize("path", ["/public/deputies/0/", "/proposals/-1/", "/proposals/abc/"])
def test_path_ids_outside_the_database_range_are_404(staff, path):
    assert staff.get(path).status_code == 404
