"""Which records an activity may reference: ``scope(user, context) -> queryset`` (see liaison.scoped).

The scope only says what the caller may see; that the group and the invited seats belong to the activity's own
congress is checked by ``services.activity_plan`` (an error naming the field)."""

from deputies.models import Congress, DeputyGroup, Membership


def congresses_for(user, context=None):
    return Congress.objects.visible_to(user).filter(is_current=True).select_related("region")


def groups_for(user, context=None):
    return DeputyGroup.objects.filter(congress__in=Congress.objects.visible_to(user)).select_related("congress")


def seats_for(user, context=None):
    """In-office seats the caller may invite (an activity's own congress is checked by the service)."""
    return Membership.objects.visible_to(user).in_office().select_related("deputy", "congress")


def invited_seats(user, context):
    """The seats invited to ``context["activity"]``: whom staff may record as present."""
    return (
        Membership.objects.visible_to(user)
        .filter(activity_invitations__activity=context["activity"])
        .select_related("deputy")
        .order_by("deputy__name", "pk")
    )


def outcome_proposals(user, context):
    """Proposals an outcome may be linked to: those the caller sees, of the activity's congress."""
    from proposals.models import Proposal

    return Proposal.objects.visible_to(user).filter(congress=context["activity"].congress).order_by("-id")
