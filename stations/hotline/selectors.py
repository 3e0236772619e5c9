"""Reads of the 12345 integration, already scoped to the caller."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

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
    if user.is_superuser:
        return qs
    if user.role == "staff" and user.region_id:
        return qs.filter(opinion__region__path__startswith=user.region.path) | qs.filter(
            opinion__isnull=True, client__region__path__startswith=user.region.path
        )
    return qs.none()


def deputy_line_orders(*, deputy):
    return (
        HotlineWorkOrder.objects.filter(deputy=deputy, direction=HotlineWorkOrder.Direction.OUTBOUND)
        .select_related("client")
        .order_by("-created_at", "-id")
    )


def open311_requests(*, client=None, ids=None, service_code="", start=None, end=None, status=""):
    """Service requests as Open311 publishes them: opinions that came from or through the hotline.

    With a client (a valid api_key), its region only; without, every region — the published fields never include
    the citizen's name or phone. Default window: the last 90 days; at most 1000 rows, newest first.
    """
    qs = Opinion.objects.filter(source=Opinion.Source.HOTLINE)
    if client is not None:
        qs = qs.filter(region__path__startswith=client.region.path)
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
    inbound = HotlineWorkOrder.objects.filter(direction=HotlineWorkOrder.Direction.INBOUND).order_by("id")
    return (
        qs.select_related("category", "station", "deputy")
        .prefetch_related(Prefetch("work_orders", queryset=inbound, to_attr="inbound_orders"))
        .order_by("-created_at", "-id")[:OPEN311_MAX_ROWS]
    )
