"""Tests run what production runs (issue 17): config.settings.test differs from config.settings.production only
where ALLOWED says so, each difference with its reason. A new override in test.py fails here until it is justified.

Both modules are imported in fresh processes under one and the same environment (the documented production
variables and nothing else), so only what each module itself sets is compared.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.liaison.test_deploy import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]

ALLOWED = {
    # hosts: production reads them from the environment
    "CSRF_TRUSTED_ORIGINS": "the production origins come from the environment",
    "CACHES": "the same backend (liaison.cache.ResilientRedisCache) on the test Redis, in its own database so "
    "tests/conftest.py can flush it before each test",
    # transport security: the test client speaks plain HTTP to testserver
    "SECURE_PROXY_SSL_HEADER": "no TLS-terminating proxy in front of the test client",
    "SECURE_SSL_REDIRECT": "the test client speaks plain HTTP; tests/security/test_asvs.py checks production's value",
    "SECURE_REDIRECT_EXEMPT": "goes with SECURE_SSL_REDIRECT (off here); tests/deploy/test_stack.py runs production's",
    "LIAISON_PRODUCTION": "marks production.py for check liaison.E102; tests/deploy/test_site_url_check.py sets it",
    "SESSION_COOKIE_SECURE": "plain HTTP in tests (a secure cookie would not be sent back); checked in test_asvs.py",
    "CSRF_COOKIE_SECURE": "plain HTTP in tests; checked in test_asvs.py",
    "CSRF_COOKIE_HTTPONLY": "checked on production's values in test_asvs.py; the htmx tests read no CSRF cookie",
    "SECURE_HSTS_SECONDS": "HSTS is a header for browsers over TLS; checked in test_asvs.py",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "as SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD": "as SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF": "checked on production's value in test_asvs.py",
    "SECURE_REFERRER_POLICY": "checked on production's value in test_asvs.py",
    "X_FRAME_OPTIONS": "checked on production's value in test_asvs.py",
    # speed and side effects
    "PASSWORD_HASHERS": "MD5 for speed: the suite creates thousands of users; hashing strength is not a behaviour "
    "under test",
    "EMAIL_BACKEND": "mail goes to django.core.mail.outbox, never to an SMTP server",
    "EMAIL_HOST": "no SMTP server in tests (EMAIL_BACKEND is locmem)",
    "EMAIL_PORT": "as EMAIL_HOST",
    "DEFAULT_FROM_EMAIL": "as EMAIL_HOST",
    "SMS_BACKEND": "SMS go to the in-memory outbox (liaison.sms.outbox), never to a gateway",
    "STORAGES": "plain static files storage: the suite does not run collectstatic for the manifest",
    "LOGGING": "axes' per-failure log lines are quietened to WARNING in tests",
}


def _settings_of(module):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": module,
    }
    code = (
        "import importlib, json, django; django.setup(); "
        f"m = importlib.import_module({module!r}); "
        "print(json.dumps({n: repr(getattr(m, n)) for n in dir(m) if n.isupper()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_test_settings_differ_from_production_only_where_allowed():
    test = _settings_of("config.settings.test")
    production = _settings_of("config.settings.production")
    differing = {n for n in test.keys() | production.keys() if test.get(n) != production.get(n)}
    unexplained = {n: (test.get(n), production.get(n)) for n in sorted(differing - ALLOWED.keys())}
    assert not unexplained, f"settings that differ from production without a reason in ALLOWED: {unexplained}"
    stale = sorted(ALLOWED.keys() - differing)
    assert not stale, f"ALLOWED lists settings that no longer differ (remove them): {stale}"


def test_behaviours_under_test_keep_their_production_defaults():
    test = _settings_of("config.settings.test")
    production = _settings_of("config.settings.production")
    for name in (
        "STAFF_REQUIRE_OTP",
        "WORKBENCH_COUNT_SECONDS",
        "PUBLIC_STATION_CACHE_SECONDS",
        "OPINION_CATEGORY_CACHE_SECONDS",
        "SESSION_IDLE_TIMEOUT",
        "SESSION_ABSOLUTE_TIMEOUT",
        "SESSION_COOKIE_AGE",
    ):
        assert test.get(name) == production.get(name), name
    assert test["STAFF_REQUIRE_OTP"] == "True"
    assert "ResilientRedisCache" in test["CACHES"]
    assert "ResilientRedisCache" in production["CACHES"]
