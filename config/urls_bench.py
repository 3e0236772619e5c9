"""URLs of the benchmark: the floor view (a fixed small JSON, no database, no session) beside the normal URLs.

The floor is the fastest thing Django can answer through the same gunicorn, middleware stack and settings: no
endpoint of ours can beat it, so each scenario's throughput is printed as a share of it. Two references sit between
it and the portal's pages: the same JSON behind the sign-in (session and user read), and the portal's empty page. The SQL-count middleware
lives here too, as it is only ever used by ``config.settings.bench``.
"""

from django.contrib.auth.decorators import login_required
from django.db import connections
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns

FLOOR_BODY = {"status": "ok", "service": "liaison", "floor": True}


def floor(request):
    return JsonResponse(FLOOR_BODY)


@login_required
def floor_signed_in(request):
    """The floor behind the sign-in: the session and the user's row are read, nothing else."""
    return JsonResponse(FLOOR_BODY)


@login_required
def floor_page(request):
    """The portal's empty page for a signed-in user: the base layout (header, menu, unread badge, footer)."""
    return render(request, "base.html", {"title": "floor"})


class BenchSqlCountMiddleware:
    """Counts every SQL statement a request runs (on every connection) into the ``X-SQL-Count`` header.

    Uses ``execute_wrapper``, so it works with DEBUG off. A streaming response's header is sent before its body's
    queries run; those are not counted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [conn.execute_wrapper(counter) for conn in connections.all(initialized_only=False)]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-SQL-Count"] = str(count)
        return response


urlpatterns = [
    path("bench/floor", floor, name="bench-floor"),
    path("bench/floor/signed-in", floor_signed_in, name="bench-floor-signed-in"),
    path("bench/floor/page", floor_page, name="bench-floor-page"),
    *portal_urlpatterns,
]
