"""The test suite: PostgreSQL and Redis started by scripts/test.sh; DATABASE_URL must point at PostgreSQL.

Tests run what production runs (issue 17): the count caches, the Redis cache backend, the staff second factor and
the session time-outs keep their production defaults. A test that needs a behaviour off turns it off for itself
(the ``settings`` fixture or ``override_settings``). tests/security/test_settings_parity.py compares this module
with config.settings.production and lists every difference that is allowed, with its reason.
"""

from .base import *  # noqa: F403
from .base import env, identity_caching

DEBUG = False
# MD5: hashing a password with PBKDF2 costs ~0.3 s and the suite creates thousands of users; the hash's strength is
# not a behaviour under test (tests/security checks the production hasher list through production settings).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _test_cache_url():
    """The production cache backend on the test Redis, in its own database (TEST_CACHE_REDIS_DB, default 3) so
    flushing it before each test (tests/conftest.py) touches neither the Celery broker nor the tests that use
    REDIS_URL's own database."""
    url = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
    return url.rsplit("/", 1)[0] + "/" + str(env.int("TEST_CACHE_REDIS_DB", default=3))


CACHES = {"default": env.cache("CACHE_URL", default=_test_cache_url())}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # as production.py: fails open when Redis is down
    CACHES["default"]["BACKEND"] = "liaison.cache.ResilientRedisCache"
SESSION_ENGINE, USER_CACHE_SECONDS = identity_caching(CACHES)
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=True)  # as production; tests/conftest.py verifies logins
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SMS_BACKEND = "liaison.sms.LocmemSmsBackend"
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}  # noqa: F405
