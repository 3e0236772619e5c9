"""Reads of the deputies app: every function returns rows already scoped to the caller."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank

from deputies.models import Congress, Deputy, DutyRecord, Membership, PointRule

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
        "congress": params.get("congress") or None,
        "status": params.get("status") or None,
        "level": params.get("level") or None,
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
        qs = qs.filter(congress__region__path__startswith=filters["region"].path)
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


def duty_records_with_points(*, user, membership=None, year=None):
    qs = DutyRecord.objects.visible_to(user).select_related("membership__congress", "membership__deputy")
    if membership is not None:
        qs = qs.filter(membership=membership)
    if year is not None:
        qs = qs.filter(occurred_on__year=year)
    return qs.annotate(points=_rule_points()).order_by("-occurred_on", "-id")


def _year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def points_ranking(*, user, congress, year):
    """In-office members of ``congress`` with their points for ``year`` and their rank (1 = most points)."""
    start, end = _year_bounds(year)
    totals = (
        DutyRecord.objects.filter(membership=OuterRef("pk"), occurred_on__range=(start, end))
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


def deputy_points_summary(*, deputy, year):
    """For the deputy portal: each seat with this year's points and rank in its congress."""
    summary = []
    for membership in deputy.memberships.select_related("congress").filter(status=Membership.Status.IN_OFFICE):
        ranking = list(
            points_ranking(user=_Everyone(), congress=membership.congress, year=year).values_list(
                "id", "total_points", "rank"
            )
        )
        for member_id, total, rank in ranking:
            if member_id == membership.id:
                summary.append({"membership": membership, "points": total, "rank": rank, "of": len(ranking)})
                break
    return summary


class _Everyone:
    """A scope that sees every row: used after the caller's access to the deputy has been checked."""

    is_authenticated = True
    is_superuser = True
    role = "staff"
    region_id = None
