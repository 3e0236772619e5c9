"""No input gives a 500: every URL pattern of the URL configuration, for every role, with malformed path ids and
malformed query parameters (and a malformed form body on POST). 4xx are all fine here; any 5xx fails.

Runs on the demo data (``load_demo``), one client per role, so the views reach their real parsing code."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from activities.models import Activity, Invitation
from deputies.models import Congress, Deputy, DutyRecord
from liaison.models import Organization, Region
from proposals.models import Proposal
from stations.models import Opinion, ReceptionDay, Station
from tests.fuzz.demo import ROLES, client_for, demo  # noqa: F401 - fixture
from votes.models import VoteSession

pytestmark = pytest.mark.django_db(transaction=False)

MALFORMED = ["0", "-1", "99999999999999999999", "abc"]
QUERY_VALUES = ["abc", "-1", "99999999999999999999", "2024-02-30"]
GENERIC_PARAMS = ["year", "page", "date_from", "date_to", "region", "unit", "status", "q", "ordering"]
# What a page reads besides the generic list (grep of request.GET in the views).
PAGE_PARAMS = ["congress", "kind", "station", "session", "from", "to", "level", "page_size", "sort", "cursor", "day"]
PAGE_PARAMS += ["lat", "lng"]  # the directory sorted by distance (issue 21)

SKIPPED = {
    "admin/": "Django's own admin; its internals are Django's",
    "static/": "files, not views",
    "media/": "files, not views",
    "__debug__/": "development toolbar",
    "api/schema/": "the whole-schema fuzzing (test_whole_schema.py) covers it and it takes seconds per call",
    "api/docs/": "a static Swagger page",
    "api/redoc/": "a static ReDoc page",
}
# POSTing these would end the client's session (its role) or write real files; their bad input is covered elsewhere.
NO_POST = ("accounts/logout", "logout", "i18n/", "accounts/login", "jobs/")

# Which model a pattern's id means, by the pattern's prefix; the first row that matches wins.
REAL_IDS = [
    ("activities", Activity),
    ("activity-invitations", Invitation),
    ("proposals", Proposal),
    ("stations/opinions", Opinion),
    ("opinions", Opinion),
    ("reception-days", ReceptionDay),
    ("stations", Station),
    ("public/stations", Station),
    ("congresses", Congress),
    ("duty-records", DutyRecord),
    ("deputies", Deputy),
    ("public/deputies", Deputy),
    ("vote", VoteSession),
    ("votes", VoteSession),
    ("regions", Region),
    ("organizations", Organization),
]


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _fill(route, value_for):
    """The route (path() syntax, or a router's regex after the prefix) with each parameter replaced; None when the
    remaining regex cannot be written as a plain URL."""
    route = ROUTE_PARAM.sub(lambda m: value_for(m["name"]), route)
    out, i = "", 0
    while i < len(route):
        if route.startswith("(?P<", i):
            name = route[i + 4 : route.index(">", i)]
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(route[j], 0)
                j += 1
                if depth == 0:
                    break
            out += "json" if name in ("fmt", "format") else value_for(name)
            i = j
        else:
            out += route[i]
            i += 1
    out = out.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    if re.search(r"[()\[\]*+?\\|{}]", out):
        return None
    return "/" + out


def _params(pattern):
    names = set(GENERIC_PARAMS) | set(PAGE_PARAMS)
    cls = getattr(pattern.callback, "cls", None)
    if cls is not None:
        names |= set(getattr(cls, "filterset_fields", None) or [])
        filterset = getattr(cls, "filterset_class", None)
        if filterset is not None:
            names |= set(filterset.base_filters)
        names |= set(getattr(cls, "search_fields", None) and ["search"] or [])
    return sorted(names)


def _real_id(route):
    bare = route.replace("api/v1/", "").replace("^", "")
    for prefix, model in REAL_IDS:
        if bare.startswith(prefix):
            pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
            return str(pk or 1)
    return "1"


def _targets():
    for route, pattern in _walk(get_resolver().url_patterns):
        reason = next((why for prefix, why in SKIPPED.items() if route.startswith(prefix)), None)
        yield route, pattern, reason


def test_no_url_gives_a_server_error_whatever_the_role_or_the_input(demo):  # noqa: F811
    failures, tried = [], 0
    targets = [(route, pattern) for route, pattern, reason in _targets() if reason is None]
    assert len(targets) > 100  # the walk really found the configuration
    for role, username in ROLES.items():
        client = client_for(username, raise_request_exception=False)
        for route, pattern in targets:
            has_params = bool(ROUTE_PARAM.search(route) or "(?P<" in route)
            real = _real_id(route)
            valid = _fill(route, lambda name, real=real: "abc" if name in ("code", "slug", "action") else real)
            if valid is None:
                continue
            urls = [valid]
            if has_params:
                urls += [u for v in MALFORMED if (u := _fill(route, lambda name, v=v: v)) is not None]
            names = _params(pattern)
            for value in QUERY_VALUES:
                urls.append(valid + "?" + "&".join(f"{name}={value}" for name in names))
            for url in urls:
                tried += 1
                status = client.get(url).status_code
                if status >= 500:
                    failures.append(f"{role} GET {url} -> {status}")
            if not any(word in route for word in NO_POST):
                # One POST per view: a form body of impossible values (a 405 for read-only views is fine).
                tried += 1
                body = dict.fromkeys([*names, "deputy", "into", "file", "deadline", "contacted_on"], "2024-02-30")
                status = client.post(valid, body).status_code
                if status >= 500:
                    failures.append(f"{role} POST {valid} -> {status}")
            if role != "anonymous" and not client.session.get("_auth_user_id"):
                client = client_for(
                    username, raise_request_exception=False
                )  # a view ended the session; keep fuzzing as the role
    assert tried > 500
    assert not failures, "\n".join(failures)


def test_every_skipped_pattern_has_a_reason():
    skipped = [(route, reason) for route, _pattern, reason in _targets() if reason is not None]
    assert all(reason for _route, reason in skipped)
