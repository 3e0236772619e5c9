"""Settings for the Celery worker and beat processes the tests start: the test settings, plus an SMS gateway both
the worker processes and the test can see (a Redis list), chunked claims so a kill lands mid-sweep, no quiet hours,
and a stale timeout of a few seconds so the test does not wait 15 minutes for a requeue."""

from config.settings.test import *  # noqa: F403
from config.settings.test import env

SMS_BACKEND = "tests.celery.gateway.RedisGatewaySmsBackend"
REMINDER_CLAIM_CHUNK = 100
REMINDER_SEND_FROM_HOUR = 0
REMINDER_STALE_AFTER_SECONDS = env.int("REMINDER_STALE_AFTER_SECONDS", default=2)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The hotline-push test talks to a fake 12345 system on 127.0.0.1 over plain HTTP.
HOTLINE_ALLOW_PRIVATE_URLS = True
HOTLINE_REQUIRE_HTTPS = False
HOTLINE_SEND_BACKOFF_SECONDS = 0
