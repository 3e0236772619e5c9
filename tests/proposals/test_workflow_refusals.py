"""A move the table refuses is a 409 naming both states in Chinese, through the API and through a page."""

import pytest
from django.db import transaction
from django.urls import include, path

from liaison import workflow
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def _close_view(request, pk):
    """A page that lets the core's refusal reach the page handler (liaison.middleware.ApplicationErrorMiddleware)."""
    with transaction.atomic():
        workflow.transition(Proposal.objects.get(pk=pk), Proposal.Status.CLOSED, actor=request.user)


urlpatterns = [path("workflow-test/<int:pk>/close/", _close_view), path("", include("config.urls"))]


def test_the_api_answers_a_refused_move_with_409_in_chinese(client, flow):
    proposal = flow.submitted()
    client.force_login(flow.staff)
    response = client.post(f"/api/v1/proposals/{proposal.pk}/close/", {}, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "当前状态“待审核”不能转为“已办结”。",
        "fields": {},
        "extra": {"current": "submitted", "requested": "closed"},
    }
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED
    assert proposal.status_changes.count() == 2  # draft, submitted: nothing written for the refusal


@pytest.mark.urls(__name__)
def test_a_page_answers_a_refused_move_with_409_in_chinese(client, flow):
    proposal = flow.submitted()
    client.force_login(flow.staff)
    response = client.post(f"/workflow-test/{proposal.pk}/close/")
    assert response.status_code == 409
    assert "当前状态“待审核”不能转为“已办结”。" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED
