"""The one workflow core, driven with random target statuses for every workflow registered with it.

For each registered model: create an object, then try random statuses through ``liaison.workflow.transition``.
A move is made iff the model's TRANSITIONS table allows it; a refusal leaves the row, its status and its history
as they were (read back from the database, not rolled back: nothing is wrapped in a savepoint); the history
chains (each row starts where the previous one ended) and ends at the object's status.
"""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Activity
from deputies.models import DutyRecord, DutyStory, Membership
from hotline.models import HotlineWorkOrder
from liaison import workflow
from liaison.errors import InvalidTransition
from proposals.models import JointSupervision, Proposal
from stations.models import Opinion, ReceptionDay
from tests.factories import CongressFactory, DeputyFactory, MembershipFactory, OrganizationFactory
from tests.proposals.factories import ProposalFactory
from tests.stations.factories import OpinionFactory, ReceptionDayFactory, StationFactory
from tests.votes.factories import make_session
from votes.models import Project, VoteSession

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _proposal(staff, region):
    congress = CongressFactory(region=region)
    proposal = ProposalFactory(congress=congress, lead_deputy=DeputyFactory(), status=Proposal.Status.DRAFT)
    return proposal


def _joint_supervision(staff, region):
    committee = OrganizationFactory(region=region)
    return JointSupervision.objects.create(committee=committee, title="联合督办", created_by=staff)


def _opinion(staff, region):
    return OpinionFactory(station=StationFactory(region=region))


def _reception_day(staff, region):
    return ReceptionDayFactory(station=StationFactory(region=region))


def _vote_session(staff, region):
    return make_session(actor=staff, congress=CongressFactory(region=region, level=5))


def _project(staff, region):
    session = _vote_session(staff, region)
    candidate = session.candidates.first()
    return Project.objects.create(
        candidate=candidate,
        session=session,
        title=candidate.title,
        year=2024,
        budget=Decimal("100.00"),
        department_id=candidate.department_id,
    )


def _membership(staff, region):
    return MembershipFactory(congress=CongressFactory(region=region))


def _duty_story(staff, region):
    return DutyStory.objects.create(deputy=DeputyFactory(), region=region, title="进站接待", body="接待群众。")


def _duty_record(staff, region):
    return DutyRecord.objects.create(
        membership=MembershipFactory(congress=CongressFactory(region=region)),
        kind="inspection",
        occurred_on=datetime.date(2024, 3, 1),
        description="自主登记的视察",
        status=DutyRecord.Status.SUBMITTED,
        self_registered=True,
    )


def _work_order(staff, region):
    return HotlineWorkOrder.objects.create(
        direction=HotlineWorkOrder.Direction.OUTBOUND, opinion=_opinion(staff, region), payload={"title": "路灯"}
    )


def _activity(staff, region):
    starts_at = timezone.now()
    return Activity.objects.create(
        congress=CongressFactory(region=region),
        kind=Activity.Kind.GROUP,
        title="代表小组活动",
        place="会议室",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )


MAKERS = {
    Activity: _activity,
    Proposal: _proposal,
    JointSupervision: _joint_supervision,
    Opinion: _opinion,
    ReceptionDay: _reception_day,
    VoteSession: _vote_session,
    Project: _project,
    Membership: _membership,
    DutyStory: _duty_story,
    DutyRecord: _duty_record,
    HotlineWorkOrder: _work_order,
}


def _fields_entering(model, status, staff):
    """What a service sets with the move so that the row stays valid (the models' own check constraints)."""
    now = timezone.now()
    if model is Proposal and status == Proposal.Status.MERGED:
        return {"merged_into": ProposalFactory(congress=staff._congress, lead_deputy=DeputyFactory())}
    if model is JointSupervision and status == JointSupervision.Status.CLOSED:
        return {"closed_at": now, "conclusion": "督办结束"}
    if model is DutyStory and status == DutyStory.Status.PUBLISHED:
        return {"published_at": now, "approved_by": staff}
    if model is DutyRecord and status == DutyRecord.Status.RETURNED:
        return {"return_reason": "请补充材料"}
    if model is Membership and status == Membership.Status.TERMINATED:
        return {"terminated_on": datetime.date(2024, 1, 1), "termination_reason": "调离本行政区域"}
    return {}


def _row(obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return fresh, model_to_dict(fresh), fresh.updated_at


def _history(flow, obj):
    if flow.change_model is None:
        return []
    rows = flow.change_model.objects.filter(**{flow.change_fk: obj.pk}).order_by("created_at", "id")
    return list(rows.values_list("id", "from_status", "to_status"))


def test_every_workflow_model_has_a_maker_here():
    assert set(MAKERS) == {flow.model for flow in workflow.registered()}


def test_every_model_with_a_status_table_is_registered_with_the_core():
    """A model with a Status and a TRANSITIONS table cannot be written beside the core."""
    registered = {flow.model for flow in workflow.registered()}
    with_tables = {
        model
        for model in apps.get_models()
        if hasattr(model, "Status") and isinstance(getattr(model, "TRANSITIONS", None), dict)
    }
    assert with_tables, "no workflow model found"
    assert with_tables <= registered


def test_no_app_module_keeps_a_transition_table_of_its_own():
    """Tables live beside their Status: a module-level *TRANSITIONS is only ever an alias of a model's table."""
    tables = {id(flow.transitions) for flow in workflow.registered()}
    for app in ("deputies", "proposals", "stations", "votes", "hotline", "liaison"):
        for room in ("models", "services", "selectors", "views", "api"):
            name = f"{app}.{room}"
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            for attr, value in vars(module).items():
                if attr.endswith("TRANSITIONS") and isinstance(value, dict):
                    assert id(value) in tables, f"{name}.{attr} is a table of its own"


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_random_moves_follow_the_table_and_refusals_change_nothing(model, regions, staff_zz):
    flow = workflow.workflow_of(model)
    staff_zz._congress = CongressFactory(region=regions["zhuzhou"])
    statuses = st.sampled_from(model.Status.values)
    moves, refusals = [], []

    @BOUNDED
    @given(targets=st.lists(st.tuples(statuses, st.booleans()), min_size=1, max_size=8))
    def run(targets):
        obj = MAKERS[model](staff_zz, regions["zhuzhou"])
        start = obj.status
        for target, locked in targets:
            fresh, before, _updated = _row(obj)
            history = _history(flow, obj)
            if locked:
                fresh = workflow.lock(model.objects.all(), obj.pk)
            allowed = flow.allowed(fresh.status, target)
            try:
                change = workflow.transition(
                    fresh, target, actor=staff_zz, note="测试", **_fields_entering(model, target, staff_zz)
                )
            except InvalidTransition as refusal:
                assert not allowed, f"{fresh.status} → {target} is in the table but was refused"
                assert (refusal.current, refusal.requested) == (before["status"], target)
                after_obj, after, _ = _row(obj)
                assert after == before and after_obj.status == before["status"]
                assert _history(flow, obj) == history
                refusals.append(target)
                continue
            assert allowed, f"{before['status']} → {target} is not in the table but was made"
            assert _row(obj)[0].status == target
            moves.append(target)
            if flow.change_model is not None:
                assert (change.from_status, change.to_status) == (before["status"], target)
                assert _history(flow, obj) == [*history, (change.pk, before["status"], target)]
        chain = _history(flow, obj)
        if chain:
            assert chain[0][1] == start
            assert all(prev[2] == nxt[1] for prev, nxt in zip(chain, chain[1:], strict=False))
            assert chain[-1][2] == _row(obj)[0].status

    run()
    assert moves and refusals, "the examples should both make and refuse moves"


def test_a_refusal_names_both_states_in_chinese(regions, staff_zz):
    proposal = _proposal(staff_zz, regions["zhuzhou"])
    with pytest.raises(InvalidTransition) as refused:
        workflow.transition(proposal, Proposal.Status.CLOSED, actor=staff_zz)
    assert refused.value.message == "当前状态“草稿”不能转为“已办结”。"
    assert refused.value.status_code == 409
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DRAFT


def test_a_system_move_may_fill_fields_of_its_history_row(regions):
    """As the 12345 callbacks will (the API client on the row, no user): actor None, extra history fields."""
    opinion = _opinion(None, regions["zhuzhou"])
    sent = timezone.now()
    change = workflow.transition(
        opinion, Opinion.Status.HOTLINE, actor=None, note="转12345", history_fields={"notified_at": sent}
    )
    change.refresh_from_db()
    assert (change.actor, change.notified_at, change.from_status) == (None, sent, Opinion.Status.UNTRIAGED)
    assert Opinion.objects.get(pk=opinion.pk).status == Opinion.Status.HOTLINE
