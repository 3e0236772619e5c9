"""Schemathesis over the WHOLE /api/schema/: every operation, as staff and as a deputy — no 5xx, and every
response is one the schema documents (status, content type, body).

Requests go to the Django WSGI app in-process. A small WSGI middleware authenticates each one as a real client
would: a signed-in session (cookie and CSRF token, as the browser sends them) for the portal API, an HMAC signature for the 12345 hotline
routes. Bounded: a few examples per operation, no shrinking, so the two passes stay well under 90 s.
"""

import io

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hotline import auth
from hotline import services as hotline_services

HOTLINE = "/api/v1/hotline/"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


class AuthenticatingMiddleware:
    def __init__(self, app, *, user, hotline_key):
        self.app = app
        browser = Client()
        browser.force_login(user)
        session = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
        self.csrf = _get_new_csrf_string()
        self.cookie = f"{django_settings.SESSION_COOKIE_NAME}={session}; {django_settings.CSRF_COOKIE_NAME}={self.csrf}"
        self.hotline_key = hotline_key

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(HOTLINE):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            query = environ.get("QUERY_STRING")
            path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            signed = auth.signed_headers(key=self.hotline_key, method=environ["REQUEST_METHOD"], path=path, body=body)
            for name, value in signed.items():
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        else:
            environ["HTTP_COOKIE"] = self.cookie
            environ["HTTP_X_CSRFTOKEN"] = self.csrf
        return self.app(environ, start_response)


def _schema_for(world, role, settings_):
    settings_.REST_FRAMEWORK = {
        **settings_.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    _client, key = hotline_services.api_client_register(
        actor=world.users["staff"], name="fuzz", region=world["region"], throttle_rate="100000/min"
    )
    user = world.users[role]
    return schemathesis.openapi.from_wsgi(
        "/api/schema/", AuthenticatingMiddleware(WSGIHandler(), user=user, hotline_key=key)
    )


@pytest.fixture
def keep_connection():
    # Like Django's test client: keep the test's connection (and its transaction) across the requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FUZZ = hypothesis_settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def fuzz_every_operation(schema, *, exclude=None):
    """Run each operation's examples; each example in a savepoint that is rolled back, so one operation's writes
    (or a database error) do not change what the next one sees. Returns the failures as text, one per operation."""
    failures, seen = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if exclude and operation.path.startswith(exclude):
            continue
        seen += 1

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case):
            with transaction.atomic():
                try:
                    case.call_and_validate(checks=CHECKS)
                finally:
                    transaction.set_rollback(True)

        try:
            run()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - collected, all reported at the end
            failures.append(f"{operation.label}: {failure}"[:3000])
    assert seen >= 60, f"only {seen} operations in /api/schema/"
    return failures


@pytest.mark.django_db
def test_every_operation_as_staff_has_no_server_error_and_keeps_its_schema(world, settings, keep_connection):
    failures = fuzz_every_operation(_schema_for(world, "staff", settings))
    assert failures == [], "\n\n".join(failures)


@pytest.mark.django_db
def test_every_operation_as_a_deputy_has_no_server_error_and_keeps_its_schema(world, settings, keep_connection):
    failures = fuzz_every_operation(_schema_for(world, "deputy", settings), exclude=HOTLINE)
    assert failures == [], "\n\n".join(failures)
