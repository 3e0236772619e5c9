"""Bulk rows for list and query-count tests (the workflow itself is always driven through services)."""

import datetime

import factory
from django.utils import timezone

from proposals.models import Assignment, Proposal


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    region = factory.LazyAttribute(lambda o: o.congress.region)
    title = factory.Sequence(lambda n: f"关于第{n}件民生事项的建议")
    content = "建议内容。"
    status = Proposal.Status.ASSIGNED
    submitted_at = factory.LazyFunction(timezone.now)
    number = factory.Sequence(lambda n: f"430200-2024-{n:05d}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    role = Assignment.Role.LEAD
    assigned_on = factory.LazyFunction(timezone.localdate)
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


def assigned_batch(rows, *, congress, deputy, unit):
    proposals = ProposalFactory.create_batch(rows, congress=congress, lead_deputy=deputy)
    for proposal in proposals:
        AssignmentFactory(proposal=proposal, unit=unit)
    return proposals
