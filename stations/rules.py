"""Which records a write on a station may reference: ``scope(user, context) -> queryset`` (see liaison.scoped).

The caller's access to the station or reception day itself is checked by the view
(``get_visible_or_404``); these rules add the domain's condition on the referenced records."""

from django.db.models import Q

from deputies.models import Deputy
from stations.models import Station, _current_assignment_q


def stations_for(user, context=None):
    """Stations the caller may schedule or record for."""
    return Station.objects.visible_to(user).select_related("region")


def station_deputies(user, context):
    """Deputies currently assigned to the station (``context["station"]``): who may be on duty there."""
    station = context["station"]
    assigned = station.assignments.filter(_current_assignment_q()).values("deputy_id")
    return Deputy.objects.filter(pk__in=assigned).order_by("name", "pk")


def reception_day_deputies(user, context):
    """Deputies who may be logged present at a reception day (``context["reception_day"]``): those on duty
    that day and those assigned to its station (the same list the log form offers)."""
    day = context["reception_day"]
    on_duty = day.deputies_on_duty.values("pk")
    assigned = day.station.assignments.values("deputy_id")
    return Deputy.objects.filter(Q(pk__in=on_duty) | Q(pk__in=assigned)).order_by("name", "pk")


def opinion_lead_deputies(user, context):
    """Who may lead the proposal an opinion is turned into (the triage service checks the same list)."""
    from stations.services import proposal_candidates

    return proposal_candidates(context["opinion"])
