"""Reads of the 12345 integration, already scoped to the caller."""

import datetime

from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.utils import timezone

from hotline.models import HotlineWorkOrder
from liaison.access import in_region, user_is_staff
from liaison.models import Region, User
from stations.models import Opinion

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


def _deputy_line_q(user, region=None):
    """代表专线 orders (a deputy's own work order, no opinion behind it) the caller may count: their region is the
    one the order was filed for (``payload.region_code``, the deputy's seat closest to the ground)."""
    lines = Q(opinion__isnull=True, deputy__isnull=False)
    if region is not None:
        lines &= Q(line_region__in=Region.objects.subtree_of(region).values("code"))
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return lines
    if user.role == User.Role.STAFF and user.region_id:
        return lines & Q(line_region__in=Region.objects.subtree_of(user.region).values("code"))
    if user.role == User.Role.DEPUTY and getattr(user, "deputy", None) is not None:
        return lines & Q(deputy_id=user.deputy.pk)
    return Q(pk__in=[])


def figure_hotline(user, region=None, date_from=None, date_to=None):
    """12345: work orders forwarded to the hotline in the period — opinions sent on (one per opinion, however many
    orders it took) and orders deputies filed through the deputy line (代表专线) — and how many of them the hotline
    reports solved (办结)."""
    opinions = Q(opinion__in=Opinion.objects.visible_to(user))
    if region is not None:
        opinions &= in_region("opinion__region", region)
    orders = (
        HotlineWorkOrder.objects.filter(direction=HotlineWorkOrder.Direction.OUTBOUND)
        .annotate(line_region=KT("payload__region_code"))
        .filter(opinions | _deputy_line_q(user, region))
    )
    if date_from:
        orders = orders.filter(created_at__date__gte=date_from)
    if date_to:
        orders = orders.filter(created_at__date__lte=date_to)
    closed = Q(status=HotlineWorkOrder.Status.CLOSED)
    line = Q(opinion__isnull=True)
    result = orders.aggregate(
        forwarded=Count("opinion", distinct=True),
        solved=Count("opinion", distinct=True, filter=closed),
        line_forwarded=Count("id", filter=line),
        line_solved=Count("id", filter=line & closed),
    )
    forwarded = (result["forwarded"] or 0) + (result["line_forwarded"] or 0)
    solved = (result["solved"] or 0) + (result["line_solved"] or 0)
    return {
        "forwarded": forwarded,
        "solved": solved,
        "share_solved": round(100 * solved / forwarded, 1) if forwarded else None,
    }
