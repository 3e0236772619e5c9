import pytest

from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.models import AuditLog
from stations import services
from stations.models import HotlineWorkOrder, Opinion, OpinionStatusChange
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
        {"mobile": CITIZEN_MOBILE, "text": f"您反映的意见（查询码 {opinion.tracking_code}）已处理：已联系街道更换路灯"}
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
        services.opinion_forward_to_hotline(actor=manager_a, opinion=opinion)
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
    services.opinion_forward_to_hotline(actor=manager_a, opinion=opinion)
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
