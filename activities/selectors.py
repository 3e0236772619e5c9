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
