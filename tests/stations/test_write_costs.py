"""What a citizen's QR submission costs: three statements once the small tables it reads are cached, the category
list kept true when staff change it, and the rate limits counted in one Redis round trip."""

import os

import pytest
from django.urls import reverse

from liaison.models import AuditLog
from stations import selectors
from stations.models import Opinion
from tests.stations.conftest import CITIZEN_MOBILE
from tests.stations.factories import OpinionCategoryFactory

pytestmark = pytest.mark.django_db


def _form(station):
    return reverse("stations:opinion_station", args=[station.pk])


def _post(client, station, category, **overrides):
    data = {"category": category if isinstance(category, str) else category.pk, "mobile": CITIZEN_MOBILE}
    data.update({"content": "小区门口路灯坏了三个月，晚上出行不便", "citizen_name": "王阿姨", "website": ""})
    data.update(overrides)
    return client.post(_form(station), data, REMOTE_ADDR="10.1.1.1")


def _select(html):
    return html[html.index('<select name="category"') : html.index("</select>") + len("</select>")]


@pytest.fixture
def cached(settings):
    settings.OPINION_CATEGORY_CACHE_SECONDS = 60
    settings.PUBLIC_STATION_CACHE_SECONDS = 60


@pytest.fixture(params=[3, 40])
def categories(request, category):
    return [category] + [OpinionCategoryFactory() for _ in range(request.param - 1)]


def test_a_submission_runs_three_statements_once_the_station_and_categories_are_cached(
    client, station_a, categories, cached, django_assert_num_queries
):
    assert client.get(_form(station_a)).status_code == 200  # the citizen opens the form: the caches fill
    # The duplicate check, the opinion and its audit row; the service's transaction is a savepoint inside the
    # test's (+2), and the opinion's insert has its own so that a tracking-code clash is retried (+2). No session is
    # written: the thanks page reads a signed cookie.
    with django_assert_num_queries(7):
        response = _post(client, station_a, categories[-1])
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.station, opinion.region, opinion.category) == (station_a, station_a.region, categories[-1])
    assert opinion.mobile == CITIZEN_MOBILE and opinion.mobile_hash and opinion.content_hash
    assert AuditLog.objects.filter(action="opinion.submit", object_id=str(opinion.pk)).count() == 1


def test_the_cached_form_offers_the_same_choices_as_the_database(client, station_a, categories, settings):
    settings.OPINION_CATEGORY_CACHE_SECONDS = 0
    uncached = _select(client.get(_form(station_a)).text)
    settings.OPINION_CATEGORY_CACHE_SECONDS = 60
    client.get(_form(station_a))
    assert _select(client.get(_form(station_a)).text) == uncached
    assert uncached.count("<option") == len(categories) + 1  # and 请选择


@pytest.mark.parametrize("value", ["abc", "999999999", "1.5", ""])
def test_an_unknown_category_is_refused_as_before(client, station_a, category, cached, value):
    response = _post(client, station_a, value)
    assert response.status_code == 400
    assert "请选择意见类别。" in response.text
    assert Opinion.objects.count() == 0


def test_staff_see_a_new_or_withdrawn_category_at_once(
    client, station_a, category, cached, django_capture_on_commit_callbacks
):
    assert "道路交通" in client.get(_form(station_a)).text
    with django_capture_on_commit_callbacks(execute=True):
        OpinionCategoryFactory(code="water", name="供水供电")
    assert "供水供电" in client.get(_form(station_a)).text
    with django_capture_on_commit_callbacks(execute=True):
        category.is_active = False
        category.save()
    assert "道路交通" not in client.get(_form(station_a)).text
    assert _post(client, station_a, category).status_code == 400
    assert selectors.active_category(code="road") is None


def test_a_withdrawn_station_keeps_its_cached_form_a_minute_then_answers_404(
    client, station_a, category, cached, settings
):
    import time_machine
    from django.utils import timezone

    # time_machine moves this process's clock, not Redis's: the minute is checked on a local-memory cache, whose
    # expiry reads the process's clock (Redis's own expiry is Redis's behaviour, not ours)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "expiry"}}
    assert client.get(_form(station_a)).status_code == 200
    station_a.is_active = False
    station_a.save()
    assert client.get(_form(station_a)).status_code == 200  # as its public page, for up to a minute
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        assert client.get(_form(station_a)).status_code == 404


@pytest.fixture
def redis_cache(settings):
    import redis

    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/4"
    redis.Redis.from_url(url).flushdb()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    yield redis.Redis.from_url(url)
    redis.Redis.from_url(url).flushdb()


def test_rate_limits_count_on_redis_with_their_window(client, station_a, category, settings, redis_cache):
    settings.OPINION_RATE_LIMIT_MOBILE = (2, 3600)
    for n in range(2):
        assert _post(client, station_a, category, content=f"第{n}条意见内容，请处理").status_code == 302
    response = _post(client, station_a, category, content="第三条意见内容，请处理")
    assert response.status_code == 429
    assert "提交过于频繁，请一小时后再试。" in response.text
    assert Opinion.objects.count() == 2
    counters = redis_cache.keys("*opinion-rate:*")
    assert len(counters) == 2  # the mobile's and the address's
    for key in counters:
        assert 3500 < redis_cache.ttl(key) <= 3600
    assert sorted(int(redis_cache.get(key)) for key in counters) == [3, 3]
