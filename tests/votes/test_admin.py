import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.votes.factories import cast_electronic
from votes.models import VoteSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_zz(client, regions):
    user = UserFactory(username="root", is_superuser=True, is_staff=True, region=regions["province"])
    client.force_login(user)
    return client


def test_admin_creates_a_session_through_the_service(admin_client_zz, congress_ty):
    congress, _ = congress_ty
    response = admin_client_zz.post(
        reverse("admin:votes_votesession_add"),
        {
            "congress": congress.pk,
            "title": "2025年民生实事项目票决",
            "meeting": "第五次会议",
            "meeting_date": "2025-01-10",
            "seats": 2,
            "margin_ratio": "",
            "majority_base": "all",
            "candidates-TOTAL_FORMS": 0,
            "candidates-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = VoteSession.objects.get(title="2025年民生实事项目票决")
    assert (session.year, session.status, session.meeting_date) == (2025, "draft", datetime.date(2025, 1, 10))


def test_admin_actions_open_and_close_through_the_services(admin_client_zz, draft_session, congress_ty):
    _, seats = congress_ty
    url = reverse("admin:votes_votesession_changelist")
    admin_client_zz.post(url, {"action": "open_sessions", "_selected_action": [draft_session.pk]})
    draft_session.refresh_from_db()
    assert draft_session.status == "open"
    for seat in seats[:3]:
        cast_electronic(draft_session, seat, "for", "for", "against")
    admin_client_zz.post(url, {"action": "close_sessions", "_selected_action": [draft_session.pk]})
    draft_session.refresh_from_db()
    assert (draft_session.status, draft_session.ballots_cast) == ("closed", 3)
    assert draft_session.status_changes.count() == 2


def test_admin_margin_refusal_is_reported_and_nothing_changes(admin_client_zz, congress_ty, staff_zz):
    from tests.votes.factories import make_session

    congress, _ = congress_ty
    session = make_session(actor=staff_zz, congress=congress, candidates=2)
    response = admin_client_zz.post(
        reverse("admin:votes_votesession_changelist"),
        {"action": "open_sessions", "_selected_action": [session.pk]},
        follow=True,
    )
    assert "差额票决要求候选项目不少于 3 个" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "draft"


def test_locked_candidates_are_read_only_in_admin(admin_client_zz, open_session):
    html = admin_client_zz.get(reverse("admin:votes_votesession_change", args=[open_session.pk])).content.decode()
    assert 'name="candidates-0-title"' not in html
    assert "安全饮水巩固提升工程" in html
