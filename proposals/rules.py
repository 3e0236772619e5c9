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
