"""Reads of activities, already scoped to the caller and joined."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Activity, Attendance, Invitation


def _count(model, **filters):
    rows = (
        model.objects.filter(activity=OuterRef("pk"), **filters)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def activity_filters(params):
    """The list page's and the API's filters from query parameters; unknown values are ignored."""
    filters = {}
    status = params.get("status")
    if status in Activity.Status.values:
        filters["status"] = status
    kind = params.get("kind")
    if kind in Activity.Kind.values:
        filters["kind"] = kind
    congress = params.get("congress")
    if congress and str(congress).isdigit() and len(str(congress)) < 12:
        filters["congress_id"] = int(congress)
    return filters


def activity_list(*, user, filters=None):
    """Activities the caller may see, with the number invited, answering attend / excused, and signed in."""
    return (
        Activity.objects.visible_to(user)
        .filter(**(filters or {}))
        .select_related("congress", "group")
        .annotate(
            invited_count=_count(Invitation),
            attend_count=_count(Invitation, response=Invitation.Response.ATTEND),
            excused_count=_count(Invitation, response=Invitation.Response.EXCUSED),
            attendance_count=_count(Attendance),
        )
        .order_by("-starts_at", "-id")
    )


def activity_detail(*, user, pk):
    from liaison.access import get_visible_or_404

    return get_visible_or_404(Activity.objects.select_related("congress__region", "group", "organizer"), user, pk=pk)


def activity_invitees(*, activity):
    """Each invitation with its seat, deputy and attendance (``attendance`` is a list of 0 or 1)."""
    return (
        activity.invitations.select_related("membership__deputy", "membership__group")
        .prefetch_related(
            Prefetch(
                "membership__activity_attendances",
                queryset=Attendance.objects.filter(activity=activity),
                to_attr="attendance",
            )
        )
        .order_by("membership__deputy__name", "id")
    )


def my_invitations(*, user, awaiting=False):
    """The signed-in deputy's invitations, newest activity first, each marked ``signed_in`` when attended;
    ``awaiting``: only those still to answer (pending, of a planned activity that has not ended)."""
    attended = Attendance.objects.filter(activity=OuterRef("activity"), membership=OuterRef("membership"))
    qs = Invitation.objects.visible_to(user)
    if awaiting:
        qs = qs.filter(
            response=Invitation.Response.PENDING,
            activity__status=Activity.Status.PLANNED,
            activity__ends_at__gt=timezone.now(),
        )
    return (
        qs.select_related("activity__congress")
        .annotate(signed_in=Exists(attended))
        .order_by("-activity__starts_at", "-id")
    )


# ---------------------------------------------------------------- figures for the dashboard and the reports (issue 20)

HELD_STATUSES = (Activity.Status.HELD, Activity.Status.CLOSED)


def _by_region(qs, field):
    return dict(qs.order_by().values_list(field).annotate(n=Count("pk")))


def figure_activities(user, region=None, congress=None, date_from=None, date_to=None):
    """代表小组活动次数 and 活动参加人次 for the caller's scope, a region (with its subtree) or congress, and a period.

    An activity counts when it was held (held or closed, not planned or cancelled), on the day it started; an
    attendance (签到) counts with its activity. ``by_region`` splits both per region directly below ``region``
    (its own congresses' activities in a row of their own, ``own`` True; rows with nothing are left out), in five
    statements whatever the data (seven with the training figures).
    Training sessions (kind 培训) also give the deputies trained (distinct deputies) and their 人次.
    Returns ``{"group_activities", "activities", "attendances", "trained_deputies", "training_attendances",
    "by_region": [{"region", "own", "group_activities", "attendances"}]}``.
    """
    from liaison.access import in_region, region_contains
    from liaison.models import Region

    activities = Activity.objects.visible_to(user).filter(status__in=HELD_STATUSES)
    attendances = Attendance.objects.visible_to(user).filter(activity__status__in=HELD_STATUSES)
    if region is not None:
        activities = activities.filter(in_region("congress__region", region))
        attendances = attendances.filter(in_region("activity__congress__region", region))
    if congress is not None:
        activities = activities.filter(congress=congress)
        attendances = attendances.filter(activity__congress=congress)
    if date_from:
        activities = activities.filter(starts_at__date__gte=date_from)
        attendances = attendances.filter(activity__starts_at__date__gte=date_from)
    if date_to:
        activities = activities.filter(starts_at__date__lte=date_to)
        attendances = attendances.filter(activity__starts_at__date__lte=date_to)
    all_held = _by_region(activities, "congress__region")
    groups = _by_region(activities.filter(kind=Activity.Kind.GROUP), "congress__region")
    present = _by_region(attendances, "activity__congress__region")
    trained = attendances.filter(activity__kind=Activity.Kind.TRAINING)
    result = {
        "group_activities": sum(groups.values()),
        "activities": sum(all_held.values()),
        "attendances": sum(present.values()),
        # 参加培训代表 (deputies trained: each once, however many sessions) and 培训人次 (each attendance)
        "trained_deputies": trained.values("membership__deputy").distinct().count(),
        "training_attendances": trained.count(),
        "by_region": [],
    }
    if region is None:
        return result
    children = list(Region.objects.filter(parent=region).order_by("path"))
    rows = {
        child.pk: {"region": child.name, "own": False, "group_activities": 0, "attendances": 0} for child in children
    }
    own = {"region": region.name, "own": True, "group_activities": 0, "attendances": 0}
    for found in Region.objects.filter(pk__in=set(all_held) | set(present)).only("pk", "path"):
        child = next((child for child in children if region_contains(child, found)), None)
        row = own if child is None else rows[child.pk]
        row["group_activities"] += groups.get(found.pk, 0)
        row["attendances"] += present.get(found.pk, 0)
    result["by_region"] = [row for row in [own, *rows.values()] if row["group_activities"] or row["attendances"]]
    return result
