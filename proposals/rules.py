"""Which records a write on a proposal may reference: ``scope(user, context) -> queryset`` (see liaison.scoped).

The view has already fetched the proposal through ``visible_to``; it is ``context["proposal"]``."""

from deputies.models import Deputy, Membership
from proposals.models import Proposal


def cosigner_deputies(user, context):
    """A co-signer (附议) holds an in-office seat in the proposal's congress."""
    proposal = context["proposal"]
    seats = Membership.objects.in_office().filter(congress_id=proposal.congress_id).values("deputy_id")
    return Deputy.objects.filter(pk__in=seats)


def merge_targets(user, context):
    """A proposal is merged (并案) into another one the caller can see, of the same congress."""
    proposal = context["proposal"]
    return Proposal.objects.visible_to(user).filter(congress_id=proposal.congress_id).exclude(pk=proposal.pk)


def draft_congresses(user, context=None):
    """A deputy drafts in a congress the caller can see."""
    from deputies.models import Congress

    return Congress.objects.visible_to(user)


def assignable_proposals(user, context=None):
    """Proposals the caller may name in an assignment or a joint supervision."""
    return Proposal.objects.visible_to(user).select_related("region")


def proposal_units(user, context):
    """A proposal's lead unit and co-units (主办、协办) are handling units of its own region's tree: the government
    of the congress's level and the bodies below it (a 株洲 proposal goes to 株洲's departments or a county's, never
    to 衡阳's), among the units the caller can see. proposals.services.proposal_assign checks the same."""
    from liaison.access import in_region
    from liaison.models import Organization

    proposal = context["proposal"]
    return (
        Organization.objects.visible_to(user)
        .filter(in_region("region", proposal.region), kind=Organization.Kind.HANDLING_UNIT)
        .select_related("region")
    )


def supervision_committees(user, context=None):
    """The committee leading a joint supervision is one the caller can see (the service checks its kind)."""
    from liaison.models import Organization

    return Organization.objects.visible_to(user).select_related("region")
