"""Reads of the stations app: every function returns rows already scoped to the caller and already joined."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, F, FloatField, Prefetch, Q, Sum, Value, When
from django.db.models.functions import ASin, Cast, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone

from deputies.models import Deputy
from liaison.access import in_region
from stations.models import (
    Opinion,
    OpinionCategory,
    OpinionStatusChange,
    ReceptionDay,
    Station,
    StationAssignment,
    _current_assignment_q,
)

# Public fields of a deputy: what a citizen may see on a station page. Never the mobile number.
DEPUTY_PUBLIC_FIELDS = ("id", "name", "gender", "occupation", "workplace", "public_profile")


def _current_assignments():
    return (
        StationAssignment.objects.filter(_current_assignment_q())
        .select_related("deputy")
        .only("id", "station_id", "since", "until", *(f"deputy__{f}" for f in DEPUTY_PUBLIC_FIELDS))
        .order_by("deputy__name", "id")
    )


EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


def distance_km(lat, lng):
    """The great-circle distance (haversine) in kilometres from the point (lat, lng) to a station's coordinates,
    as a database expression: NULL for a station without coordinates."""
    lat1, lng1 = Radians(Value(float(lat))), Radians(Value(float(lng)))
    lat2 = Radians(Cast("latitude", FloatField()))
    lng2 = Radians(Cast("longitude", FloatField()))
    a = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin((lng2 - lng1) / 2), 2)
    # rounding can carry ``a`` a hair above 1 for antipodal points, where ASIN would fail; LEAST ignores a NULL in
    # PostgreSQL, so a station without coordinates is NULL by the CASE, not by the arithmetic
    return Case(
        When(
            latitude__isnull=False,
            longitude__isnull=False,
            then=Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0)))),
        ),
        default=None,
        output_field=FloatField(),
    )


def public_station_list(*, q="", region=None, kind="", near=None):
    """The public directory (no login): active stations, searchable by region, kind and name. ``near`` is a
    (latitude, longitude) pair: the stations are then annotated with ``distance_km`` and sorted by it, nearest
    first, stations without coordinates last."""
    qs = Station.objects.public().select_related("region", "parent").order_by("region__path", "name", "id")
    if near is not None:
        qs = qs.annotate(distance_km=distance_km(*near)).order_by(
            F("distance_km").asc(nulls_last=True), "region__path", "name", "id"
        )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    if region is not None:
        qs = qs.filter(in_region("region", region))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def public_station_detail(*, pk):
    today = timezone.localdate()
    upcoming = (
        ReceptionDay.objects.filter(date__gte=today, status=ReceptionDay.Status.SCHEDULED)
        .prefetch_related(Prefetch("deputies_on_duty", queryset=Deputy.objects.only(*DEPUTY_PUBLIC_FIELDS)))
        .order_by("date", "starts_at", "id")
    )
    return (
        Station.objects.public()
        .select_related("region", "parent")
        .prefetch_related(
            Prefetch("assignments", queryset=_current_assignments(), to_attr="current_assignments"),
            Prefetch("reception_days", queryset=upcoming[:5], to_attr="upcoming_days"),
            Prefetch("points", queryset=Station.objects.public().order_by("name"), to_attr="public_points"),
        )
        .filter(pk=pk)
        .first()
    )


def public_deputy(*, pk):
    return Deputy.objects.only(*DEPUTY_PUBLIC_FIELDS).filter(pk=pk, memberships__status="in_office").distinct().first()


def station_list(*, user, q="", kind=""):
    qs = (
        Station.objects.visible_to(user)
        .select_related("region", "parent")
        .annotate(
            deputy_count=Count("assignments", filter=_current_assignment_q("assignments__"), distinct=True),
            untriaged_count=Count("opinions", filter=Q(opinions__status=Opinion.Status.UNTRIAGED), distinct=True),
        )
        .order_by("region__path", "name", "id")
    )
    if q:
        qs = qs.filter(name__icontains=q)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def station_detail(*, user, pk):
    return (
        Station.objects.visible_to(user)
        .select_related("region", "parent")
        .prefetch_related(
            Prefetch("assignments", queryset=_current_assignments(), to_attr="current_assignments"),
            "managers",
        )
        .filter(pk=pk)
        .first()
    )


def reception_day_list(*, user, station=None, date_from=None, date_to=None, status=""):
    qs = (
        ReceptionDay.objects.visible_to(user)
        .select_related("station", "station__region")
        .prefetch_related("deputies_on_duty", "deputies_present")
        .order_by("-date", "-id")
    )
    if station is not None:
        qs = qs.filter(station=station)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if status:
        qs = qs.filter(status=status)
    return qs


def reception_days_to_log(*, user):
    """Reception days that have passed and still wait for their log."""
    return reception_day_list(user=user, status=ReceptionDay.Status.SCHEDULED).filter(date__lt=timezone.localdate())


def upcoming_reception_days(*, user):
    return (
        reception_day_list(user=user, status=ReceptionDay.Status.SCHEDULED)
        .filter(date__gte=timezone.localdate())
        .order_by("date", "starts_at", "id")
    )


OPINION_KEYS = ("-created_at", "-id")  # the opinion lists' order; keyset pages walk it (liaison.listing)


def opinion_list(*, user, status="", station=None, source="", q="", station_name=""):
    qs = (
        Opinion.objects.visible_to(user)
        .select_related("station", "deputy", "category", "region")
        .order_by(*OPINION_KEYS)
    )
    if status:
        qs = qs.filter(status=status)
    if station is not None:
        qs = qs.filter(station=station)
    if source:
        qs = qs.filter(source=source)
    if station_name:
        qs = qs.filter(station__name__contains=station_name)
    if q:
        qs = qs.filter(Q(content__icontains=q) | Q(tracking_code=q.upper()))
    return qs


OPINION_ROW_FIELDS = (
    "id",
    "tracking_code",
    "created_at",
    "content",
    "mobile",
    "source",
    "status",
    "station_id",
    "station__name",
    "deputy_id",
    "deputy__name",
    "category_id",
    "category__name",
)


def opinion_rows(**filters):
    """:func:`opinion_list` for the staff list page, as rows: dicts of ``OPINION_ROW_FIELDS`` (no model instances;
    not the stations', deputies' and regions' every column, nor the deputies' encrypted mobiles)."""
    return opinion_list(**filters).select_related(None).values(*OPINION_ROW_FIELDS)


def opinion_detail(*, user, pk):
    return (
        opinion_list(user=user)
        .select_related("reception_day", "triaged_by", "entered_by", "proposal")
        .prefetch_related(
            "photos",
            Prefetch("status_changes", queryset=OpinionStatusChange.objects.select_related("actor")),
            "work_orders",
        )
        .filter(pk=pk)
        .first()
    )


def active_categories():
    return OpinionCategory.objects.filter(is_active=True).order_by("sort_order", "code")


CATEGORIES_CACHE_KEY = "opinion-categories:v1"


def opinion_categories():
    """The active categories in their order, as a list. Every QR form and every 12345 push reads this table of a
    few rows: it is kept ``OPINION_CATEGORY_CACHE_SECONDS`` (a minute) and dropped as soon as a category is saved or
    deleted (stations.signals), so staff see their own change at once."""
    seconds = getattr(settings, "OPINION_CATEGORY_CACHE_SECONDS", 60)
    categories = cache.get(CATEGORIES_CACHE_KEY) if seconds > 0 else None
    if categories is None:
        categories = list(active_categories())
        if seconds > 0:
            cache.set(CATEGORIES_CACHE_KEY, categories, seconds)
    return categories


def opinion_categories_changed():
    cache.delete(CATEGORIES_CACHE_KEY)


def active_category(*, pk=None, code=None):
    """An active category by id or by code (the Open311 ``service_code``), or ``None``."""
    if pk is not None:
        try:
            pk = int(pk)  # what the ORM's look-up by pk would accept
        except (TypeError, ValueError):
            return None
    for category in opinion_categories():
        if (pk is not None and category.pk == pk) or (code is not None and category.code == code):
            return category
    return None


def public_station_row(*, pk):
    """An active station with its region, or ``None``: what the QR form and a 12345 push naming a station need.
    Kept ``PUBLIC_STATION_CACHE_SECONDS`` (a minute) per station, as the station's public page is."""
    seconds = getattr(settings, "PUBLIC_STATION_CACHE_SECONDS", 60)
    key = f"public-station-row:v1:{int(pk)}"
    station = cache.get(key) if seconds > 0 else None
    if station is None:
        station = Station.objects.public().select_related("region").filter(pk=pk).first()
        if station is not None and seconds > 0:
            cache.set(key, station, seconds)
    return station


def first_public_station(*, region):
    """The station a 12345 item without a station goes to: the first active top-level station of ``region``'s
    subtree (by region path, name, id). Kept a minute per region, like the stations' public pages."""
    seconds = getattr(settings, "PUBLIC_STATION_CACHE_SECONDS", 60)
    key = f"first-public-station:v1:{region.pk}"
    station = cache.get(key) if seconds > 0 else None
    if station is None:
        station = (
            Station.objects.public()
            .filter(in_region("region", region), parent__isnull=True)
            .select_related("region")
            .order_by("region__path", "name", "id")
            .first()
        )
        if station is not None and seconds > 0:
            cache.set(key, station, seconds)
    return station


def _period(qs, field, date_from, date_to):
    if date_from:
        qs = qs.filter(**{f"{field}__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{field}__lte": date_to})
    return qs


def reception_figures(user, region=None, station=None, date_from=None, date_to=None):
    """The figures the newsletters quote, for the caller's scope, a region or station, and a period.

    ``share_solved`` is the share of collected opinions marked 已处理 (handled), or None when none were collected.
    """
    days = ReceptionDay.objects.visible_to(user).filter(status=ReceptionDay.Status.HELD)
    opinions = Opinion.objects.visible_to(user)
    if region is not None:
        days = days.filter(in_region("station__region", region))
        opinions = opinions.filter(in_region("region", region))
    if station is not None:
        days = days.filter(station=station)
        opinions = opinions.filter(station=station)
    days = _period(days, "date", date_from, date_to)
    opinions = _period(opinions, "created_at__date", date_from, date_to)
    day_totals = days.aggregate(
        held=Count("id"), citizens=Sum("citizens_received"), opinions_taken=Sum("opinions_taken")
    )
    present = ReceptionDay.deputies_present.through.objects.filter(receptionday__in=days.values("id")).count()
    by_status = dict(opinions.order_by().values_list("status").annotate(n=Count("id")))
    by_outcome = {status: by_status.get(status, 0) for status in Opinion.Status.values}
    collected = sum(by_outcome.values())
    handled = by_outcome[Opinion.Status.HANDLED]
    return {
        "reception_days_held": day_totals["held"] or 0,
        "deputies_present": present,
        "citizens_received": day_totals["citizens"] or 0,
        "opinions_logged_at_receptions": day_totals["opinions_taken"] or 0,
        "opinions_collected": collected,
        "by_outcome": by_outcome,
        "solved": handled,
        "share_solved": round(handled / collected, 4) if collected else None,
    }


# ---------------------------------------------------------------- figures for the dashboard (issue 9)


def figure_stations_by_kind(user, region=None):
    """Active stations per form (固定站/流动站/云端站), centres and points counted alike: ``{kind: count}`` in the
    order of ``Station.Kind`` plus ``total``."""
    qs = Station.objects.visible_to(user).public()
    if region is not None:
        qs = qs.filter(in_region("region", region))
    counts = dict(qs.order_by().values_list("kind").annotate(n=Count("id")))
    rows = [{"kind": kind, "label": str(label), "count": counts.get(kind, 0)} for kind, label in Station.Kind.choices]
    return {"rows": rows, "total": sum(row["count"] for row in rows)}


def public_stations_of_deputy(*, deputy_id):
    """Active stations a deputy is currently assigned to (名称 only, for the public profile)."""
    return (
        Station.objects.public()
        .filter(Q(assignments__deputy_id=deputy_id) & _current_assignment_q("assignments__"))
        .only("id", "name")
        .distinct()
        .order_by("name")
    )
