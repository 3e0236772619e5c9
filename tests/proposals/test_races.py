"""Concurrent actions on one proposal, on real PostgreSQL: the row locks serialise them."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from liaison.errors import ApplicationError
from proposals import services
from proposals.models import Assignment, Proposal, ProposalStatusChange, Reply

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except ApplicationError as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_staff_assigning_the_same_proposal_leave_one_lead(flow, unit_jy):
    assert connection.vendor == "postgresql"
    proposal = flow.accepted()
    results = race(
        lambda: services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit_user.organization),
        lambda: services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=unit_jy.organization),
    )
    errors = [r for r in results if isinstance(r, ApplicationError)]
    assert len(errors) == 1 and errors[0].code == "invalid_transition"
    assert Assignment.objects.filter(proposal=proposal).count() == 1
    assert ProposalStatusChange.objects.filter(proposal=proposal, to_status="assigned").count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == "assigned"


def test_unit_replying_while_staff_extend_keeps_a_consistent_state(flow):
    proposal = flow.contacted()
    new_deadline = services.add_months(timezone.localdate(), 5)
    results = race(
        lambda: services.proposal_reply(actor=flow.unit_user, proposal=proposal, reply_class="A", text="已解决"),
        lambda: services.assignment_extend_deadline(
            actor=flow.staff, proposal=proposal, deadline=new_deadline, reason="涉及多部门"
        ),
    )
    proposal.refresh_from_db()
    assert Reply.objects.filter(proposal=proposal).count() == 1
    assert proposal.status == "replied"
    extend_result = results[1]
    if isinstance(extend_result, ApplicationError):
        # the reply won the lock: the proposal left handling, so the extension is refused cleanly
        assert extend_result.code == "not_in_handling"
        assert set(Assignment.objects.filter(proposal=proposal).values_list("extension_reason", flat=True)) == {""}
    else:
        assert set(Assignment.objects.filter(proposal=proposal).values_list("deadline", flat=True)) == {new_deadline}
    changes = list(ProposalStatusChange.objects.filter(proposal=proposal).values_list("from_status", "to_status"))
    assert changes[-1] in {("assigned", "replied"), ("assigned", "assigned")}
    assert ("assigned", "replied") in changes
