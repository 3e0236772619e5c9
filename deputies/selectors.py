"""Reads of the deputies app: every function returns rows already scoped to the caller."""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When, Window
from django.db.models.functions import Coalesce, Rank

from deputies.models import Congress, Deputy, DutyRecord, Level, Membership, PointRule
from liaison.access import in_region
from liaison.converters import parse_id, parse_int
from liaison.models import User

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=2))


def _rule_points(congress_ref="membership__congress", kind_ref="kind", date_ref="occurred_on"):
    """The points of the rule version in force on the record's date."""
    rule = (
        PointRule.objects.filter(
            congress=OuterRef(congress_ref), kind=OuterRef(kind_ref), valid_from__lte=OuterRef(date_ref)
        )
        .order_by("-valid_from")
        .values("points")[:1]
    )
    return Coalesce(Subquery(rule, output_field=DecimalField(max_digits=6, decimal_places=2)), ZERO)


def roster_filters(params):
    """The roster filters from a query string (the page, its export link and the API share them)."""
    return {
        "congress": parse_id(params.get("congress"), "congress"),
        "status": params.get("status") or None,
        "level": parse_int(params.get("level"), "level", minimum=min(Level.values), maximum=max(Level.values)),
        "q": (params.get("q") or "").strip() or None,
    }


def membership_list(*, user, filters=None):
    qs = (
        Membership.objects.visible_to(user)
        .select_related("deputy", "congress", "congress__region", "group")
        .prefetch_related("professional_groups")
        .order_by("congress__region__path", "deputy__name", "id")
    )
    filters = filters or {}
    if filters.get("congress"):
        congress = str(filters["congress"])
        qs = qs.filter(congress_id=int(congress)) if congress.isdigit() else qs.none()
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("level"):
        qs = qs.filter(congress__level=filters["level"])
    if filters.get("region"):
        qs = qs.filter(in_region("congress__region", filters["region"]))
    if filters.get("q"):
        qs = qs.filter(Q(deputy__name__contains=filters["q"]) | Q(deputy__code=filters["q"]))
    return qs


def congress_list(*, user):
    return Congress.objects.visible_to(user).select_related("region").order_by("region__path", "-term")


def in_office_seats_for_entry(*, user):
    """The seats staff may enter duty records for."""
    return (
        Membership.objects.visible_to(user)
        .in_office()
        .select_related("deputy", "congress")
        .order_by("congress__region__path", "deputy__name", "id")
    )


def duty_record_list(*, user, filters=None):
    filters = filters or {}
    qs = duty_records_with_points(user=user).select_related("entered_by")
    if filters.get("congress"):
        congress = str(filters["congress"])
        qs = qs.filter(membership__congress_id=int(congress)) if congress.isdigit() else qs.none()
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("q"):
        qs = qs.filter(Q(membership__deputy__name__contains=filters["q"]) | Q(membership__deputy__code=filters["q"]))
    return qs


def deputy_list(*, user):
    return Deputy.objects.visible_to(user).order_by("name", "code")


def _counted_points():
    """The rule points of an approved record; a registration waiting for review (or returned) earns 0."""
    return Case(When(status=DutyRecord.Status.APPROVED, then=_rule_points()), default=ZERO)


def duty_records_with_points(*, user, membership=None, year=None):
    qs = DutyRecord.objects.visible_to(user).select_related("membership__congress", "membership__deputy")
    if membership is not None:
        qs = qs.filter(membership=membership)
    if year is not None:
        qs = qs.filter(occurred_on__year=year)
    return qs.annotate(points=_counted_points()).order_by("-occurred_on", "-id")


PORTAL_RECORDS = 50


def _portal_duty_records(user, start, end):
    return (
        DutyRecord.objects.visible_to(user)
        .approved()
        .filter(occurred_on__range=(start, end))
        .annotate(points=_rule_points())
        .order_by("-occurred_on", "-id")
        .values(
            "id",
            "occurred_on",
            "kind",
            "description",
            "attachment",
            "points",
            congress_name=F("membership__congress__name"),
        )[:PORTAL_RECORDS]
    )


def portal_duty_rows(*, user, year):
    """The deputy portal's latest 50 approved duty records of ``year`` as dicts: what a row shows, with the rule points.

    Values rather than instances: a row needs the congress's name, not the seat, deputy and congress rows that
    :func:`duty_records_with_points` joins and builds for each record.
    """
    start, end = _year_bounds(year)
    return list(_portal_duty_records(user, start, end))


def _year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def points_ranking(*, user, congress, year):
    """In-office members of ``congress`` with their points for ``year`` and their rank (1 = most points)."""
    start, end = _year_bounds(year)
    totals = (
        DutyRecord.objects.approved()
        .filter(membership=OuterRef("pk"), occurred_on__range=(start, end))
        .annotate(points=_rule_points())
        .values("membership")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return (
        Membership.objects.visible_to(user)
        .filter(congress=congress)
        .in_office()
        .select_related("deputy", "group")
        .annotate(
            total_points=Coalesce(Subquery(totals, output_field=DecimalField(max_digits=10, decimal_places=2)), ZERO)
        )
        .annotate(rank=Window(expression=Rank(), order_by=F("total_points").desc()))
        .order_by("-total_points", "deputy__name", "id")
    )


RANKING_CACHE_SECONDS = 3600


def _ranking_version_key(congress_id):
    return f"points-ranking-version:{congress_id}"


def ranking_changed(congress_id):
    """Called (after commit) when a duty record, point rule or seat of ``congress_id`` changes: drop its rankings."""
    try:
        cache.incr(_ranking_version_key(congress_id))
    except ValueError:  # no version yet
        cache.set(_ranking_version_key(congress_id), 1, None)


def congress_ranking(*, congress, year):
    """``[(membership_id, total_points, rank), …]`` of ``congress`` for ``year``, cached until a change.

    Ranking a provincial congress means summing every seat's rule points (hundreds of thousands of duty
    records); the portal shows each deputy only their own line, so the whole list is kept in the cache under a
    version that :func:`ranking_changed` bumps (signals in deputies/signals.py) and an hour's expiry as a backstop
    for bulk loads that bypass the signals.
    """
    return _congress_ranking(congress.pk, year, cache.get(_ranking_version_key(congress.pk), 0))


def _congress_ranking(congress_id, year, version):
    key = f"points-ranking:{congress_id}:{year}:{version}"
    ranking = cache.get(key)
    if ranking is None:
        ranking = list(
            points_ranking(user=_Everyone(), congress=congress_id, year=year).values_list("id", "total_points", "rank")
        )
        cache.set(key, ranking, RANKING_CACHE_SECONDS)
    return ranking


def _seat_points_key(membership_id, year):
    return f"points-seat:{membership_id}:{year}"


def deputy_points_summary(*, deputy, year):
    """For the deputy portal: each in-office seat with this year's points and rank in its congress.

    ``[{"membership_id", "congress_name", "points", "rank", "of"}, …]``. A seat's line is kept in the cache
    beside its congress's ranking, tagged with the congress and the ranking's version: a warm visit reads the
    versions and the lines in one round trip instead of unpickling the whole ranking (1,763 seats of a provincial
    congress) to find one line. A line whose tag is not its congress's current version is found again in the
    ranking.
    """
    seats = list(
        Membership.objects.filter(deputy=deputy, status=Membership.Status.IN_OFFICE).values_list(
            "id", "congress_id", "congress__name"
        )
    )
    if not seats:
        return []
    version_keys = {congress_id: _ranking_version_key(congress_id) for _id, congress_id, _name in seats}
    line_keys = {membership_id: _seat_points_key(membership_id, year) for membership_id, _cid, _name in seats}
    found = cache.get_many([*version_keys.values(), *line_keys.values()])
    summary = []
    for membership_id, congress_id, congress_name in seats:
        version = found.get(version_keys[congress_id], 0)
        line = found.get(line_keys[membership_id])
        if line is None or line[:2] != (congress_id, version):
            line = _seat_line(membership_id, congress_id, year, version)
            if line is None:
                continue
            cache.set(line_keys[membership_id], line, RANKING_CACHE_SECONDS)
        _congress_id, _version, points, rank, of = line
        summary.append(
            {"membership_id": membership_id, "congress_name": congress_name, "points": points, "rank": rank, "of": of}
        )
    return summary


def _seat_line(membership_id, congress_id, year, version):
    """``(congress id, version, points, rank, seats ranked)`` of one seat, read from its congress's ranking."""
    ranking = _congress_ranking(congress_id, year, version)
    for member_id, total, rank in ranking:
        if member_id == membership_id:
            return (congress_id, version, total, rank, len(ranking))
    return None


class _Everyone:
    """A scope that sees every row: used after the caller's access to the deputy has been checked."""

    is_authenticated = True
    is_superuser = True
    role = User.Role.STAFF
    region_id = None


# ---------------------------------------------------------------- figures (dashboard, reports, public pages)


def _figure_memberships(user, region=None, congress=None):
    qs = Membership.objects.visible_to(user)
    if region is not None:
        qs = qs.filter(in_region("congress__region", region))
    if congress is not None:
        qs = qs.filter(congress=congress)
    return qs


def figure_memberships_by_level_status(user, region=None, congress=None):
    """Seats per congress level and status: ``{"rows": [{"level", "label", "in_office", "terminated"}], ...}``.

    A deputy with seats at two levels counts once per level (五级代表 are counted per level)."""
    from django.db.models import Count, Q

    rows = (
        _figure_memberships(user, region, congress)
        .values("congress__level")
        .annotate(
            in_office=Count("pk", filter=Q(status=Membership.Status.IN_OFFICE)),
            terminated=Count("pk", filter=Q(status=Membership.Status.TERMINATED)),
        )
        .order_by("congress__level")
    )
    result = [
        {
            "level": row["congress__level"],
            "label": str(Level(row["congress__level"]).label),
            "in_office": row["in_office"],
            "terminated": row["terminated"],
        }
        for row in rows
    ]
    return {
        "rows": result,
        "in_office": sum(r["in_office"] for r in result),
        "terminated": sum(r["terminated"] for r in result),
    }


def figure_points(user, region=None, congress=None, date_from=None, date_to=None):
    """In-office seats with their duty points earned in the period (``total_points``), most points first.

    The one way the dashboard, reports and API count points: the same rule lookup as :func:`points_ranking`."""
    records = DutyRecord.objects.approved().filter(membership=OuterRef("pk"))
    if date_from is not None:
        records = records.filter(occurred_on__gte=date_from)
    if date_to is not None:
        records = records.filter(occurred_on__lte=date_to)
    totals = records.annotate(points=_rule_points()).values("membership").annotate(total=Sum("points")).values("total")
    return (
        _figure_memberships(user, region, congress)
        .in_office()
        .select_related("deputy", "congress")
        .annotate(
            total_points=Coalesce(Subquery(totals, output_field=DecimalField(max_digits=10, decimal_places=2)), ZERO)
        )
        .order_by("-total_points", "deputy__name", "id")
    )


def public_memberships(*, region=None, level=None, q=None):
    """In-office seats for the public directory: only public fields are loaded (never mobile, birth date)."""
    qs = (
        Membership.objects.in_office()
        .select_related("deputy", "congress", "congress__region", "group")
        .only(
            "id",
            "status",
            "deputy__id",
            "deputy__code",
            "deputy__name",
            "deputy__public_profile",
            "congress__id",
            "congress__name",
            "congress__level",
            "congress__region__id",
            "congress__region__name",
            "congress__region__path",
            "group__id",
            "group__name",
        )
        .order_by("congress__level", "congress__region__path", "deputy__name", "id")
    )
    if region is not None:
        qs = qs.filter(in_region("congress__region", region))
    if level:
        qs = qs.filter(congress__level=level)
    if q:
        qs = qs.filter(deputy__name__contains=q)
    return qs


def public_stories(*, region=None):
    """Published stories of duty (代表风采), newest first."""
    from deputies.models import DutyStory

    qs = (
        DutyStory.objects.published()
        .select_related("deputy", "region")
        .only(
            "id",
            "title",
            "summary",
            "body",
            "happened_on",
            "published_at",
            "status",
            "deputy__id",
            "deputy__name",
            "deputy__code",
            "region__id",
            "region__name",
            "region__path",
        )
        .order_by("-published_at", "-id")
    )
    if region is not None:
        qs = qs.filter(in_region("region", region))
    return qs


# ---------------------------------------------------------------- self-registered duties and the duty file


def self_registered_kinds():
    from deputies.models import SELF_REGISTERED_KINDS, DutyKind

    return [(kind.value, DutyKind(kind).label) for kind in SELF_REGISTERED_KINDS]


def deputy_seats_for_registration(*, user):
    """The in-office seats a deputy may register a duty in (one per congress they sit in)."""
    return Membership.objects.visible_to(user).in_office().select_related("congress").order_by("congress__level", "id")


def my_registrations(*, user, status=None):
    """A deputy's own registrations (of one ``status``, or all), newest first, with their congress (one query for
    any number)."""
    qs = (
        DutyRecord.objects.visible_to(user)
        .filter(self_registered=True)
        .select_related("membership__congress")
        .order_by("-created_at", "-id")
    )
    return qs.filter(status=status) if status else qs


def my_registration(*, user, pk):
    return my_registrations(user=user).filter(pk=pk).first()


def review_queue(*, user, status=None):
    """Staff: registrations of their region's congresses; by default those waiting for review, oldest first."""
    status = status or DutyRecord.Status.SUBMITTED
    return (
        DutyRecord.objects.visible_to(user)
        .filter(self_registered=True, status=status)
        .select_related("membership__congress", "membership__deputy", "membership__group")
        .order_by("created_at", "id")
    )


def review_record(*, user, pk):
    """One registration for the review page, with its history."""
    from django.db.models import Prefetch

    from deputies.models import DutyRecordStatusChange

    return (
        DutyRecord.objects.visible_to(user)
        .filter(self_registered=True, pk=pk)
        .select_related("membership__congress", "membership__deputy", "membership__group")
        .prefetch_related(Prefetch("status_changes", queryset=DutyRecordStatusChange.objects.select_related("actor")))
        .first()
    )


PUBLIC_FILE_RECORDS = 500


def public_duty_file(*, deputy_id):
    """The public duty file (履职档案) of a deputy: approved, published records of their current-term seats,
    grouped by year (newest first) and kind: ``[{"year", "total", "kinds": [{"kind", "label", "records"}]}]``.

    Only the record's own public fields are read (kind, date, place, description, congress name): never the
    deputy's mobile, ID or who entered it. One query, whatever the number of records (the latest 500); the kinds'
    labels are added by :func:`duty_file_labelled`."""
    from deputies.models import DutyKind

    rows = (
        DutyRecord.objects.published()
        .filter(
            membership__deputy_id=deputy_id,
            membership__congress__is_current=True,
            membership__status=Membership.Status.IN_OFFICE,
        )
        .order_by("-occurred_on", "-id")
        .values("id", "kind", "occurred_on", "place", "description", congress_name=F("membership__congress__name"))[
            :PUBLIC_FILE_RECORDS
        ]
    )
    years = {}
    for row in rows:
        year = years.setdefault(row["occurred_on"].year, {"year": row["occurred_on"].year, "total": 0, "kinds": {}})
        year["total"] += 1
        kind = year["kinds"].setdefault(row["kind"], {"kind": row["kind"], "records": []})
        kind["records"].append(row)
    order = {value: index for index, value in enumerate(DutyKind.values)}
    return [
        {
            "year": year["year"],
            "total": year["total"],
            "kinds": sorted(year["kinds"].values(), key=lambda item: order.get(item["kind"], len(order))),
        }
        for year in years.values()
    ]


def duty_file_labelled(duty_file):
    """``duty_file`` with each kind's label in the active language (the file itself may come from a cache shared
    by every language)."""
    from deputies.models import DutyKind

    known = set(DutyKind.values)
    return [
        {
            **year,
            "kinds": [
                {**item, "label": str(DutyKind(item["kind"]).label) if item["kind"] in known else item["kind"]}
                for item in year["kinds"]
            ],
        }
        for year in duty_file
    ]
