"""The benchmark (`make bench`): production-like settings that are safe on loopback.

As in production: DEBUG off, template and static caching, PostgreSQL with persistent connections, Redis for the
cache (liaison.cache.ResilientRedisCache; sessions stay in the database, as in production). Unlike production,
because the load comes over plain HTTP from 127.0.0.1: no HTTPS redirect or secure-only cookies (the load driver
could not log in), no staff second factor, and the per-IP rate limits of the public QR form lifted (every simulated
citizen shares one address). The secrets have bench-only defaults; nothing here may serve real users.

``BenchSqlCountMiddleware`` (bench only) counts the SQL statements of each request into an ``X-SQL-Count`` header.
"""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env, identity_caching

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
# PERSONAL_DATA_KEY: base's (environment, else the development default). The seeder encrypts the mobiles it
# writes with it, and may run under another settings module (the test suite's smoke run): both must agree.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "config.urls_bench"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
CACHES = {"default": env.cache("CACHE_URL", default=env("REDIS_URL", default="redis://127.0.0.1:6379/0"))}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # as production.py configures it
    CACHES["default"]["BACKEND"] = "liaison.cache.ResilientRedisCache"
SESSION_ENGINE, USER_CACHE_SECONDS = identity_caching(CACHES)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}

STAFF_REQUIRE_OTP = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
# The benchmark's logins type their password again once (exports of personal data ask for it) and the run lasts
# longer than the five minutes production allows.
REAUTH_MAX_AGE = 3 * 3600
OPINION_RATE_LIMIT_IP = (10**9, 3600)
OPINION_RATE_LIMIT_MOBILE = (10**9, 3600)
OPINION_LOOKUP_RATE_LIMIT = (10**9, 600)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

MIDDLEWARE = ["config.urls_bench.BenchSqlCountMiddleware", *MIDDLEWARE]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
