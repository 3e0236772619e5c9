"""Walk the URLconf and the OpenAPI schema, and classify what a request got back.

``url_patterns()`` yields every concrete pattern of the project (recursively through includes) with its full
name (``namespace:name``) or, for an unnamed one, its route; ``schema_operations(client)`` yields the API's
(path, method) pairs from /api/schema/.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

LOGIN = "login"  # 302 to the portal login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin login page
REDIRECT = "redirect"  # any other 3xx


@dataclass(frozen=True)
class Pattern:
    key: str  # "proposals:detail", or the route when the pattern has no name
    route: str  # the whole route, for messages
    params: tuple  # names of the URL's keyword arguments


def _route(pattern):
    return str(pattern.pattern)


def _names(route):
    names = re.findall(r"\(\?P<(\w+)>", route)
    names += re.findall(r"<(?:\w+:)?(\w+)>", re.sub(r"\(\?P<\w+>", "", route))
    return names


def url_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from url_patterns(entry, prefix + _route(entry), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + _route(entry)
            key = f"{namespace}{entry.name}" if entry.name else route
            yield Pattern(key=key, route=route, params=tuple(_names(route)))


def schema_operations(client):
    """(path template, method) for every operation in /api/schema/ (fetched as JSON)."""
    response = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200, response.status_code
    schema = response.json()
    for path, item in schema["paths"].items():
        for method in item:
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method


def outcome(response):
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        return REDIRECT
    return response.status_code
