import pytest

from hotline.models import HotlineWorkOrder
from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.models import AuditLog
from stations import services
from stations.models import Opinion, OpinionStatusChange
from stations.tasks import notify_citizen_of_outcome
from tests.stations.conftest import CITIZEN_MOBILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinion(station_a, category):
    opinion, _created = services.opinion_submit_public(
        station=station_a, category=category, content="小区门口路灯坏了三个月", mobile=CITIZEN_MOBILE, ip="10.0.0.1"
    )
    return opinion


def test_manager_marks_opinion_handled_and_citizen_gets_sms(
    opinion, manager_a, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_mark_handled(actor=manager_a, opinion=opinion, note="已联系街道更换路灯")
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.HANDLED
    assert opinion.outcome_note == "已联系街道更换路灯"
    assert opinion.triaged_by == manager_a
    change = OpinionStatusChange.objects.get(opinion=opinion)
    assert (change.from_status, change.to_status) == ("untriaged", "handled")
    assert change.notified_at is not None
    assert sms_outbox == [
        {
            "mobile": CITIZEN_MOBILE,
            "text": f"您反映的意见（查询码 {opinion.tracking_code}）已处理：已联系街道更换路灯",
            "key": f"opinion-change-{change.pk}",
        }
    ]
    assert AuditLog.objects.filter(action="opinion.handled", object_id=str(opinion.pk)).count() == 1


def test_handled_needs_what_was_done(opinion, manager_a):
    with pytest.raises(ApplicationError) as error:
        services.opinion_mark_handled(actor=manager_a, opinion=opinion, note="  ")
    assert error.value.message == "请写明处理情况。"
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.UNTRIAGED


def test_unfeasible_keeps_the_reason_the_citizen_reads(
    opinion, deputy, deputy_user, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_mark_unfeasible(actor=deputy_user, opinion=opinion, reason="该路段属省道，已向上级反映")
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.UNFEASIBLE
    assert opinion.outcome_note == "该路段属省道，已向上级反映"
    assert sms_outbox[0]["text"].endswith("暂无法落实，原因：该路段属省道，已向上级反映")


def test_unfeasible_needs_a_reason(opinion, manager_a):
    with pytest.raises(ApplicationError) as error:
        services.opinion_mark_unfeasible(actor=manager_a, opinion=opinion, reason="")
    assert error.value.message == "请写明无法落实的原因。"


def test_forward_to_hotline_creates_an_outbound_pending_work_order(
    opinion, manager_a, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.triage_opinion(actor=manager_a, opinion=opinion, outcome=Opinion.Status.HOTLINE)
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.HOTLINE
    order = HotlineWorkOrder.objects.get(opinion=opinion)
    assert order.direction == HotlineWorkOrder.Direction.OUTBOUND
    assert order.status == HotlineWorkOrder.Status.PENDING
    assert order.payload["tracking_code"] == opinion.tracking_code
    assert order.payload["category"] == "road"
    assert order.payload["region_code"] == "430211004"
    assert "已转 12345 热线办理" in sms_outbox[0]["text"]


def test_hotline_result_can_close_a_forwarded_opinion(opinion, manager_a):
    services.triage_opinion(actor=manager_a, opinion=opinion, outcome=Opinion.Status.HOTLINE)
    services.opinion_mark_handled(actor=manager_a, opinion=opinion, note="12345 回复：已修复")
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.HANDLED
    assert list(opinion.status_changes.values_list("to_status", flat=True)) == ["hotline", "handled"]


def test_a_closed_outcome_cannot_be_changed(opinion, manager_a):
    services.opinion_mark_handled(actor=manager_a, opinion=opinion, note="已处理")
    with pytest.raises(InvalidTransition) as error:
        services.opinion_mark_unfeasible(actor=manager_a, opinion=opinion, reason="改主意")
    assert error.value.status_code == 409
    assert error.value.current == "handled"
    assert error.value.requested == "unfeasible"
    assert error.value.message == "这条意见当前为“已处理”，不能改为“无法落实”。"


def test_manager_of_another_station_cannot_triage(opinion, manager_b):
    with pytest.raises(PermissionDenied) as error:
        services.opinion_mark_handled(actor=manager_b, opinion=opinion, note="越权")
    assert error.value.message == "您无权处理这条意见。"


def test_deputy_not_concerned_cannot_triage(opinion, regions):
    from liaison.models import User
    from tests.factories import MembershipFactory, UserFactory

    stranger = UserFactory(role=User.Role.DEPUTY)
    MembershipFactory(deputy__user=stranger)
    with pytest.raises(PermissionDenied):
        services.opinion_mark_handled(actor=stranger, opinion=opinion, note="越权")


def test_outcome_sms_is_sent_once_even_when_the_task_runs_twice(opinion, manager_a, sms_outbox):
    services.opinion_mark_handled(actor=manager_a, opinion=opinion, note="已处理")
    change = opinion.status_changes.get()
    assert notify_citizen_of_outcome(change.pk) is True
    assert notify_citizen_of_outcome(change.pk) is False
    assert len(sms_outbox) == 1


def test_triage_dispatch_refuses_an_unknown_outcome(opinion, manager_a):
    with pytest.raises(ApplicationError) as error:
        services.triage_opinion(actor=manager_a, opinion=opinion, outcome="bogus")
    assert error.value.message == "请选择处理结果。"


def test_state_table_lists_every_status():
    assert set(services.TRANSITIONS) == set(Opinion.Status.values)


# ---------------------------------------------------------------- 转建议


def test_manager_turns_opinion_into_a_draft_proposal_for_the_station_deputy(
    client, opinion, manager_a, deputy, deputy_user, congress, sms_outbox, django_capture_on_commit_callbacks
):
    from proposals.models import Proposal

    with django_capture_on_commit_callbacks(execute=True):
        services.triage_opinion(
            actor=manager_a, opinion=opinion, outcome=Opinion.Status.PROPOSAL, note="关于更换小区门口路灯的建议"
        )
    opinion.refresh_from_db()
    proposal = Proposal.objects.get()
    assert opinion.status == Opinion.Status.PROPOSAL
    assert opinion.proposal == proposal
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.lead_deputy == deputy
    assert proposal.congress == congress
    assert proposal.origin == Proposal.Origin.OPINION
    assert proposal.origin_reference == f"opinion:{opinion.tracking_code}"
    assert proposal.title == "关于更换小区门口路灯的建议"
    assert "小区门口路灯坏了三个月" in proposal.content
    assert opinion.outcome_note == "已由 张建国 代表转为建议：关于更换小区门口路灯的建议"
    assert "已由人大代表转为建议提交" in sms_outbox[0]["text"]
    # The deputy finds the draft in their portal.
    client.force_login(deputy_user)
    response = client.get("/proposals/")
    assert response.status_code == 200
    assert "关于更换小区门口路灯的建议" in response.text


def test_deputy_turning_an_opinion_into_a_proposal_leads_it_themselves(opinion, deputy_user, deputy):
    services.opinion_turn_into_proposal(actor=deputy_user, opinion=opinion, title="路灯建议")
    opinion.refresh_from_db()
    assert opinion.proposal.lead_deputy == deputy
    assert opinion.proposal.created_by == deputy_user


def test_proposal_needs_a_lead_when_the_station_has_several_deputies(opinion, manager_a, deputy, congress, station_a):
    from proposals.models import Proposal
    from tests.factories import MembershipFactory
    from tests.stations.factories import StationAssignmentFactory

    other = MembershipFactory(congress=congress, deputy__name="李秀英").deputy
    StationAssignmentFactory(station=station_a, deputy=other)
    with pytest.raises(ApplicationError) as error:
        services.triage_opinion(actor=manager_a, opinion=opinion, outcome="proposal", note="路灯建议")
    assert error.value.message == "请选择领衔代表。"
    outsider = MembershipFactory(congress=congress).deputy
    with pytest.raises(ApplicationError) as error:
        services.triage_opinion(
            actor=manager_a, opinion=opinion, outcome="proposal", note="路灯建议", lead_deputy=outsider
        )
    assert error.value.message == "领衔代表须为本站进站代表或意见所反映的代表。"
    assert Proposal.objects.count() == 0
    services.triage_opinion(actor=manager_a, opinion=opinion, outcome="proposal", note="路灯建议", lead_deputy=other)
    assert Proposal.objects.get().lead_deputy == other


def test_a_refused_proposal_triage_leaves_no_orphan_draft(opinion, manager_a, manager_b, deputy):
    from proposals.models import Proposal

    with pytest.raises(PermissionDenied):
        services.opinion_turn_into_proposal(actor=manager_b, opinion=opinion, title="越权")
    services.opinion_mark_handled(actor=manager_a, opinion=opinion, note="已处理")
    with pytest.raises(InvalidTransition):
        services.opinion_turn_into_proposal(actor=manager_a, opinion=opinion, title="晚了")
    assert Proposal.objects.count() == 0


def test_turn_into_proposal_through_the_api(client, opinion, manager_a, deputy):
    client.force_login(manager_a)
    response = client.post(
        f"/api/v1/opinions/{opinion.pk}/triage/",
        {"outcome": "proposal", "note": "路灯建议", "lead_deputy": deputy.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "proposal"
    assert response.json()["proposal"] is not None
