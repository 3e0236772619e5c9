"""The test suite: PostgreSQL and Redis started by scripts/test.sh; DATABASE_URL must point at PostgreSQL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://liaison-test")}
PUBLIC_STATION_CACHE_SECONDS = 0  # likewise; tests/stations/test_public_cache.py turns it on
WORKBENCH_COUNT_SECONDS = 0  # tests see each change at once; tests/liaison/test_workbench.py checks the cache
OPINION_CATEGORY_CACHE_SECONDS = 0  # likewise; tests/stations/test_write_costs.py checks the cache
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SMS_BACKEND = "liaison.sms.LocmemSmsBackend"
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}  # noqa: F405
