"""The hotline plugs into stations through stations' public hooks only: 转12345 is a triage outcome the hotline
registers, the hotline's result moves the opinion through stations' status service, and stations imports nothing
of the hotline."""

import ast
import pathlib

import pytest
from django.urls import reverse

from hotline import services
from hotline.models import HotlineWorkOrder
from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.models import AuditLog, User
from stations import services as station_services
from stations import triage
from stations.api import TriageInput
from stations.models import Opinion, OpinionStatusChange
from tests.factories import UserFactory
from tests.stations.factories import OpinionFactory

pytestmark = pytest.mark.django_db

STATIONS = pathlib.Path(__file__).resolve().parents[2] / "stations"


def test_the_triage_outcomes_are_the_registry_within_the_transition_table():
    assert station_services.triage_outcomes() == [
        ("handled", "已处理"),
        ("proposal", "转建议"),
        ("hotline", "转12345"),
        ("unfeasible", "无法落实"),
    ]
    assert list(TriageInput().fields["outcome"].choices) == ["handled", "proposal", "hotline", "unfeasible"]


def test_without_the_hotline_hook_there_is_no_12345_outcome(station, manager):
    registered = triage.get(Opinion.Status.HOTLINE)
    triage.unregister(Opinion.Status.HOTLINE)
    try:
        assert "hotline" not in dict(station_services.triage_outcomes())
        assert "hotline" not in TriageInput().fields["outcome"].choices
        opinion = OpinionFactory(station=station)
        with pytest.raises(ApplicationError) as refused:
            station_services.triage_opinion(actor=manager, opinion=opinion, outcome=Opinion.Status.HOTLINE)
        assert refused.value.code == "invalid_outcome"
    finally:
        triage.register(registered.status, registered.run)
    assert triage.get(Opinion.Status.HOTLINE).run is registered.run


def test_the_triage_page_offers_12345_and_the_api_forwards_through_the_hook(client, station, manager):
    opinion = OpinionFactory(station=station)
    client.force_login(manager)
    page = client.get(reverse("stations:opinion_detail", args=[opinion.pk])).content.decode()
    assert 'value="hotline"' in page
    response = client.post(
        f"/api/v1/opinions/{opinion.pk}/triage/", {"outcome": "hotline", "note": ""}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "hotline"
    order = HotlineWorkOrder.objects.get(opinion=opinion)
    assert (order.direction, order.status) == ("outbound", "pending")


def test_forwarding_keeps_stations_permission_guard(station, regions):
    stranger = UserFactory(username="other_manager", role=User.Role.STATION_MANAGER, region=regions["hengnan"])
    opinion = OpinionFactory(station=station)
    with pytest.raises(PermissionDenied):
        services.opinion_forward_to_hotline(actor=stranger, opinion=opinion)
    assert not HotlineWorkOrder.objects.exists()
    assert Opinion.objects.get(pk=opinion.pk).status == Opinion.Status.UNTRIAGED


def test_the_hotline_result_raises_on_an_opinion_that_moved_on(station, manager):
    opinion = OpinionFactory(station=station)
    services.opinion_forward_to_hotline(actor=manager, opinion=opinion)
    station_services.opinion_mark_handled(actor=manager, opinion=opinion, note="已现场处理")
    with pytest.raises(InvalidTransition):
        services._close_opinion(opinion=opinion, to_status=Opinion.Status.UNFEASIBLE, note="12345：不属实")
    assert Opinion.objects.get(pk=opinion.pk).status == Opinion.Status.HANDLED
    assert OpinionStatusChange.objects.filter(opinion=opinion).count() == 2


def test_a_closing_callback_for_an_opinion_closed_meanwhile_closes_only_the_order(signed, station, manager, hotline):
    opinion = OpinionFactory(station=station)
    services.opinion_forward_to_hotline(actor=manager, opinion=opinion)
    HotlineWorkOrder.objects.filter(opinion=opinion).update(client=hotline, status="sent")
    station_services.opinion_mark_handled(actor=manager, opinion=opinion, note="已现场处理")
    order = HotlineWorkOrder.objects.get(opinion=opinion)
    response = signed.post(f"/api/v1/hotline/work-orders/{order.pk}/status", {"status": "closed", "result": "已修复"})
    assert response.status_code == 200
    assert HotlineWorkOrder.objects.get(pk=order.pk).status == "closed"
    opinion.refresh_from_db()
    assert (opinion.status, opinion.outcome_note) == ("handled", "已现场处理")


def test_the_hotline_result_is_audited_as_the_system(station, manager):
    opinion = OpinionFactory(station=station)
    services.opinion_forward_to_hotline(actor=manager, opinion=opinion)
    services._close_opinion(opinion=opinion, to_status=Opinion.Status.HANDLED, note="12345 热线办理结果：已修复")
    row = AuditLog.objects.filter(action="opinion.handled").get()
    assert row.actor_id is None
    assert row.object_id == str(opinion.pk)


def _imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_stations_imports_nothing_of_the_hotline():
    offenders = [
        (str(path.relative_to(STATIONS)), module)
        for path in STATIONS.rglob("*.py")
        for module in _imported_modules(path)
        if module == "hotline" or module.startswith("hotline.")
    ]
    assert offenders == []
