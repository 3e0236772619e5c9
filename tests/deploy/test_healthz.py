"""/healthz answers whatever the Host and the scheme, and names the part that is down."""

import pytest
from django.test import override_settings

from config.celery import app

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[], ALLOWED_HOSTS=["liaison.example.gov.cn"])
def test_answers_on_loopback_without_redirect_under_production_security(client):
    assert client.get("/login/", HTTP_HOST="liaison.example.gov.cn").status_code == 301  # the redirect is on
    assert client.get("/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400  # and the Host check too
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_dead_broker_is_named(client):
    saved = app.conf.broker_url, app.conf.broker_write_url
    app.conf.broker_url = app.conf.broker_write_url = DEAD_REDIS
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url, app.conf.broker_write_url = saved
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"


@override_settings(CACHES={"default": {"BACKEND": "liaison.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS}})
def test_dead_cache_is_named_although_the_cache_fails_open(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "failed"
    assert response.json()["failed"] == ["cache"]


def test_the_middleware_comes_before_host_and_ssl_handling():
    from django.conf import settings

    order = settings.MIDDLEWARE
    first = order.index("liaison.health.HealthCheckMiddleware")
    assert first < order.index("django.middleware.security.SecurityMiddleware")
    assert first < order.index("django.middleware.common.CommonMiddleware")
