"""Figures against hand-counted fixtures, and on empty sets (no division by zero)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from proposals import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_counted(flow):
    """Eleven proposals, counted by hand: a draft (never submitted), a survivor and the one merged into it,
    one returned, five replied and rated (A satisfied and closed; A basic; B basic → ledger, key-supervised;
    C unsatisfied then C satisfied; B unsatisfied → re-handling) and one assigned 120 days ago, still unreplied
    (overdue, key-supervised)."""
    flow.draft(title="草稿")
    survivor = flow.submitted(title="关于停车难的建议")
    services.proposal_merge(actor=flow.staff, proposal=flow.submitted(title="停车难"), into=survivor)
    services.proposal_return(actor=flow.staff, proposal=flow.submitted(title="个人诉求"), reason="个人诉求")
    flow.closed(reply_class="A", rating="satisfied")
    flow.rated(reply_class="A", rating="basic")
    key = flow.rated(reply_class="B", rating="basic")
    services.proposal_mark_key_supervision(actor=flow.staff, proposal=key, leaders="副市长")
    c = flow.rated(reply_class="C", rating="unsatisfied")
    c = flow.replied(reply_class="C", proposal=c)
    services.proposal_rate(actor=flow.deputy_user, proposal=c, rating="satisfied")
    flow.rated(reply_class="B", rating="unsatisfied")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=120), tick=False):
        late = flow.assigned(title="逾期未答复")
    services.proposal_mark_key_supervision(actor=flow.staff, proposal=late, leaders="主任")
    return flow


def test_review_counts(hand_counted, staff_zz):
    # submitted: survivor, merged, returned, 5 replied, 1 late = 9 ; accepted: 5 replied + late = 6
    assert selectors.figure_review_counts(staff_zz) == {"submitted": 9, "accepted": 6, "merged": 1, "returned": 1}


def test_reply_classes_and_ab_share(hand_counted, staff_zz):
    # A, A, B(tracking), C (second round), B (rehandling, latest reply B) → A2 B2 C1, AB = 4/5
    assert selectors.figure_reply_classes(staff_zz) == {"a": 2, "b": 2, "c": 1, "total": 5, "ab_share": 80.0}


def test_satisfaction_rate(hand_counted, staff_zz):
    # latest ratings: satisfied(closed), basic, basic(B), satisfied(C second round), unsatisfied → 4/5
    assert selectors.figure_satisfaction(staff_zz) == {
        "satisfied": 2,
        "basic": 2,
        "unsatisfied": 1,
        "rated": 5,
        "rate": 80.0,
    }


def test_on_time_overdue_rehandled_and_key_supervision(hand_counted, staff_zz, unit_zz):
    # five first-round replies, all on time, plus one lead assignment overdue without reply → 5/6
    assert selectors.figure_on_time(staff_zz) == {"on_time": 5, "due": 6, "rate": 83.3}
    rows = list(selectors.figure_overdue_per_unit(staff_zz).values_list("name", "overdue"))
    assert rows == [("株洲市住房和城乡建设局", 1), ("株洲市教育局", 1)]
    assert selectors.figure_rehandled(staff_zz) == {"proposals": 2, "rounds": 2}
    key = selectors.figure_key_supervision(staff_zz)
    assert key["count"] == 2 and key["by_status"] == {"办理中": 1, "跟踪督办": 1}


def test_figures_filter_by_unit_and_scope(hand_counted, staff_zz, staff_hy, unit_jy):
    assert selectors.figure_reply_classes(staff_zz, unit=unit_jy.organization)["total"] == 0
    assert selectors.figure_review_counts(staff_hy)["submitted"] == 0


def test_figures_on_empty_sets_are_none_not_errors(staff_zz):
    result = selectors.figures(staff_zz)
    assert result["classes"]["ab_share"] is None
    assert result["satisfaction"]["rate"] is None
    assert result["on_time"]["rate"] is None
    assert result["review"] == {"submitted": 0, "accepted": 0, "merged": 0, "returned": 0}
    assert result["overdue_units"] == [] and result["rehandled"] == {"proposals": 0, "rounds": 0}
    assert result["key_supervision"]["count"] == 0
