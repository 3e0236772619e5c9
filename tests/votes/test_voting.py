import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from deputies.models import DutyKind, DutyRecord
from liaison.errors import ApplicationError, InvalidTransition
from tests.factories import MembershipFactory
from tests.votes.factories import cast_electronic, cast_paper, choices_for, deputy_user, make_session
from votes import services
from votes.models import Ballot, BallotReceipt, Candidate, VoteSession

pytestmark = pytest.mark.django_db


def test_session_cannot_open_without_margin_of_one_more_candidate(congress_ty, staff_zz):
    congress, _ = congress_ty
    session = make_session(actor=staff_zz, congress=congress, seats=2, candidates=2)
    with pytest.raises(ApplicationError) as exc:
        services.session_open(actor=staff_zz, session=session)
    assert exc.value.code == "margin_not_met"
    assert str(exc.value.message) == "差额票决要求候选项目不少于 3 个（应选 2 个），目前只有 2 个，不能开始投票。"
    session.refresh_from_db()
    assert session.status == VoteSession.Status.DRAFT


def test_margin_ratio_raises_the_minimum_number_of_candidates(congress_ty, staff_zz):
    congress, _ = congress_ty
    session = make_session(actor=staff_zz, congress=congress, seats=2, candidates=3, margin_ratio=100)
    assert session.min_candidates == 4
    with pytest.raises(ApplicationError, match="不少于 4 个"):
        services.session_open(actor=staff_zz, session=session)


def test_candidate_list_cannot_change_after_it_is_locked(draft_session, staff_zz):
    services.session_lock_candidates(actor=staff_zz, session=draft_session)
    candidate = draft_session.candidates.first()
    expected = "候选项目清单已于投票前锁定，不能再增加、修改或删除候选项目。"
    with pytest.raises(ApplicationError) as exc:
        services.candidate_update(actor=staff_zz, candidate=candidate, budget=Decimal("999"))
    assert (exc.value.status_code, str(exc.value.message)) == (409, expected)
    with pytest.raises(ApplicationError, match=expected):
        services.candidate_remove(actor=staff_zz, candidate=candidate)
    with pytest.raises(ApplicationError, match=expected):
        services.candidate_add(
            actor=staff_zz,
            session=draft_session,
            title="新增项目",
            description="x",
            budget=1,
            department=candidate.department,
            timeline="2024年",
            beneficiaries="全镇",
            source=Candidate.Source.DEPUTY,
        )
    candidate.refresh_from_db()
    assert candidate.budget == Decimal("320.00")


def test_opening_locks_the_list_and_counts_the_electorate(open_session):
    assert open_session.status == VoteSession.Status.OPEN
    assert open_session.candidates_locked_at is not None
    assert open_session.electorate_size == 5
    assert len(open_session.chain_salt) == 64
    assert open_session.status_changes.get().to_status == "open"


def test_ballot_with_more_for_than_seats_is_refused(open_session, congress_ty):
    _, seats = congress_ty
    with pytest.raises(ApplicationError) as exc:
        cast_electronic(open_session, seats[0], "for", "for", "for")
    assert exc.value.code == "too_many_for"
    assert str(exc.value.message) == "本次应选 2 个项目，每张选票最多投 2 个赞成票；这张选票有 3 个赞成，无效。"
    assert not Ballot.objects.exists() and not BallotReceipt.objects.exists()


def test_deputy_who_has_not_checked_in_cannot_vote(open_session, congress_ty):
    _, seats = congress_ty
    user = deputy_user(seats[0])
    with pytest.raises(ApplicationError) as exc:
        services.ballot_cast(
            actor=user, session=open_session, choices=choices_for(open_session, "for", "for", "against")
        )
    assert (exc.value.status_code, str(exc.value.message)) == (403, "您尚未签到，签到后才能投票。")


def test_deputy_of_another_congress_cannot_vote(open_session):
    outsider = MembershipFactory()
    user = deputy_user(outsider)
    with pytest.raises(ApplicationError, match="不是本届人民代表大会的在任代表"):
        services.ballot_cast(
            actor=user, session=open_session, choices=choices_for(open_session, "for", "for", "against")
        )


def test_second_ballot_by_the_same_deputy_is_refused(open_session, congress_ty):
    _, seats = congress_ty
    cast_electronic(open_session, seats[0], "for", "for", "against")
    with pytest.raises(ApplicationError) as exc:
        services.ballot_cast(
            actor=seats[0].deputy.user, session=open_session, choices=choices_for(open_session, "for", "against", "for")
        )
    assert (exc.value.status_code, str(exc.value.message)) == (409, "您已经投过票，每位代表只能投一票。")
    assert Ballot.objects.count() == 1


def test_self_checkin_only_when_staff_allow_it(open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    user = deputy_user(seats[0])
    with pytest.raises(ApplicationError, match="不开放代表自助签到"):
        services.checkin_self(actor=user, session=open_session)
    VoteSession.objects.filter(pk=open_session.pk).update(allow_self_checkin=True)
    checkin = services.checkin_self(actor=user, session=open_session)
    assert checkin.method == "self" and checkin.membership == seats[0]


def test_paper_serial_is_entered_once(open_session, congress_ty):
    _, seats = congress_ty
    cast_paper(open_session, seats[0], "P-001", "for", "for", "against")
    services.checkin_register(actor=None, session=open_session, membership=seats[1])
    services.paper_ballot_issue(actor=None, session=open_session, membership=seats[1])
    with pytest.raises(ApplicationError) as exc:
        services.paper_ballot_enter(
            actor=None, session=open_session, serial="P-001", choices=choices_for(open_session, "for", "for", "against")
        )
    assert (exc.value.status_code, str(exc.value.message)) == (409, "编号为 P-001 的纸质选票已经录入，不能重复录入。")


def test_paper_ballots_cannot_exceed_those_handed_out(open_session):
    with pytest.raises(ApplicationError, match="录入的纸质选票已达发出的 0 张"):
        services.paper_ballot_enter(
            actor=None, session=open_session, serial="P-9", choices=choices_for(open_session, "for", "for", "against")
        )


def test_paper_and_electronic_ballots_are_tallied_together_and_reported_apart(open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    cast_electronic(open_session, seats[0], "for", "for", "against")
    cast_electronic(open_session, seats[1], "for", "against", "for")
    cast_paper(open_session, seats[2], "P-001", "for", "for", "abstain")
    cast_paper(open_session, seats[3], "P-002", "against", "for", "for")
    session = services.session_close(actor=staff_zz, session=open_session)
    assert (session.ballots_cast, session.electronic_ballots, session.paper_ballots) == (4, 2, 2)
    assert session.present_count == 4 and session.electorate_size == 5 and session.majority_threshold == 3
    rows = list(
        session.candidates.order_by("position").values_list(
            "votes_for", "votes_against", "votes_abstain", "rank", "outcome"
        )
    )
    assert rows == [(3, 1, 0, 1, "passed"), (3, 1, 0, 1, "passed"), (2, 1, 1, 3, "failed")]
    assert session.tie_detected is False
    assert session.final_hash == Ballot.objects.get(session=session, seq=4).hash


def test_present_deputies_base_lowers_the_threshold(congress_ty, staff_zz):
    congress, seats = congress_ty
    session = make_session(actor=staff_zz, congress=congress, majority_base=VoteSession.MajorityBase.PRESENT_DEPUTIES)
    services.session_open(actor=staff_zz, session=session)
    cast_electronic(session, seats[0], "for", "for", "against")
    cast_electronic(session, seats[1], "for", "against", "against")
    session = services.session_close(actor=staff_zz, session=session)
    # 2 present: more than half is 2 — with the "all deputies" base (5) it would be 3 and nothing would pass.
    assert session.majority_threshold == 2
    assert list(session.candidates.order_by("position").values_list("outcome", flat=True)) == [
        "passed",
        "failed",
        "failed",
    ]


def test_boundary_tie_is_reported_and_needs_a_revote_round(open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    cast_electronic(open_session, seats[0], "for", "for", "against")
    cast_electronic(open_session, seats[1], "for", "against", "for")
    cast_electronic(open_session, seats[2], "for", "for", "against")
    cast_electronic(open_session, seats[3], "for", "against", "for")
    cast_electronic(open_session, seats[4], "against", "for", "for")
    session = services.session_close(actor=staff_zz, session=open_session)
    first, second, third = session.candidates.order_by("position")
    assert (first.votes_for, first.outcome) == (4, "passed")
    assert (second.votes_for, second.outcome, second.rank) == (3, "tie", 2)
    assert (third.votes_for, third.outcome, third.rank) == (3, "tie", 2)
    assert session.tie_detected is True

    revote = services.session_start_revote(actor=staff_zz, session=session)
    assert (revote.round_number, revote.seats, revote.parent) == (2, 1, session)
    assert [c.origin for c in revote.candidates.order_by("position")] == [second, third]
    assert revote.checkins.count() == 5
    with pytest.raises(ApplicationError, match="已经安排了重新表决"):
        services.session_start_revote(actor=staff_zz, session=session)

    services.session_open(actor=staff_zz, session=revote)
    for seat, choice in zip(seats, ["for", "for", "for", "against", "against"], strict=True):
        services.ballot_cast(
            actor=seat.deputy.user,
            session=revote,
            choices=choices_for(revote, choice, "against" if choice == "for" else "for"),
        )
    revote = services.session_close(actor=staff_zz, session=revote)
    assert list(revote.candidates.order_by("position").values_list("votes_for", "outcome")) == [
        (3, "passed"),
        (2, "failed"),
    ]
    assert revote.tie_detected is False


def test_closing_twice_is_an_invalid_transition(open_session, staff_zz):
    services.session_close(actor=staff_zz, session=open_session)
    with pytest.raises(InvalidTransition) as exc:
        services.session_close(actor=staff_zz, session=open_session)
    assert str(exc.value.message) == "当前状态为「已计票」，不能变更为「已计票」。"


def test_vote_duty_record_is_added_at_close_for_those_who_voted(open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    cast_electronic(open_session, seats[0], "for", "for", "against")
    services.checkin_register(actor=staff_zz, session=open_session, membership=seats[1])
    assert not DutyRecord.objects.filter(kind=DutyKind.VOTE).exists()
    services.session_close(actor=staff_zz, session=open_session)
    record = DutyRecord.objects.get(kind=DutyKind.VOTE)
    assert (record.membership, record.source_key, record.occurred_on) == (
        seats[0],
        f"vote:{open_session.pk}",
        datetime.date(2024, 4, 26),
    )


def test_publishing_turns_passed_candidates_into_projects(open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    for seat in seats[:3]:
        cast_electronic(open_session, seat, "for", "for", "against")
    services.session_close(actor=staff_zz, session=open_session)
    services.session_publish(actor=staff_zz, session=open_session)
    assert sorted(p.title for p in open_session.projects.all()) == ["交通设施完善工程", "安全饮水巩固提升工程"]


# Secret ballot -------------------------------------------------------------------------------------------------


def test_ballot_table_has_no_column_that_joins_content_to_a_deputy_or_a_time():
    with connection.cursor() as cursor:
        columns = {c.name: c for c in connection.introspection.get_table_description(cursor, "votes_ballot")}
        relations = connection.introspection.get_relations(cursor, "votes_ballot")
    assert set(columns) == {
        "id",
        "session_id",
        "seq",
        "channel",
        "paper_serial",
        "choices",
        "previous_hash",
        "hash",
        "sealed",
    }
    assert {target for _col, (target, _table) in relations.items()} == {"id"}
    assert {table for _col, (_target, table) in relations.items()} == {"votes_votesession"}
    assert columns["id"].type_code == 2950  # uuid, not a serial: the key says nothing about order
    time_types = {1082, 1083, 1114, 1184, 1266}  # date, time, timestamp, timestamptz, timetz
    assert not [name for name, col in columns.items() if col.type_code in time_types]


def test_receipt_table_has_no_time_no_sequence_and_a_random_key():
    with connection.cursor() as cursor:
        columns = {c.name: c for c in connection.introspection.get_table_description(cursor, "votes_ballotreceipt")}
    assert set(columns) == {"id", "session_id", "membership_id", "channel", "sealed"}
    assert columns["id"].type_code == 2950


def _xmins(table, session):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {table} WHERE session_id = %s", [session.pk])
        return {row[0] for row in cursor.fetchall()}


def test_closing_gives_ballots_and_receipts_one_transaction_id_and_shuffles_receipts(
    open_session, congress_ty, staff_zz
):
    _, seats = congress_ty
    for seat in seats[:4]:
        cast_electronic(open_session, seat, "for", "against", "for")
    # Each cast wrote its receipt and ballot in one transaction: their transaction ids sit side by side.
    ballot_ids = {int(x) for x in _xmins("votes_ballot", open_session)}
    receipt_ids = {int(x) for x in _xmins("votes_ballotreceipt", open_session)}
    assert len(ballot_ids) == 4 and all(
        x - 1 in ballot_ids or x + 1 in ballot_ids or x in ballot_ids for x in receipt_ids
    )
    services.session_close(actor=staff_zz, session=open_session)
    ballots, receipts = _xmins("votes_ballot", open_session), _xmins("votes_ballotreceipt", open_session)
    assert len(ballots) == 1 and ballots == receipts
    assert BallotReceipt.objects.filter(session=open_session, sealed=True).count() == 4
    assert Ballot.objects.filter(session=open_session, sealed=True).count() == 4


# Tamper evidence -----------------------------------------------------------------------------------------------


@pytest.fixture
def closed_session(open_session, congress_ty, staff_zz):
    _, seats = congress_ty
    cast_electronic(open_session, seats[0], "for", "for", "against")
    cast_electronic(open_session, seats[1], "for", "against", "for")
    cast_paper(open_session, seats[2], "P-001", "for", "for", "abstain")
    return services.session_close(actor=staff_zz, session=open_session)


def test_verify_vote_passes_on_untouched_ballots(closed_session, capsys):
    call_command("verify_vote", str(closed_session.pk))
    out = capsys.readouterr().out
    assert "校验通过" in out and closed_session.final_hash in out


def test_verify_vote_fails_when_a_ballot_is_edited_in_sql(closed_session):
    first = closed_session.candidates.order_by("position").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE votes_ballot SET choices = jsonb_set(choices, %s, '\"for\"') WHERE session_id = %s AND seq = 1",
            [f"{{{first.pk + 2}}}", closed_session.pk],
        )
    with pytest.raises(CommandError, match="选票记录已被篡改"):
        call_command("verify_vote", str(closed_session.pk))


def test_verify_vote_fails_when_a_ballot_is_deleted(closed_session, capsys):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM votes_ballot WHERE session_id = %s AND seq = 3", [closed_session.pk])
    with pytest.raises(CommandError):
        call_command("verify_vote", str(closed_session.pk))
    err = capsys.readouterr().err
    assert "计票时公布收回选票 3 张，现存 2 张" in err


def test_verify_vote_fails_when_a_ballot_is_added_with_a_valid_looking_hash(closed_session):
    last = Ballot.objects.get(session=closed_session, seq=3)
    from votes import integrity

    choices = choices_for(closed_session, "for", "for", "against")
    content = integrity.canonical_content(seq=4, channel="electronic", paper_serial="", choices=choices)
    Ballot.objects.create(
        session=closed_session,
        seq=4,
        channel="electronic",
        choices=choices,
        previous_hash=last.hash,
        hash=integrity.chain_hash(previous_hash=last.hash, content=content, salt=closed_session.chain_salt),
    )
    with pytest.raises(CommandError):
        call_command("verify_vote", str(closed_session.pk))


def test_verify_vote_exits_non_zero_from_the_command_line(closed_session):
    from django.core.management import ManagementUtility

    Ballot.objects.filter(session=closed_session, seq=2).update(channel="paper")
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "verify_vote", str(closed_session.pk)]).execute()
    assert exc.value.code == 1


def test_database_refuses_a_second_receipt_for_the_same_seat_even_without_the_code_checks(open_session, congress_ty):
    from django.db import IntegrityError, transaction

    _, seats = congress_ty
    BallotReceipt.objects.create(session=open_session, membership=seats[0], channel="electronic")
    with pytest.raises(IntegrityError, match="ballotreceipt_one_per_seat"), transaction.atomic():
        BallotReceipt.objects.create(session=open_session, membership=seats[0], channel="paper")


def test_ballot_content_is_not_in_the_audit_log(open_session, congress_ty, staff_zz):
    from liaison.models import AuditLog

    _, seats = congress_ty
    cast_electronic(open_session, seats[0], "for", "for", "against")
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert "vote_session.check_in" in actions
    assert not [a for a in actions if "cast" in a or "ballot" in a]
