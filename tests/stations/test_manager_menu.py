"""The station manager's header menu holds their real pages, not only 工作台."""

from django.urls import reverse

from liaison.models import User
from tests.factories import UserFactory


def test_station_manager_menu_lists_stations_receptions_and_opinions(client, regions):
    manager = UserFactory(username="mgr", role=User.Role.STATION_MANAGER, region=regions["tianyuan"])
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    urls = [item["url"] for item in response.context["nav_items"]]
    assert urls == [
        reverse("home"),
        reverse("stations:station_list"),
        reverse("stations:reception_list"),
        reverse("stations:opinion_list"),
        reverse("stations:figures"),
    ]
    for url in urls[1:]:
        assert client.get(url).status_code == 200
