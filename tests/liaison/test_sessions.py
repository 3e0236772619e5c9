"""Sessions from Redis with the session table behind them (liaison.sessions), and the signed-in user kept in Redis
(liaison.auth): as the test settings configure them, which are production's (the fail-open Redis cache)."""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.models import User
from liaison.notifications.services import user_language_set
from tests.factories import DeputyFactory, UserFactory

PAGE = "/notifications/"  # any signed-in user's page


def _deputy(regions):
    return UserFactory(username="deputy_zz", role=User.Role.DEPUTY, region=regions["zhuzhou"])


def _session_statements(client, path, table="django_session"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q["sql"] for q in queries.captured_queries if f'"{table}"' in q["sql"]]


def _signed_in(client, password, username="deputy_zz"):
    assert client.post(reverse("login"), {"username": username, "password": password}).status_code == 302
    client.get(PAGE)  # notes the activity and caches the user


def test_the_production_settings_read_sessions_from_the_cache():
    assert settings.SESSION_ENGINE == "liaison.sessions"
    assert settings.CACHES["default"]["BACKEND"] == "liaison.cache.ResilientRedisCache"


def test_a_signed_in_request_reads_its_session_from_redis_not_from_the_table(client, regions, password):
    _deputy(regions)
    assert client.post(reverse("login"), {"username": "deputy_zz", "password": password}).status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()  # the table keeps it
    client.get(PAGE)  # the first page notes the activity (a session write at most once a minute)
    response, statements = _session_statements(client, PAGE)
    assert response.status_code == 200 and statements == []
    cache.delete(KEY_PREFIX + key)  # Redis lost it (a restart): the table answers, and fills the cache again
    response, statements = _session_statements(client, PAGE)
    assert response.status_code == 200 and len(statements) == 1
    response, statements = _session_statements(client, PAGE)
    assert response.status_code == 200 and statements == []


def test_a_signed_out_session_is_gone_from_the_cache_and_the_table(client, regions, password):
    _deputy(regions)
    client.post(reverse("login"), {"username": "deputy_zz", "password": password})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(PAGE).status_code == 200
    assert client.post(reverse("logout")).status_code in (200, 302)
    assert cache.get(KEY_PREFIX + key) is None and not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie, replayed
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_session_stays_in_the_cache_at_most_session_cache_seconds(client, regions, password):
    _deputy(regions)
    client.post(reverse("login"), {"username": "deputy_zz", "password": password})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    redis_key = cache.make_key(KEY_PREFIX + key)
    ttl = cache._cache.get_client(redis_key).ttl(redis_key)
    assert 0 < ttl <= settings.SESSION_CACHE_SECONDS < settings.SESSION_COOKIE_AGE


def test_the_signed_in_user_is_read_from_redis_and_forgotten_when_it_changes(client, regions, password):
    user = _deputy(regions)
    _signed_in(client, password)
    response, statements = _session_statements(client, PAGE, table=User._meta.db_table)
    assert response.status_code == 200 and not [sql for sql in statements if sql.startswith("SELECT")]
    user.display_name = "张建国（新）"
    user.save()
    assert "张建国（新）" in client.get(PAGE).content.decode()
    user_language_set(actor=user, language="en")  # a QuerySet.update, forgotten by hand
    assert '<html lang="en"' in client.get(PAGE).content.decode()
    user.is_active = False
    user.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_deputys_record_change_is_seen_on_the_next_request(client, regions, password):
    user = _deputy(regions)
    deputy = DeputyFactory(user=user, name="张建国")
    _signed_in(client, password)
    assert client.get(PAGE).wsgi_request.user.deputy.name == "张建国"
    deputy.name = "张建华"
    deputy.save()
    assert client.get(PAGE).wsgi_request.user.deputy.name == "张建华"


def test_no_mobile_number_is_decrypted_for_the_request_or_kept_in_clear_in_redis(client, regions, password):
    user = UserFactory(username="deputy_zz", role=User.Role.DEPUTY, region=regions["zhuzhou"], mobile="13812345678")
    DeputyFactory(user=user, mobile="13987654321")
    _signed_in(client, password)
    request_user = client.get(PAGE).wsgi_request.user
    assert {"mobile"} <= request_user.get_deferred_fields() and {"mobile"} <= request_user.deputy.get_deferred_fields()
    redis_key = cache.make_key(f"auth:user:{user.pk}")
    raw = cache._cache.get_client(redis_key).get(redis_key)
    assert raw and b"13812345678" not in raw and b"13987654321" not in raw
    assert request_user.mobile == "13812345678"  # read (and decrypted) when a page asks for it
