import datetime

import pytest
from django.utils import timezone

from stations import services
from stations.workbench import cards
from tests.stations.factories import OpinionFactory

pytestmark = pytest.mark.django_db


def test_manager_cards_show_opinions_to_triage_logs_to_fill_and_the_calendar(station_a, station_b, manager_a, category):
    OpinionFactory.create_batch(2, station=station_a, category=category)
    OpinionFactory(station=station_b, category=category)
    today = timezone.localdate()
    services.reception_day_schedule(actor=manager_a, station=station_a, date=today - datetime.timedelta(days=2))
    services.reception_day_schedule(actor=manager_a, station=station_a, date=today + datetime.timedelta(days=5))
    by_title = {card.title: card for card in cards(manager_a)}
    assert by_title["待处理群众意见"].count == 2
    assert by_title["待填接待记录"].count == 1
    assert by_title["接待日安排"].count == 1
    calendar = by_title["接待日安排"]
    assert len(calendar.items) == 1 and "嵩山路街道代表联络站" in calendar.items[0]
    assert calendar.hint == ""  # the dates are listed once, as the items, not again in the hint
    assert by_title["联络站"].count == 1


def test_deputy_cards_show_untriaged_opinions_of_my_stations_and_my_next_reception_day(
    station_a, station_b, manager_a, deputy_user, category
):
    OpinionFactory(station=station_a, category=category)
    OpinionFactory(station=station_b, category=category)
    day = services.reception_day_schedule(
        actor=manager_a, station=station_a, date=timezone.localdate() + datetime.timedelta(days=3)
    )
    by_title = {card.title: card for card in cards(deputy_user)}
    assert by_title["本站待处理群众意见"].count == 1
    assert f"{day.date.year}年{day.date.month}月{day.date.day}日" in by_title["下次接待日"].hint


def test_unit_users_get_no_station_cards(unit_zz):
    assert cards(unit_zz) == []
