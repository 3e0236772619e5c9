"""Hypothesis state machines drive random sequences of proposal and vote actions through the services, as any
mix of users might, and check the invariants after every step:

- proposals: every recorded status change is an edge of proposals.models.TRANSITIONS, the status is the last
  change's target, and a closed proposal never changes again; refused actions raise ApplicationError (or a
  PermissionDenied) and change nothing;
- votes: one receipt per deputy per session, ballots = receipts, and once closed the tallies equal the ballots.

Bounded and derandomised for CI (15 examples of 20 steps each: about 15 s per machine on a busy 2-core box).
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from liaison.errors import ApplicationError
from proposals import services as ps
from proposals.models import TRANSITIONS, Proposal
from tests.proposals.conftest import Flow
from tests.votes.factories import choices_for, deputy_user, make_congress, make_session
from votes import services as vs
from votes.models import Ballot, BallotReceipt

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=15,
    stateful_step_count=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
REFUSALS = (ApplicationError, PermissionDenied)


def _attempt(call):
    """Run one action; a refusal must leave the database as it was (the savepoint proves nothing half-done stays)."""
    try:
        with transaction.atomic():
            call()
    except REFUSALS:
        return False
    return True


def test_random_proposal_actions_never_leave_the_transitions_table(regions, staff_zz, unit_zz):
    from tests.factories import CongressFactory, MembershipFactory, UserFactory

    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    deputy = UserFactory(username="deputy_fuzz", role="deputy")
    MembershipFactory(congress=congress, deputy__user=deputy)
    flow = Flow(congress, deputy, staff_zz, unit_zz)
    actors = {"deputy": deputy, "staff": staff_zz, "unit": unit_zz}

    class ProposalMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.closed_snapshot = {}
            self.pks = [flow.draft(title="关于公交站台的建议").pk]  # this example's proposals only

        @rule(title=st.sampled_from(["关于路灯的建议", "关于校车的建议", "关于菜市场的建议"]))
        def draft(self, title):
            self.pks.append(flow.draft(title=title).pk)

        @rule(
            action=st.sampled_from(
                ["submit", "withdraw", "accept", "send_back", "assign", "contact", "reply", "rate", "close"]
            ),
            who=st.sampled_from(sorted(actors)),
            pick=st.integers(min_value=0, max_value=50),
        )
        def act(self, action, who, pick):
            proposal = Proposal.objects.get(pk=self.pks[pick % len(self.pks)])
            actor = actors[who]
            calls = {
                "submit": lambda: ps.proposal_submit(actor=actor, proposal=proposal),
                "withdraw": lambda: ps.proposal_withdraw(actor=actor, proposal=proposal, reason="撤回"),
                "accept": lambda: ps.proposal_accept(actor=actor, proposal=proposal),
                "send_back": lambda: ps.proposal_send_back(actor=actor, proposal=proposal, comment="请补充"),
                "assign": lambda: ps.proposal_assign(actor=actor, proposal=proposal, lead_unit=unit_zz.organization),
                "contact": lambda: flow.contacted(proposal=proposal) if who == "unit" else None,
                "reply": lambda: ps.proposal_reply(actor=actor, proposal=proposal, reply_class="A", text="已办理"),
                "rate": lambda: ps.proposal_rate(actor=actor, proposal=proposal, rating="satisfied"),
                "close": lambda: ps.proposal_close(actor=actor, proposal=proposal),
            }
            _attempt(calls[action])

        @invariant()
        def only_table_transitions(self):
            for proposal in Proposal.objects.filter(pk__in=self.pks).prefetch_related("status_changes"):
                changes = sorted(proposal.status_changes.all(), key=lambda c: c.pk)
                for change in changes[1:]:
                    assert change.to_status in TRANSITIONS.get(change.from_status, set()), (
                        change.from_status,
                        change.to_status,
                    )
                if changes:
                    assert proposal.status == changes[-1].to_status

        @invariant()
        def closed_proposals_stay_closed(self):
            for pk, status in Proposal.objects.filter(pk__in=self.pks).values_list("pk", "status"):
                if pk in self.closed_snapshot:
                    assert status == self.closed_snapshot[pk]
                if status == Proposal.Status.CLOSED:
                    self.closed_snapshot[pk] = status

    run_state_machine_as_test(ProposalMachine, settings=BOUNDED)


def test_random_vote_actions_keep_one_ballot_per_deputy_and_exact_tallies(regions, staff_zz):
    congress, seats = make_congress(regions["tianyuan"], deputies=5, name="天元区第五届人民代表大会")
    users = [deputy_user(seat) for seat in seats]

    class VoteMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.session = vs.session_open(actor=staff_zz, session=make_session(actor=staff_zz, congress=congress))

        @rule(who=st.integers(min_value=0, max_value=4))
        def check_in(self, who):
            _attempt(lambda: vs.checkin_register(actor=staff_zz, session=self.session, membership=seats[who]))

        @rule(who=st.integers(min_value=0, max_value=4), pattern=st.sampled_from(["for", "against", "abstain"]))
        def cast(self, who, pattern):
            choices = choices_for(self.session, pattern, "for", "against")
            _attempt(lambda: vs.ballot_cast(actor=users[who], session=self.session, choices=choices))

        @rule()
        def close(self):
            _attempt(lambda: vs.session_close(actor=staff_zz, session=self.session))

        @invariant()
        def one_ballot_per_deputy_and_tallies_equal_ballots(self):
            session = self.session
            receipts = list(BallotReceipt.objects.filter(session=session).values_list("membership_id", flat=True))
            assert len(receipts) == len(set(receipts))
            ballots = list(Ballot.objects.filter(session=session))
            assert len(ballots) == len(receipts)
            session.refresh_from_db()
            if session.status != "open":
                for candidate in session.candidates.all():
                    counted = {"for": 0, "against": 0, "abstain": 0}
                    for ballot in ballots:
                        counted[ballot.choices[str(candidate.pk)]] += 1
                    assert (candidate.votes_for, candidate.votes_against, candidate.votes_abstain) == (
                        counted["for"],
                        counted["against"],
                        counted["abstain"],
                    )

    run_state_machine_as_test(VoteMachine, settings=BOUNDED)
