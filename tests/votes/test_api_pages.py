import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from tests.security.helpers import password_just_entered
from tests.votes.factories import cast_electronic, cast_paper, choices_for, deputy_user, make_congress, make_session
from votes import services
from votes.models import Ballot, Candidate, VoteSession

pytestmark = pytest.mark.django_db


def _payload(session, *pattern):
    return {"choices": [{"candidate": int(k), "choice": v} for k, v in choices_for(session, *pattern).items()]}


def test_deputy_casts_a_ballot_through_the_api(client, open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    user = deputy_user(seats[0])
    services.checkin_register(actor=staff_zz, session=open_session, membership=seats[0])
    client.force_login(user)
    url = f"/api/v1/vote-sessions/{open_session.pk}/ballots/"
    response = client.post(url, _payload(open_session, "for", "against", "for"), content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {"session": open_session.pk, "message": "投票成功，感谢您参加票决。"}
    again = client.post(url, _payload(open_session, "for", "against", "for"), content_type="application/json")
    assert again.status_code == 409
    assert again.json()["message"] == "您已经投过票，每位代表只能投一票。"
    assert Ballot.objects.count() == 1


def test_api_refuses_more_for_than_seats_with_the_rule_in_the_message(client, open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    user = deputy_user(seats[0])
    services.checkin_register(actor=staff_zz, session=open_session, membership=seats[0])
    client.force_login(user)
    response = client.post(
        f"/api/v1/vote-sessions/{open_session.pk}/ballots/",
        _payload(open_session, "for", "for", "for"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "too_many_for",
        "message": "本次应选 2 个项目，每张选票最多投 2 个赞成票；这张选票有 3 个赞成，无效。",
        "fields": {},
        "extra": {"seats": 2, "for": 3},
    }


def test_api_refuses_a_deputy_who_has_not_checked_in(client, open_session, congress_ty):
    _, seats = congress_ty
    client.force_login(deputy_user(seats[0]))
    response = client.post(
        f"/api/v1/vote-sessions/{open_session.pk}/ballots/",
        _payload(open_session, "for", "against", "for"),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["message"]) == (403, "您尚未签到，签到后才能投票。")


def test_ballot_page_refuses_over_n_and_then_accepts_a_valid_ballot(client, open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    user = deputy_user(seats[0])
    services.checkin_register(actor=staff_zz, session=open_session, membership=seats[0])
    client.force_login(user)
    url = reverse("votes:ballot", args=[open_session.pk])
    form = {f"choice_{k}": v for k, v in choices_for(open_session, "for", "for", "for").items()}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "这张选票有 3 个赞成，无效。" in response.content.decode()
    form = {f"choice_{k}": v for k, v in choices_for(open_session, "for", "abstain", "against").items()}
    response = client.post(url, form, follow=True)
    assert "您已完成投票" in response.content.decode()
    assert Ballot.objects.count() == 1


def test_deputy_checks_in_on_the_ballot_page_when_staff_allow_it(client, congress_ty, staff_zz):
    congress, seats = congress_ty
    session = make_session(actor=staff_zz, congress=congress, allow_self_checkin=True)
    services.session_open(actor=staff_zz, session=session)
    client.force_login(deputy_user(seats[0]))
    response = client.post(reverse("votes:ballot", args=[session.pk]), {"action": "checkin"}, follow=True)
    assert "签到成功，可以投票了。" in response.content.decode()
    assert session.checkins.get().method == "self"


def test_staff_check_in_issue_paper_and_enter_it(client, open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    client.force_login(staff_zz)
    url = reverse("votes:checkin", args=[open_session.pk])
    client.post(url, {"membership": seats[0].pk})
    client.post(url, {"membership": seats[0].pk, "action": "paper"})
    form = {f"choice_{k}": v for k, v in choices_for(open_session, "for", "for", "against").items()}
    response = client.post(
        reverse("votes:paper_entry", args=[open_session.pk]), {"serial": "A001", **form}, follow=True
    )
    assert "纸质选票 A001 已录入。" in response.content.decode()
    response = client.post(reverse("votes:paper_entry", args=[open_session.pk]), {"serial": "A001", **form})
    assert "编号为 A001 的纸质选票已经录入，不能重复录入。" in response.content.decode()
    assert Ballot.objects.filter(channel="paper").count() == 1


def test_staff_closes_from_the_page_and_the_public_sees_the_result(client, open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    cast_electronic(open_session, seats[0], "for", "for", "against")
    cast_electronic(open_session, seats[1], "for", "for", "against")
    cast_paper(open_session, seats[2], "P1", "for", "against", "for")
    client.force_login(staff_zz)
    password_just_entered(client)
    client.post(reverse("votes:session_action", args=[open_session.pk, "close"]))
    open_session.refresh_from_db()
    assert open_session.status == "closed"
    client.logout()
    response = client.get(reverse("votes:result_detail", args=[open_session.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert open_session.final_hash in html
    assert "电子 2，纸质 1" in html and "60.0%" in html
    api = client.get(f"/api/v1/vote-results/{open_session.pk}/").json()
    assert (api["ballots_cast"], api["electronic_ballots"], api["paper_ballots"], api["turnout"]) == (3, 2, 1, "60.0")
    assert [(c["votes_for"], c["outcome"]) for c in api["candidates"]] == [(3, "passed"), (2, "failed"), (1, "failed")]


def test_results_of_an_open_session_are_not_public(client, open_session):
    assert client.get(reverse("votes:result_detail", args=[open_session.pk])).status_code == 404
    assert client.get(f"/api/v1/vote-results/{open_session.pk}/").status_code == 404


def test_hengyang_staff_cannot_see_a_zhuzhou_session(client, open_session, staff_hy):
    client.force_login(staff_hy)
    assert client.get(reverse("votes:session_detail", args=[open_session.pk])).status_code == 404
    assert client.get(reverse("votes:checkin", args=[open_session.pk])).status_code == 404
    assert client.post(reverse("votes:session_action", args=[open_session.pk, "close"])).status_code == 404
    assert client.get(f"/api/v1/vote-sessions/{open_session.pk}/").status_code == 404
    assert client.get("/api/v1/vote-sessions/").json()["count"] == 0
    open_session.refresh_from_db()
    assert open_session.status == VoteSession.Status.OPEN


def test_deputy_of_another_congress_cannot_reach_the_ballot(client, open_session):
    outsider = MembershipFactory()
    client.force_login(deputy_user(outsider))
    assert client.get(reverse("votes:ballot", args=[open_session.pk])).status_code == 404
    response = client.post(
        f"/api/v1/vote-sessions/{open_session.pk}/ballots/",
        _payload(open_session, "for", "against", "for"),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_staff_candidate_page_refuses_changes_after_lock(client, draft_session, staff_zz):
    services.session_lock_candidates(actor=staff_zz, session=draft_session)
    client.force_login(staff_zz)
    response = client.get(reverse("votes:session_detail", args=[draft_session.pk]))
    assert "添加候选项目" not in response.content.decode()
    assert "候选清单已锁定" in response.content.decode()


def test_workbench_cards_for_staff_and_deputy(client, open_session, congress_ty, staff_zz):
    from votes.workbench import cards

    _, seats = congress_ty
    assert [(c.title, c.count) for c in cards(staff_zz)] == [("进行中的票决", 1)]
    user = deputy_user(seats[0])
    assert [(c.title, c.count) for c in cards(user)] == [("待投票的票决", 1)]
    cast_electronic(open_session, seats[0], "for", "against", "for")
    assert [(c.title, c.count) for c in cards(user)] == [("待投票的票决", 0)]


def test_schema_lists_every_votes_endpoint(client, staff_zz):
    client.force_login(staff_zz)
    body = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/vote-sessions/",
        "/api/v1/vote-sessions/{session_id}/ballots/",
        "/api/v1/vote-results/{id}/",
        "/api/v1/vote-projects/{id}/",
    ):
        assert path in body


@pytest.mark.parametrize("rows", [5, 200])
def test_lists_run_a_constant_number_of_queries(client, regions, staff_zz, rows, django_assert_max_num_queries):
    congress, _ = make_congress(regions["tianyuan"], deputies=1)
    model = make_session(actor=staff_zz, congress=congress)
    department = model.candidates.first().department
    sessions = VoteSession.objects.bulk_create(
        [
            VoteSession(
                congress=congress,
                title=f"票决{i}",
                meeting="会议",
                meeting_date=model.meeting_date,
                year=2024,
                seats=2,
                status="closed",
            )
            for i in range(rows - 1)
        ]
    )
    Candidate.objects.bulk_create(
        [
            Candidate(
                session=session,
                position=n,
                title=f"项目{n}",
                description="x",
                budget=1,
                department=department,
                timeline="2024",
                beneficiaries="x",
                source="citizen",
            )
            for session in sessions
            for n in range(1, 4)
        ]
    )
    client.force_login(staff_zz)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("votes:session_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/vote-sessions/?page_size=100").status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/vote-results/?page_size=100").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("votes:result_list")).status_code == 200


def test_deputy_ballot_list_shows_only_own_open_sessions(client, open_session, congress_ty, regions, staff_hy):
    _, seats = congress_ty
    other_congress, _ = make_congress(regions["hengnan"], deputies=1)
    other = make_session(actor=staff_hy, congress=other_congress, title="衡南县票决")
    services.session_open(actor=staff_hy, session=other)
    client.force_login(deputy_user(seats[0]))
    html = client.get(reverse("votes:my_ballots")).content.decode()
    assert open_session.title in html and "衡南县票决" not in html


def test_unit_user_sees_no_vote_sessions(client, open_session, unit_zz):
    client.force_login(unit_zz)
    assert client.get("/api/v1/vote-sessions/").json()["count"] == 0
    assert client.get(reverse("votes:session_list")).status_code == 404
