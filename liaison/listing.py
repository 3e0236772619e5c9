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

from django.core.paginator import Paginator

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


def paginate(request, queryset, per_page=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE):
    """A :class:`django.core.paginator.Page` for ``?page=``; an out-of-range page shows the last one."""
    return Paginator(queryset, page_size(request, per_page, maximum)).get_page(request.GET.get("page"))
