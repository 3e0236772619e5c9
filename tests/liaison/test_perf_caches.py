"""The caches that keep province-scale pages fast stay correct: card counts per scope, the public station page
per station and language, and the deputies' points ranking dropped whenever what it is made of changes."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputies import selectors as deputy_selectors
from deputies import services as deputy_services
from deputies.models import DutyKind, Membership
from liaison.workbench import cards_for, count_of
from stations.models import Station
from tests.factories import CongressFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_card_counts_are_reused_within_the_window_and_kept_apart_by_scope(settings, regions):
    settings.WORKBENCH_COUNT_SECONDS = 60
    zz, hy = CongressFactory(region=regions["zhuzhou"]), CongressFactory(region=regions["hengyang"])
    MembershipFactory.create_batch(3, congress=zz)
    MembershipFactory(congress=hy)
    zz_seats = Membership.objects.filter(congress__region=regions["zhuzhou"])
    hy_seats = Membership.objects.filter(congress__region=regions["hengyang"])
    assert count_of(zz_seats) == 3
    MembershipFactory(congress=zz)
    with CaptureQueriesContext(connection) as ctx:
        assert count_of(zz_seats) == 3  # the cached figure, no query
    assert len(ctx) == 0
    assert count_of(hy_seats) == 1  # another scope, another statement, another key
    assert count_of(zz_seats.filter(status="in_office")) == 4


def test_card_counts_are_fresh_when_caching_is_off(settings, regions):
    settings.WORKBENCH_COUNT_SECONDS = 0
    zz = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory(congress=zz)
    seats = Membership.objects.filter(congress=zz)
    assert count_of(seats) == 1
    MembershipFactory(congress=zz)
    assert count_of(seats) == 2


def test_public_station_page_is_served_from_the_cache_per_language(client, settings, regions):
    settings.PUBLIC_STATION_CACHE_SECONDS = 60
    station = Station.objects.create(region=regions["zhuzhou"], name="荷塘区代表联络站", address="新华西路1号")
    first = client.get(f"/stations/s/{station.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert first.status_code == 200 and "新华西路1号" in first.content.decode()
    Station.objects.filter(pk=station.pk).update(address="建设中路2号")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(f"/stations/s/{station.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "新华西路1号" in again.content.decode()  # a minute-old copy, by design
    assert not any("stations_station" in q["sql"] for q in ctx.captured_queries)
    english = client.get(f"/stations/s/{station.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "建设中路2号" in english.content.decode()  # its own key: rendered afresh
    cache.clear()
    assert "建设中路2号" in client.get(f"/stations/s/{station.pk}/").content.decode()


def test_public_directory_pages_are_cached_per_query_and_language(client, regions, settings):
    settings.PUBLIC_STATION_CACHE_SECONDS = 60
    Station.objects.create(region=regions["zhuzhou"], name="荷塘区代表联络站", address="新华西路1号")
    Station.objects.create(region=regions["zhuzhou"], name="芦淞区代表联络站", address="建设南路8号")
    first = client.get("/stations/directory/", {"q": "荷塘"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "荷塘区代表联络站" in first and "芦淞区代表联络站" not in first
    assert 'value="荷塘"' in first  # the search box keeps what the citizen typed
    Station.objects.filter(name="荷塘区代表联络站").update(address="建设中路2号")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/stations/directory/", {"q": "荷塘"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新华西路1号" in again  # a minute-old copy, by design
    assert not any("stations_station" in q["sql"] for q in ctx.captured_queries)
    other = client.get("/stations/directory/", {"q": "芦淞"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "芦淞区代表联络站" in other and "荷塘区代表联络站" not in other  # another query, its own copy
    english = client.get("/stations/directory/", {"q": "荷塘"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "建设中路2号" in english and "Find" in english  # its own key: rendered afresh, in English


def test_unknown_station_is_404_and_nothing_is_cached(client, settings):
    settings.PUBLIC_STATION_CACHE_SECONDS = 60
    assert client.get("/stations/s/999999/").status_code == 404
    assert client.get("/stations/s/999999/").status_code == 404


@pytest.mark.django_db(transaction=True)  # real commits: the cache is dropped by an on-commit hook
def test_points_ranking_is_cached_until_a_duty_record_changes_it(regions, staff_zz):
    congress = CongressFactory(region=regions["zhuzhou"])
    first, second = MembershipFactory.create_batch(2, congress=congress)
    deputy_services.point_rule_set(
        actor=staff_zz,
        congress=congress,
        kind=DutyKind.STATION_RECEPTION,
        points=5,
        valid_from=datetime.date(2020, 1, 1),
    )
    year = timezone.localdate().year
    before = deputy_selectors.congress_ranking(congress=congress, year=year)
    assert {row[0]: row[1] for row in before} == {first.pk: 0, second.pk: 0}
    with CaptureQueriesContext(connection) as ctx:
        assert deputy_selectors.congress_ranking(congress=congress, year=year) == before
    assert len(ctx) == 0  # version and ranking both come from the cache
    deputy_services.duty_record_create(
        actor=staff_zz, membership=second, kind=DutyKind.STATION_RECEPTION, occurred_on=timezone.localdate()
    )
    after = {row[0]: (row[1], row[2]) for row in deputy_selectors.congress_ranking(congress=congress, year=year)}
    assert after[second.pk] == (5, 1) and after[first.pk] == (0, 2)
    summary = deputy_selectors.deputy_points_summary(deputy=second.deputy, year=year)
    assert [(s["points"], s["rank"], s["of"]) for s in summary] == [(5, 1, 2)]


def test_home_cards_are_kept_per_user_and_scope_within_the_window(settings, staff_zz, staff_hy, regions):
    settings.WORKBENCH_COUNT_SECONDS = 60
    zz = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory.create_batch(2, congress=zz)

    def seats(user):
        return next(c for c in cards_for(user) if c.title == "在任代表").count

    assert seats(staff_zz) == 2
    MembershipFactory(congress=zz)
    with CaptureQueriesContext(connection) as ctx:
        assert seats(staff_zz) == 2  # the kept cards: no query at all
    assert len(ctx) == 0
    assert seats(staff_hy) == 0  # another user and scope: built afresh
    staff_zz.region = regions["hengyang"]  # moved to another city: another key, not the old city's cards
    assert seats(staff_zz) == 0
    cache.clear()
    staff_zz.region = regions["zhuzhou"]
    assert seats(staff_zz) == 3


@pytest.mark.django_db(transaction=True)  # the badge is forgotten on commit
def test_unread_badge_is_kept_until_a_notification_arrives_or_is_read(settings, staff_zz, staff_hy):
    from liaison.notifications import services as notification_services
    from liaison.notifications.selectors import unread_count

    settings.WORKBENCH_COUNT_SECONDS = 60
    first = notification_services.notify(staff_zz, "message", {"title": "交办会通知", "body": "周五上午九点"})
    assert unread_count(user=staff_zz) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert unread_count(user=staff_zz) == 1  # every page's header: no query within the window
    assert len(ctx) == 0
    notification_services.notify(staff_zz, "message", {"title": "督办提醒", "body": "请按期答复"})
    assert unread_count(user=staff_zz) == 2  # a delivery is seen on the next page, not a window later
    assert unread_count(user=staff_hy) == 0  # kept per user
    notification_services.notification_mark_read(actor=staff_zz, notification_id=first.pk)
    assert unread_count(user=staff_zz) == 1
    notification_services.notifications_mark_all_read(actor=staff_zz)
    assert unread_count(user=staff_zz) == 0


def test_the_redis_cache_shares_one_client_per_pool_across_operations():
    """Django builds a ``redis.Redis`` per operation; ours keeps one per connection pool and still works."""
    import os

    from liaison.cache import ResilientRedisCache

    redis_cache = ResilientRedisCache(os.environ["REDIS_URL"], {})
    redis_cache.set("perf-cache-probe", {"count": 1}, 30)
    assert redis_cache.get("perf-cache-probe") == {"count": 1}
    redis_cache.delete("perf-cache-counter")
    assert redis_cache.add("perf-cache-counter", 0, 30) is True
    assert redis_cache.incr("perf-cache-counter", 2) == 2
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client("perf-cache-probe") is client  # one server: reads and writes share it
    redis_cache.delete_many(["perf-cache-probe", "perf-cache-counter"])
    assert redis_cache.get("perf-cache-probe") is None


@pytest.mark.django_db(transaction=True)  # the background count reads what this test committed
def test_stale_cards_are_shown_at_once_and_counted_again_in_the_background(settings, staff_zz, regions):
    """Past the window, the page does not wait for a province's counts: it shows the kept cards and one background
    thread counts afresh for the next visit."""
    import time

    from tests.stations.factories import StationFactory

    settings.WORKBENCH_COUNT_SECONDS = 1
    StationFactory(region=regions["zhuzhou"])

    def stations_card(cards):
        return next(card.count for card in cards if card.url == "/stations/")

    assert stations_card(cards_for(staff_zz)) == 1  # the first visit counts while it waits
    StationFactory(region=regions["zhuzhou"])
    time.sleep(1.1)
    with CaptureQueriesContext(connection) as ctx:
        assert stations_card(cards_for(staff_zz)) == 1  # stale, shown at once
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    deadline = time.monotonic() + 10
    while stations_card(cards_for(staff_zz)) != 2:  # counted again by the thread, without this request
        assert time.monotonic() < deadline, "the background count never arrived"
        time.sleep(0.05)


def test_menu_paths_are_reversed_once_and_follow_the_script_prefix():
    from django.urls import clear_script_prefix, reverse, set_script_prefix

    from liaison.links import path_to

    assert path_to("proposals:list") == reverse("proposals:list") == "/proposals/"
    set_script_prefix("/liaison/")  # deployed under a sub-path
    try:
        assert path_to("proposals:list") == reverse("proposals:list") == "/liaison/proposals/"
    finally:
        clear_script_prefix()
    assert path_to("proposals:list") == "/proposals/"
