"""Server-side list state kept in the URL: an allow-listed ``?sort=``, ``?page=`` and a capped ``?page_size=``.

A list view does::

    from liaison.listing import paginate, sort_queryset

    SORTS = {"deadline": "deadline", "unit": "lead_unit__name", "created": "created_at"}

    def assignment_list(request):
        qs = selectors.assignment_list(user=request.user, filters=filters)
        qs, sort = sort_queryset(request, qs, SORTS, default="deadline")
        page = paginate(request, qs)
        return render(request, "proposals/assignments.html", {"page": page, "sort": sort})

and the template uses ``{% sort_header "deadline" _("期限") %}`` (or ``{% sort_link %}`` inside a ``<th>``) and
``{% include "components/pagination.html" %}``: filters, sort and page stay in the address bar, so a list can be
bookmarked and shared, and an export link made with ``{% querystring format="xlsx" %}`` exports the same set.
"""

import base64
import binascii
import datetime
import decimal
import json

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils.functional import cached_property

from liaison.cache import statement_key

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def requested_sort(request, allowed, default=None):
    """The ``?sort=`` value if its key is allowed (``-key`` for descending), else ``default``."""
    value = (request.GET.get("sort") or "").strip()
    if value.lstrip("-") in allowed and value.count("-") <= 1 and not value.endswith("-"):
        return value
    return default


def sort_queryset(request, queryset, allowed, default=None):
    """Order ``queryset`` by the allow-listed ``?sort=`` key; returns ``(queryset, sort)``.

    ``allowed`` maps a public key to a field path or a tuple of them (``{"unit": ("lead_unit__name", "id")}``).
    Unknown keys fall back to ``default`` (or the queryset's own ordering), so a hand-edited URL never reaches
    ``order_by`` with a field that is not on the list. The primary key is added last for a stable page order.
    """
    sort = requested_sort(request, allowed, default)
    if not sort:
        return queryset, None
    descending = sort.startswith("-")
    fields = allowed[sort.lstrip("-")]
    if isinstance(fields, str):
        fields = (fields,)
    order = [f"-{f}" if descending else f for f in fields]
    order.append("-pk" if descending else "pk")
    return queryset.order_by(*order), sort


def page_size(request, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE):
    """``?page_size=`` clamped to ``1..maximum``; anything unreadable gives ``default``."""
    try:
        size = int(request.GET.get("page_size", default))
    except (TypeError, ValueError):
        return default
    return max(1, min(size, maximum))


class RowsPaginator(Paginator):
    """A :class:`Paginator` over ``values()`` rows that counts another queryset: the same rows without the joins
    a row reads. Counting the rows themselves keeps those joins (Django strips ``select_related`` from a count,
    not the joins of ``values()``): a busy unit's 8,600 assignments took 50 ms instead of 1."""

    def __init__(self, object_list, per_page, *, count_queryset, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_queryset = count_queryset

    @cached_property
    def count(self):
        return self.count_queryset.count()


def paginate(request, queryset, per_page=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE):
    """A :class:`django.core.paginator.Page` for ``?page=``; an out-of-range page shows the last one."""
    return Paginator(queryset, page_size(request, per_page, maximum)).get_page(request.GET.get("page"))


# ------------------------------------------------------------------------------------------ keyset pagination
#
# ``OFFSET`` makes page 5,000 of a 300,000-row list read and throw away 250,000 rows, and the Paginator's exact
# ``COUNT(*)`` over a province costs as much again on every page. A keyset page starts *after* (or before) the
# sort-key values of a row instead: ``WHERE (submitted_at, id) < (:v, :id) ORDER BY submitted_at DESC, id DESC
# LIMIT 51`` reads 51 index entries whether it is the first page or the last. The position travels in the URL as
# an opaque ``?cursor=`` (bookmarkable, like ``?page=``), and the total is counted up to a cap.
#
#     page = keyset_paginate(request, qs, keys=("-submitted_at", "-id"))
#     {% include "components/keyset_pagination.html" %}
#
# ``keys`` must end with a unique column (the primary key). NULLs sort first in a descending key and last in an
# ascending one, on PostgreSQL and SQLite alike (the ordering says so explicitly), matching a plain b-tree index.

COUNT_CAP = 10_000


class BadCursor(ValueError):
    """A ``?cursor=`` that was not made by :func:`encode_cursor` for this list."""


def _key(key):
    return key.lstrip("-"), key.startswith("-")


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return {"t": type(value).__name__, "v": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"t": "decimal", "v": str(value)}
    return value


def _python_value(value):
    if isinstance(value, dict):
        kind, text = value.get("t"), value.get("v")
        if kind == "datetime":
            return datetime.datetime.fromisoformat(text)
        if kind == "date":
            return datetime.date.fromisoformat(text)
        if kind == "decimal":
            return decimal.Decimal(text)
        raise BadCursor(kind)
    if value is not None and not isinstance(value, int | str | float | bool):
        raise BadCursor(type(value).__name__)
    return value


def encode_cursor(values, backwards=False):
    payload = {"k": [_json_value(v) for v in values]}
    if backwards:
        payload["b"] = 1
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, size):
    """``(values, backwards)`` from a cursor string; :class:`BadCursor` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        values = [_python_value(v) for v in payload["k"]]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise BadCursor(str(exc)) from exc
    if len(values) != size:
        raise BadCursor("length")
    return values, bool(payload.get("b"))


def _beyond(field, descending, value):
    """Rows strictly past ``value`` on one key, in the direction the key sorts (NULLs first when descending)."""
    if descending:
        return Q(**{f"{field}__isnull": False}) if value is None else Q(**{f"{field}__lt": value})
    return Q(pk__in=[]) if value is None else Q(**{f"{field}__gt": value}) | Q(**{f"{field}__isnull": True})


def _equal(field, value):
    return Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})


def _after(keys, values):
    """``(k1, k2, …) > (v1, v2, …)`` in the keys' order, written so an index on the keys can serve it."""
    condition = Q(pk__in=[])
    for i, (field, descending) in enumerate(keys):
        term = _beyond(field, descending, values[i])
        for j in range(i):
            term &= _equal(keys[j][0], values[j])
        condition |= term
    first_field, first_desc = keys[0]
    if values[0] is not None:  # a range on the leading key lets PostgreSQL start the index scan there
        bound = Q(**{f"{first_field}__lte" if first_desc else f"{first_field}__gte": values[0]})
        condition &= bound if first_desc else bound | Q(**{f"{first_field}__isnull": True})
    return condition


def _ordering(keys, reverse=False):
    order = []
    for field, descending in keys:
        descending = descending != reverse
        expression = F(field)
        order.append(expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True))
    return order


def _row_values(row, keys):
    """The sort-key values of a row: a model instance, or a dict of ``values()`` (which must hold the keys)."""
    if isinstance(row, dict):
        return [row["id" if field == "pk" else field] for field, _descending in keys]
    values = []
    for field, _descending in keys:
        value = row
        for part in field.split("__"):
            value = getattr(value, "pk" if part == "pk" else part)
        values.append(value)
    return values


class KeysetPage:
    """One page of a keyset-paginated list; looks enough like a Django ``Page`` for the list templates."""

    def __init__(self, object_list, *, count, count_capped, next_cursor, previous_cursor, per_page, is_first):
        self.object_list = object_list
        self.count = count
        self.count_capped = count_capped
        self.next_cursor = next_cursor
        self.previous_cursor = previous_cursor
        self.per_page = per_page
        self.is_first = is_first

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.next_cursor is not None

    def has_previous(self):
        return self.previous_cursor is not None

    def has_other_pages(self):
        return self.has_next() or self.has_previous()


def count_upto(queryset, cap=COUNT_CAP):
    """``(n, capped)``: the exact row count when it is at most ``cap``, else ``(cap, True)`` — one bounded query.

    A list that reached the cap says "more than 10,000" and will say so a moment later too: that answer is kept
    ``WORKBENCH_COUNT_SECONDS`` (keyed by the statement, so by the caller's scope and filters) instead of reading
    10,001 index entries on every page of a province's lists. A count under the cap is always exact and fresh.
    """
    counted = queryset.order_by().values("pk")[: cap + 1]  # values(): no select_related joins in the count
    seconds = getattr(settings, "WORKBENCH_COUNT_SECONDS", 120)
    key = None
    if seconds > 0:
        key = statement_key("count-capped", counted)
        if cache.get(key):
            return cap, True
    n = counted.count()
    if n > cap:
        if key:
            cache.set(key, True, seconds)
        return cap, True
    return n, False


def keyset_page(queryset, *, keys, size, cursor=None, count=True):
    """A :class:`KeysetPage` of ``queryset`` ordered by ``keys``, after/before the position in ``cursor``.

    Raises :class:`BadCursor` for a cursor that does not decode; the caller decides (first page or 400).
    """
    keys = [_key(k) for k in keys]
    values, backwards = decode_cursor(cursor, len(keys)) if cursor else (None, False)
    total, capped = count_upto(queryset) if count else (None, False)
    ordered = queryset.order_by(*_ordering(keys, reverse=backwards))
    if values is not None:
        ordered = ordered.filter(_after([(f, d != backwards) for f, d in keys], values))
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_after = more if not backwards else values is not None
    has_before = (values is not None) if not backwards else more
    next_cursor = encode_cursor(_row_values(rows[-1], keys)) if rows and has_after else None
    previous_cursor = encode_cursor(_row_values(rows[0], keys), backwards=True) if rows and has_before else None
    return KeysetPage(
        rows,
        count=total,
        count_capped=capped,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        per_page=size,
        is_first=not has_before,
    )


def keyset_paginate(request, queryset, *, keys, per_page=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE, param="cursor"):
    """:func:`keyset_page` for a page view: ``?cursor=`` and a capped ``?page_size=``; a bad cursor shows page one."""
    size = page_size(request, per_page, maximum)
    try:
        return keyset_page(queryset, keys=keys, size=size, cursor=request.GET.get(param) or None)
    except BadCursor:
        return keyset_page(queryset, keys=keys, size=size)
