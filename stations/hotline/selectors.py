"""Reads of the 12345 integration, already scoped to the caller."""

import datetime

from django.utils import timezone

from liaison.access import in_region, user_is_staff
from stations.models import HotlineWorkOrder, Opinion

OPEN311_DEFAULT_DAYS = 90
OPEN311_MAX_ROWS = 1000


def work_order_for_client(client, pk):
    """One work order the client sent or received; ``None`` otherwise (never another client's)."""
    return HotlineWorkOrder.objects.select_related("opinion").filter(client=client, pk=pk).first()


def failed_work_orders(*, user):
    """Outbound orders that failed after the last retry, in the user's region."""
    qs = HotlineWorkOrder.objects.filter(
        direction=HotlineWorkOrder.Direction.OUTBOUND, status=HotlineWorkOrder.Status.FAILED
    ).select_related("opinion", "deputy", "client")
    return qs.visible_to(user) if user_is_staff(user) else qs.none()


def deputy_line_orders(*, deputy):
    return (
        HotlineWorkOrder.objects.filter(deputy=deputy, direction=HotlineWorkOrder.Direction.OUTBOUND)
        .select_related("client")
        .order_by("-created_at", "-id")
    )


OPEN311_ROW_FIELDS = (
    "id",
    "status",
    "outcome_note",
    "content",
    "created_at",
    "updated_at",
    "station_id",
    "station__name",
    "deputy__name",
    "category__name",
    "category__code",
)


def open311_requests(*, client=None, ids=None, service_code="", start=None, end=None, status=""):
    """Service requests as Open311 publishes them: opinions that came from or through the hotline.

    With a client (a valid api_key), its region only; without, every region — the published fields never include
    the citizen's name or phone. Default window: the last 90 days; at most 1000 rows, newest first.

    Rows are dicts of ``OPEN311_ROW_FIELDS`` with ``inbound``: the first inbound work order's ``deadline`` and
    ``payload`` (or None). A poll returns up to 1,000 of them; as model instances (each opinion with its category,
    station and deputy, two encrypted mobiles decrypted) that cost 0.14 ms a row.
    """
    qs = Opinion.objects.filter(source=Opinion.Source.HOTLINE)
    if client is not None:
        qs = qs.filter(in_region("region", client.region))
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    else:
        end = end or timezone.now()
        start = start or end - datetime.timedelta(days=OPEN311_DEFAULT_DAYS)
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
    if service_code:
        qs = qs.filter(category__code=service_code)
    if status == "open":
        qs = qs.filter(status__in=[Opinion.Status.UNTRIAGED, Opinion.Status.HOTLINE])
    elif status == "closed":
        qs = qs.exclude(status__in=[Opinion.Status.UNTRIAGED, Opinion.Status.HOTLINE])
    rows = list(qs.order_by("-created_at", "-id").values(*OPEN311_ROW_FIELDS)[:OPEN311_MAX_ROWS])
    inbound = {}
    if rows:
        orders = HotlineWorkOrder.objects.filter(
            direction=HotlineWorkOrder.Direction.INBOUND, opinion_id__in=[row["id"] for row in rows]
        ).order_by("id")
        for order in orders.values("opinion_id", "deadline", "payload"):
            inbound.setdefault(order["opinion_id"], order)
    for row in rows:
        row["inbound"] = inbound.get(row["id"])
    return rows
