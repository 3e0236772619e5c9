"""A bounded schemathesis run over the hotline part of /api/schema/: no 5xx, responses as documented.

Requests go to the Django WSGI app through a small signing middleware, as a vendor's client would sign them, so
the generated cases reach the views instead of stopping at the signature check.
"""

import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hotline import auth, services


class SigningMiddleware:
    def __init__(self, app, key):
        self.app, self.key = app, key

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        path = environ.get("PATH_INFO", "") + (f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else "")
        for name, value in auth.signed_headers(
            key=self.key, method=environ["REQUEST_METHOD"], path=path, body=body
        ).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        return self.app(environ, start_response)


@pytest.fixture
def hotline_schema(regions, staff_zz, station, category):
    client, key = services.api_client_register(
        actor=staff_zz, name="fuzz", region=regions["zhuzhou"], throttle_rate="100000/min"
    )
    app = SigningMiddleware(WSGIHandler(), key)
    # Like Django's test client: keep the test's connection open across the requests (no close_old_connections).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", app)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("hotline_schema").include(path_regex="^/api/v1/hotline/")


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_hotline_api_has_no_server_errors_and_keeps_its_schema(case):
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
