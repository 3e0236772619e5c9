"""The figures of one region, congress and period, composed from the apps' own selectors.

Nothing here counts rows itself: each number is read through the selector of the app that owns the records
(``deputies.selectors.figure_*``, ``proposals.selectors.figure_*``, ``votes.selectors.project_figures``), so the
dashboard, the reports, the .xlsx exports, the figures API and the public pages cannot disagree.

The composition is computed with a system-wide scope narrowed to ``region``; callers check that the person may
see that region first (:func:`region_for`), which is why one cached result serves every staff member of a region.
"""

import datetime
import hashlib
import time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from activities import selectors as activity_selectors
from deputies import selectors as deputy_selectors
from deputies.models import Congress, Membership
from hotline import selectors as hotline_selectors
from liaison.access import get_visible_or_404, in_region, region_contains
from liaison.errors import ApplicationError
from liaison.models import Organization, Region, User
from proposals import selectors as proposal_selectors
from reports.figures.period import Period
from stations import selectors as station_selectors
from votes import selectors as vote_selectors

CACHE_VERSION = 5  # 4: the activities figures (issue 20); 5: deputies trained
TOP_RANKS = 10
POINT_BUCKETS = [  # (label, lower bound inclusive, upper bound exclusive or None)
    ("0", None, Decimal("0.01")),
    ("0–10", Decimal("0.01"), Decimal("10")),
    ("10–20", Decimal("10"), Decimal("20")),
    ("20–50", Decimal("20"), Decimal("50")),
    ("50+", Decimal("50"), None),
]


class SystemScope:
    """A caller that sees every row; the region filter does the narrowing (see the module docstring)."""

    is_authenticated = True
    is_superuser = True
    is_anonymous = False
    role = User.Role.STAFF
    region_id = None
    pk = None


SYSTEM = SystemScope()


# ---------------------------------------------------------------- scope


def region_for(user, region_id=None):
    """The region the caller asked for, else their own region.

    A region outside the caller's scope is a 404, as on ``/api/v1/proposals/figures/`` (one rule for every
    figures filter: ``get_visible_or_404``), never a silent answer about another region. Superusers without
    a region default to the root of the tree."""
    visible = Region.objects.visible_to(user)
    if region_id:
        try:
            pk = int(region_id)
        except (TypeError, ValueError):
            pk = None
        if pk is not None:
            return get_visible_or_404(Region.objects, user, pk=pk)
    if user.region_id:
        return user.region
    region = visible.filter(parent__isnull=True).order_by("path").first()
    if region is None:
        raise ApplicationError(_("没有可查看的行政区域。"), code="no_region", status_code=404)
    return region


def region_choices(user, region):
    """The region picker: the way from the caller's own region down to the chosen one, and the chosen one's
    children. A province has two thousand regions, far too many for one drop-down; choosing a child drills down."""
    parts = region.path.rstrip("/").split("/")
    ancestors = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return (
        Region.objects.visible_to(user)
        .filter(Q(path__in=ancestors) | Q(parent=region))
        .filter(level__lte=Region.Level.TOWNSHIP)
        .order_by("path")
    )


def congress_choices(region, selected=None):
    """The congress picker: the chosen region's own congresses (a county's 人大, not its townships'), plus the one in
    the URL if it lies deeper. Figures still count the whole subtree when no congress is picked."""
    qs = Congress.objects.filter(region=region)
    if selected is not None:
        qs = qs | Congress.objects.filter(pk=selected.pk)
    return qs.select_related("region").order_by("region__path", "level", "-term")


def unit_choices(region, selected=None):
    """The lead-unit picker: the chosen region's own handling units, plus the one in the URL if it lies deeper."""
    qs = Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT, region=region)
    if selected is not None:
        qs = qs | Organization.objects.filter(pk=selected.pk)
    return qs.order_by("region__path", "name")


def congresses_in(region):
    return (
        Congress.objects.filter(in_region("region", region))
        .select_related("region")
        .order_by("region__path", "level", "-term")
    )


def congress_for(region, congress_id):
    if not congress_id:
        return None
    try:
        return congresses_in(region).filter(pk=int(congress_id)).first()
    except (TypeError, ValueError):
        return None


def units_in(region):
    """Handling units of the region and everything under it (the proposals figures' unit filter)."""
    return Organization.objects.filter(in_region("region", region), kind=Organization.Kind.HANDLING_UNIT).order_by(
        "region__path", "name"
    )


def unit_for(region, unit_id):
    if not unit_id:
        return None
    try:
        return units_in(region).filter(pk=int(unit_id)).first()
    except (TypeError, ValueError):
        return None


SESSIONS_CACHE_SECONDS = 600


def sessions_in(region, congress=None):
    """The sessions (会议) proposals of the region were submitted at, for the session filter.

    A DISTINCT over a province's 300,000 proposals costs more than the rest of the dashboard together, and the
    list changes a few times a year: it is kept ten minutes in the cache.
    """
    key = f"figures:sessions:v1:{region.pk}:{congress.pk if congress else ''}"
    return cache.get_or_set(
        key,
        lambda: list(proposal_selectors.figure_sessions(SYSTEM, region=region, congress=congress)),
        SESSIONS_CACHE_SECONDS,
    )


def session_for(value):
    """A session name from the query string (free text, as stored on the proposals), ``RECESS_SESSION`` ("-") for
    the proposals made between sessions (闭会期间), or None for all."""
    value = (value or "").strip()[:64]
    return value or None


# ---------------------------------------------------------------- parts


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def deputies_part(region, congress):
    return deputy_selectors.figure_memberships_by_level_status(SYSTEM, region=region, congress=congress)


def points_part(region, congress, period):
    """Seats, total and average points, their distribution and the top ranks.

    A province has 150,000 seats: they are read as (id, points) pairs, not as seats with their deputies (which
    took a minute and 700 MB to build), and only the top ranks' names are looked up."""
    points = deputy_selectors.figure_points(
        SYSTEM, region=region, congress=congress, date_from=period.start, date_to=period.end
    )
    seats = list(points.values_list("pk", "total_points"))
    distribution = []
    for label, low, high in POINT_BUCKETS:
        count = sum(1 for _pk, total in seats if (low is None or total >= low) and (high is None or total < high))
        distribution.append({"label": label, "count": count})
    leaders = seats[:TOP_RANKS]
    names = {
        row["pk"]: row
        for row in Membership.objects.filter(pk__in=[pk for pk, _total in leaders]).values(
            "pk", "deputy__name", "congress__name"
        )
    }
    top, rank, previous_points = [], 0, None
    for position, (pk, total_points) in enumerate(leaders, start=1):
        if total_points != previous_points:
            rank, previous_points = position, total_points
        top.append(
            {
                "rank": rank,
                "deputy": names[pk]["deputy__name"],
                "congress": names[pk]["congress__name"],
                "points": _number(total_points),
            }
        )
    total = sum((total_points for _pk, total_points in seats), Decimal("0"))
    return {
        "seats": len(seats),
        "total": _number(total),
        "average": round(float(total) / len(seats), 1) if seats else None,
        "distribution": distribution,
        "top": top,
    }


def proposals_part(region, congress, period, session=None, unit=None):
    """Proposal figures; only they can be narrowed to a session (会议) and a lead handling unit."""
    return proposal_selectors.figures(
        SYSTEM,
        region=region,
        congress=congress,
        session=session,
        unit=unit,
        date_from=period.start,
        date_to=period.end,
    )


def projects_part(region, period, congress=None):
    """Livelihood projects are chosen per year: the period's year counts (a quarter reads its year); with a
    congress, only the projects its vote sessions chose."""
    result = vote_selectors.project_figures(region=region, year=period.year_number, congress=congress)
    return {key: _number(value) for key, value in result.items()}


def station_kinds_part(region):
    return station_selectors.figure_stations_by_kind(SYSTEM, region=region)


def stations_part(region, period):
    """Receptions, opinions and their outcomes (stations app), and opinions forwarded to 12345."""
    reception = station_selectors.reception_figures(SYSTEM, region=region, date_from=period.start, date_to=period.end)
    share = reception["share_solved"]
    return {
        **reception,
        "share_solved": None if share is None else round(100 * share, 1),  # the app gives a fraction
        "hotline": hotline_selectors.figure_hotline(SYSTEM, region=region, date_from=period.start, date_to=period.end),
    }


def activities_part(region, congress, period):
    """代表小组活动次数 and 活动参加人次 (activities app), in total and per region below ``region``."""
    return activity_selectors.figure_activities(
        SYSTEM, region=region, congress=congress, date_from=period.start, date_to=period.end
    )


# ---------------------------------------------------------------- the whole set


def _delta(current, previous):
    if current is None or previous is None:
        return None
    return round(current - previous, 1)


HEADLINES = [
    # (key, label, path into the figures, unit); N_ marks the words for makemessages, headlines() translates
    ("citizens", gettext_noop("接待群众"), ("stations", "citizens_received"), gettext_noop("人次")),
    ("opinions", gettext_noop("收集意见"), ("stations", "opinions_collected"), gettext_noop("条")),
    ("opinions_solved", gettext_noop("意见办结率"), ("stations", "share_solved"), "%"),
    ("hotline", gettext_noop("转12345"), ("stations", "hotline", "forwarded"), gettext_noop("件")),
    ("submitted", gettext_noop("提交建议"), ("proposals", "review", "submitted"), gettext_noop("件")),
    ("accepted", gettext_noop("立案"), ("proposals", "review", "accepted"), gettext_noop("件")),
    ("ab_share", gettext_noop("A+B类占比"), ("proposals", "classes", "ab_share"), "%"),
    ("satisfaction", gettext_noop("满意率"), ("proposals", "satisfaction", "rate"), "%"),
    ("on_time", gettext_noop("按时答复率"), ("proposals", "on_time", "rate"), "%"),
    ("key_supervised", gettext_noop("重点督办"), ("proposals", "key_supervision", "count"), gettext_noop("件")),
    ("joint_supervised", gettext_noop("联合督办"), ("proposals", "joint_supervision", "count"), gettext_noop("件")),
    ("projects", gettext_noop("民生实事项目"), ("projects", "projects"), gettext_noop("项")),
    ("project_satisfaction", gettext_noop("项目满意率"), ("projects", "satisfaction_rate"), "%"),
]


def _dig(data, path):
    for key in path:
        if data is None:
            return None
        data = data.get(key)
    return data


def headlines(current, previous):
    rows = []
    for key, label, path, unit in HEADLINES:
        value, before = _dig(current, path), _dig(previous, path)
        rows.append(
            {
                "key": key,
                "label": _(label),
                "value": value,
                "previous": before,
                "delta": _delta(value, before),
                "unit": _(unit),
            }
        )
    return rows


def _period_dict(period):
    return {"kind": period.kind, "label": str(period.label), "start": period.start, "end": period.end}


def _period_figures(region, congress, period, session=None, unit=None):
    return {
        "proposals": proposals_part(region, congress, period, session, unit),
        "projects": projects_part(region, period, congress),
        "points": points_part(region, congress, period),
        "stations": stations_part(region, period),
        "activities": activities_part(region, congress, period),
    }


def compute_figures(*, region, congress=None, period, session=None, unit=None):
    """Every figure of the dashboard for ``region`` (with its subtree), ``congress`` (optional) and ``period``,
    beside the same figures of the previous period. ``session`` and ``unit`` (a lead handling unit) narrow the
    proposal figures only: the other records have neither."""
    current = _period_figures(region, congress, period, session, unit)
    previous_period = period.previous()
    previous = _period_figures(region, congress, previous_period, session, unit)
    return {
        "region": {"id": region.pk, "name": region.name},
        "congress": {"id": congress.pk, "name": congress.name} if congress else None,
        "session": session,
        "unit": {"id": unit.pk, "name": unit.name} if unit else None,
        "period": _period_dict(period),
        "previous_period": _period_dict(previous_period),
        "deputies": deputies_part(region, congress),
        "stations": station_kinds_part(region),
        "current": current,
        "previous": previous,
        "headlines": headlines(current, previous),
    }


def cache_key(region, congress, period, session=None, unit=None, *, language=None):
    """Per language too: the figures carry labels already translated (headlines, period names), so an English
    visitor's set must never be shown to a Chinese one."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    session_key = hashlib.sha256(session.encode()).hexdigest()[:16] if session else "-"
    return (
        f"figures:v{CACHE_VERSION}:{language}:{region.pk}"
        f":{congress.pk if congress else 0}:{period.key}:{session_key}:{unit.pk if unit else 0}"
    )


def cache_seconds():
    return getattr(settings, "FIGURES_CACHE_SECONDS", 15 * 60)


STALE_FACTOR = 4  # an entry outlives its freshness so that it can be shown while one request recomputes it
LOCK_SECONDS = 120  # at most this long one request recomputes a set of figures before another may try
WAIT_SECONDS = 60  # how long a request with nothing to show waits for the one computing


def as_of_key(key):
    """Where the "as of" time of the figures under ``key`` is kept on its own: a page made from those figures can
    tell whether it is still theirs without reading (and unpickling) the whole set."""
    return f"{key}:as_of"


def is_fresh(as_of):
    return timezone.now() - as_of < datetime.timedelta(seconds=cache_seconds())


def refresh_figures(*, region, congress=None, period, session=None, unit=None):
    """Compute and store; returns ``{"as_of": datetime, "figures": dict}``."""
    figures = compute_figures(region=region, congress=congress, period=period, session=session, unit=unit)
    entry = {"as_of": timezone.now(), "figures": figures}
    key = cache_key(region, congress, period, session, unit)
    cache.set_many({key: entry, as_of_key(key): entry["as_of"]}, cache_seconds() * STALE_FACTOR)
    # The same figures in the other languages are now older: forgotten, so that they are recomputed when next
    # asked for and a refresh shows at once in every language.
    others = [
        cache_key(region, congress, period, session, unit, language=code)
        for code, _name in settings.LANGUAGES
        if code != translation.get_language()
    ]
    cache.delete_many(others + [as_of_key(other) for other in others])
    return entry


def check_region(user, region):
    """Refuse a region outside the caller's scope. The same rule as ``Region.objects.visible_to(user)``, on the
    region already in hand (``region_for`` has loaded it, and the caller's own region with it): no statement."""
    if user.is_authenticated and (user.is_superuser or (user.region_id and region_contains(user.region, region))):
        return
    raise ApplicationError(_("无权查看该区域的数据。"), code="forbidden_region", status_code=403)


def figures_for(*, user, region, congress=None, period, session=None, unit=None, fresh=False):
    """The figures for a caller who may see ``region`` (checked), from the cache when it has them.

    A province's figures take seconds to compute. When they expire, one request recomputes them (a lock in the
    cache) while the others keep showing the previous figures with their "as of" time; with nothing cached yet,
    the others wait for that one instead of all computing at once — eight clerks opening the dashboard at nine
    o'clock must not run eight province-wide computations side by side.
    """
    check_region(user, region)
    args = {"region": region, "congress": congress, "period": period, "session": session, "unit": unit}
    if fresh:
        return refresh_figures(**args)
    key = cache_key(region, congress, period, session, unit)
    lock = f"{key}:computing"
    entry = cache.get(key)
    if entry is not None and is_fresh(entry["as_of"]):
        return entry
    if cache.add(lock, 1, LOCK_SECONDS):  # ours (an unreachable cache says yes too): compute
        try:
            return refresh_figures(**args)
        finally:
            cache.delete(lock)
    if entry is not None:
        return entry  # stale, shown with its "as of" time while another request recomputes
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.2)
        entry = cache.get(key)
        if entry is not None:
            return entry
        if cache.get(lock) is None:
            break
    return refresh_figures(**args)


def current_periods(today=None):
    today = today or timezone.localdate()
    return [Period.year(today.year), Period.quarter(today.year, (today.month - 1) // 3 + 1)]


# ---------------------------------------------------------------- public pages


def public_region(region_id=None):
    """The region a public page is about: the one asked for, or the root of the tree."""
    qs = Region.objects.filter(level__lte=Region.Level.TOWNSHIP)
    if region_id:
        try:
            region = qs.filter(pk=int(region_id)).first()
        except (TypeError, ValueError):
            region = None
        if region is not None:
            return region
    return Region.objects.filter(parent__isnull=True).order_by("path").first()


def proposals_by_year(region, years):
    """A+B share and satisfaction per calendar year (newest first), through the proposals app's selectors."""
    rows = []
    for year in years:
        period = Period.year(year)
        filters = {"region": region, "date_from": period.start, "date_to": period.end}
        classes = proposal_selectors.figure_reply_classes(SYSTEM, **filters)
        satisfaction = proposal_selectors.figure_satisfaction(SYSTEM, **filters)
        rows.append(
            {
                "year": year,
                "replied": classes["total"],
                "ab_share": classes["ab_share"],
                "rated": satisfaction["rated"],
                "satisfaction": satisfaction["rate"],
            }
        )
    return rows


def public_summary(region, *, years=5, today=None):
    """The 数字人大 index: proposals by year, livelihood projects by year, roster totals."""
    today = today or timezone.localdate()
    year_list = list(range(today.year, today.year - years, -1))
    projects = [
        {key: _number(value) for key, value in row.items()}
        for row in vote_selectors.project_figures_by_year(region=region)[:years]
    ]
    return {
        "region": region,
        "proposals_by_year": proposals_by_year(region, year_list) if region else [],
        "projects_by_year": projects,
        "deputies": deputies_part(region, None) if region else {"rows": [], "in_office": 0, "terminated": 0},
        "station_kinds": station_kinds_part(region),
        "stations": stations_part(region, Period.year(today.year)),
        "year": today.year,
    }
