"""Links built without a full ``reverse()`` each time: to one object (a row of a list), and to the pages every menu
links to.

A list page links each of its 50 rows to the row's detail page; ``reverse()`` walks the URL resolver every time
(about 0.1 ms each, several milliseconds a page). :func:`object_url` reverses a view once per process with a
marker id and fills in the id afterwards. The URL configuration and the script prefix are part of the memo's key,
so a test that swaps ``ROOT_URLCONF`` or a deployment under a sub-path still gets the right links.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = 987654321987


@functools.lru_cache(maxsize=256)
def _around_id(viewname, urlconf, prefix):
    url = reverse(viewname, args=[_MARKER], urlconf=urlconf)
    head, found, tail = url.partition(str(_MARKER))
    if not found:  # a pattern that rewrites its argument: no shortcut
        return None
    return head, tail


def object_url(viewname, pk):
    """``reverse(viewname, args=[pk])`` for a view that takes one integer id."""
    parts = _around_id(viewname, get_urlconf(), get_script_prefix())
    if parts is None:
        return reverse(viewname, args=[pk])
    return f"{parts[0]}{int(pk)}{parts[1]}"


@functools.lru_cache(maxsize=512)
def _path(viewname, urlconf, prefix):
    return reverse(viewname, urlconf=urlconf)


def path_to(viewname):
    """``reverse(viewname)`` for a view that takes no argument (a menu's entries, on every page: a dozen resolver
    walks a page otherwise), found once per URL configuration and script prefix. Template tag: ``{% path %}``."""
    return _path(viewname, get_urlconf(), get_script_prefix())
