"""The votes services hold the region check themselves, as the other apps' services do: staff of another region are
refused whichever door the action comes through (pages, admin actions, commands)."""

import datetime

import pytest

from liaison.errors import PermissionDenied
from tests.votes.factories import make_session
from votes import services
from votes.models import VoteSession, VoteSessionStatusChange

pytestmark = pytest.mark.django_db


def test_staff_of_another_region_cannot_open_a_session(draft_session, staff_hy):
    with pytest.raises(PermissionDenied) as refused:
        services.session_open(actor=staff_hy, session=draft_session)
    assert refused.value.code == "out_of_scope"
    assert refused.value.status_code == 403
    draft_session.refresh_from_db()
    assert draft_session.status == VoteSession.Status.DRAFT
    assert not VoteSessionStatusChange.objects.filter(session=draft_session).exists()


def test_staff_of_another_region_cannot_create_a_session_for_its_congress(congress_ty, staff_hy):
    congress, _ = congress_ty
    with pytest.raises(PermissionDenied) as refused:
        make_session(actor=staff_hy, congress=congress)
    assert refused.value.code == "out_of_scope"
    assert not VoteSession.objects.filter(congress=congress).exists()


def test_staff_above_the_region_may_act(draft_session, staff_province):
    opened = services.session_open(actor=staff_province, session=draft_session)
    assert opened.status == VoteSession.Status.OPEN


def test_a_unit_user_cannot_run_a_staff_action(draft_session, unit_zz):
    with pytest.raises(PermissionDenied) as refused:
        services.session_lock_candidates(actor=unit_zz, session=draft_session)
    assert refused.value.code == "staff_only"


def test_staff_of_another_region_cannot_finish_or_report_on_a_project(open_session, congress_ty, staff_zz, staff_hy):
    from tests.votes.factories import cast_electronic

    _, seats = congress_ty
    for seat in seats[:3]:
        cast_electronic(open_session, seat, "for", "for", "against")
    services.session_close(actor=staff_zz, session=open_session)
    session = services.session_publish(actor=staff_zz, session=open_session)
    project = session.projects.first()
    with pytest.raises(PermissionDenied, match="该区域不在您的管辖范围内。"):
        services.project_finish(actor=staff_hy, project=project, finished_on=datetime.date(2024, 12, 1))
    with pytest.raises(PermissionDenied, match="该区域不在您的管辖范围内。"):
        services.progress_report_add(actor=staff_hy, project=project, text="x", percent=10)
    project.refresh_from_db()
    assert project.progress == 0
    assert not project.reports.exists()
