"""Every URL pattern and every API operation, requested by every role, answers what the matrix says.

Set ACCESS_MATRIX_RECORD=<folder> to write what each role got instead of asserting (one JSON file per role), to
review a change and update tests/security/access_matrix.py by hand.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import resolve, reverse

from tests.security.access_matrix import ADMIN, MATRIX, SERVED, entry_for
from tests.security.conftest import ROLES
from tests.security.urlwalk import ADMIN_LOGIN, LOGIN, REDIRECT, outcome, schema_operations, url_patterns

pytestmark = pytest.mark.django_db

RECORD = os.environ.get("ACCESS_MATRIX_RECORD")
RECORD_ONLY = tuple(filter(None, os.environ.get("ACCESS_MATRIX_RECORD_ONLY", "").split(",")))
LOGOUTS = {"admin:logout": 1, "logout": 2}  # requested last, in this order


def _admin_model(pattern):
    """The model an admin pattern belongs to: ``admin:otp_totp_totpdevice_config`` → otp_totp.TOTPDevice."""
    if pattern.key.startswith("admin/"):
        parts = pattern.key.split("/")[1:3]
        candidates = [tuple(parts)] if len(parts) == 2 else []
    else:
        words = pattern.key.removeprefix("admin:").split("_")
        candidates = [
            ("_".join(words[:i]), "_".join(words[i:j])) for i in range(1, len(words)) for j in range(i + 1, len(words))
        ]
    for app_label, model_name in candidates:
        try:
            model = apps.get_model(app_label, model_name)
        except (LookupError, ValueError):
            continue
        return get_user_model() if model._meta.swapped else model
    return None


def _admin_kwargs(pattern, world):
    kwargs = {}
    model = _admin_model(pattern)
    for name in pattern.params:
        if name in ("object_id", "pk", "id"):
            obj = model.objects.order_by("pk").first() if model is not None else None
            kwargs[name] = str(obj.pk) if obj is not None else "0"
        elif name == "app_label":
            kwargs[name] = "liaison"
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(world["region"]).pk
        elif name == "url":
            kwargs[name] = "no-such-page/"
        else:
            raise AssertionError(f"unknown admin URL argument {name} in {pattern.key}")
    if "content_type_id" in kwargs:
        kwargs["object_id"] = str(world["region"].pk)
    return kwargs


def _admin_index_or_list(pattern):
    return pattern.key in ("admin:index", "admin:app_list") or pattern.key.endswith("_changelist")


def _url(pattern, entry, world):
    if entry is ADMIN:
        kwargs = _admin_kwargs(pattern, world)
        if ":" not in pattern.key.split("/")[0]:  # an unnamed admin pattern: fill the route by hand
            path = "/" + pattern.route
            for name, value in kwargs.items():
                path = path.replace(f"<path:{name}>", str(value))
            return path.replace("(?P<url>.*)$", kwargs.get("url", ""))
        return reverse(pattern.key, kwargs=kwargs)
    kwargs = {}
    for name, source in entry.kwargs.items():
        kwargs[name] = source[1:] if source.startswith("=") else world[source].pk
    return reverse(pattern.key, kwargs=kwargs)


def _request(client, method, url):
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, method)(url, {}, content_type="application/json")
    return getattr(client, method)(url, {})


def _matches(expected, got):
    if expected == SERVED:
        return got not in (LOGIN, ADMIN_LOGIN) and not (isinstance(got, int) and got >= 500)
    return expected == got


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_matrix_says(role, world, client):
    user = world.users[role]
    missing, failures, seen = [], [], {}
    # GETs first, then writes (a write that succeeds must not change what a later GET sees), log-outs last.
    patterns = sorted(url_patterns(), key=lambda p: LOGOUTS.get(p.key, 0))
    if user is not None:
        client.force_login(user)
    for method_pass in ("get", "write"):
        for pattern in patterns:
            entry = entry_for(pattern.key)
            if entry is None:
                if method_pass == "get":
                    missing.append(f"new route without an access-matrix entry: {pattern.key} ({pattern.route})")
                continue
            if entry is ADMIN and role in ("staff", "other_staff") and not _admin_index_or_list(pattern):
                continue  # the admin's guard is the same for every page: superuser renders them all, staff the lists
            url = _url(pattern, entry, world)
            if RECORD_ONLY and not pattern.key.startswith(RECORD_ONLY):
                continue
            methods = {"get": None, "post": None} if RECORD else entry.methods
            for method, expected_row in methods.items():
                if (method == "get") != (method_pass == "get"):
                    continue
                try:
                    got = outcome(_request(client, method, url))
                except Exception as exc:  # a server error: report it with the others
                    got = f"500 ({type(exc).__name__}: {str(exc)[:200]})"
                seen.setdefault(pattern.key, {})[method] = got
                expected = expected_row[role] if expected_row else None
                if not RECORD and not _matches(expected, got):
                    failures.append(f"{method.upper()} {url} [{pattern.key}] as {role}: expected {expected}, got {got}")
    if RECORD:
        Path(RECORD).mkdir(parents=True, exist_ok=True)
        Path(RECORD, f"{role}.json").write_text(json.dumps(seen, ensure_ascii=False, indent=1))
        return
    assert not missing, "\n".join(missing)
    assert not failures, "\n".join(failures)


def test_every_api_operation_in_the_schema_has_a_matrix_row(world, client):
    client.force_login(world.users["superuser"])
    missing = []
    for path, method in schema_operations(client):
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        entry = entry_for(match.view_name)
        if entry is None or method not in entry.methods:
            missing.append(f"API operation without an access-matrix entry: {method.upper()} {path} [{match.view_name}]")
    assert not missing, "\n".join(missing)


PUBLIC_ROUTES = {
    "open311-discovery",
    "open311-services",
    "open311-service",
    "open311-requests",
    "public:index",
    "public:deputy_list",
    "public:deputy_profile",
    "public:story_list",
    "public:story_detail",
    "stations:directory",
    "stations:public_station",
    "stations:opinion_station",
    "stations:opinion_deputy",
    "stations:opinion_thanks",
    "stations:track",
    "public-station-list",
    "public-station-detail",
    "votes:result_list",
    "votes:result_detail",
    "votes:project_list",
    "votes:project_public",
    "vote-result-list",
    "vote-result-detail",
    "vote-project-list",
    "vote-project-detail",
    "api-schema",
    "api-docs",
    "api-redoc",
}


def test_only_the_routes_meant_for_the_public_answer_anonymous_visitors():
    public = {key for key, entry in MATRIX.items() if entry.public}
    assert public == PUBLIC_ROUTES
    answering = {
        key for key, entry in MATRIX.items() if entry.methods.get("get", {}).get("anonymous") in (200, REDIRECT)
    }
    # open311-request: public too, answering 404 here only because request 1 does not exist
    # home: a visitor not signed in is sent on to public:index
    assert answering - public == {"home", "favicon", "login", "admin:login", "healthz", "set_language"}
