"""``/healthz`` for compose, nginx and monitoring: database, cache and broker, whatever the Host and the scheme.

``HealthCheckMiddleware`` is the first middleware: it answers before SecurityMiddleware's https redirect and before
anything calls ``request.get_host()`` (ALLOWED_HOSTS), so a probe on 127.0.0.1 inside the container gets the real
state instead of a 400 or a 301. 200 ``{"status": "ok", ...}`` when every part answers, 503 naming the failed ones.
"""

import logging
import uuid

from celery import current_app
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache():
    # ResilientRedisCache fails open (get answers None when Redis is down), so a value must come back.
    key, value = "healthz:probe", uuid.uuid4().hex
    cache.set(key, value, 30)
    return cache.get(key) == value


def _broker():
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


def check_health():
    """{part: "ok" | "failed"}; never raises."""
    results = {}
    for name, check in CHECKS.items():
        try:
            ok = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports every failure, it never raises
            logger.warning("healthz: %s failed: %s: %s", name, type(exc).__name__, exc)
            ok = False
        results[name] = "ok" if ok else "failed"
    return results


def health_response():
    checks = check_health()
    failed = [name for name, state in checks.items() if state != "ok"]
    body = {"status": "failed" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    response = JsonResponse(body, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
