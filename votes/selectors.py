"""Reads of the votes app: scoped querysets, the chain check behind ``verify_vote``, and the dashboard figures."""

from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from liaison.access import in_region
from liaison.models import AuditLog
from votes import integrity
from votes.models import Ballot, BallotReceipt, Candidate, Channel, CheckIn, Project, SatisfactionRating, VoteSession


def session_list(*, user, status=None):
    qs = (
        VoteSession.objects.visible_to(user)
        .select_related("congress", "congress__region")
        .annotate(candidate_count=Count("candidates", distinct=True))
        .order_by("-meeting_date", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def public_session_list(*, region=None, year=None):
    qs = (
        VoteSession.objects.public()
        .select_related("congress", "congress__region")
        .annotate(passed_count=Count("candidates", filter=Q(candidates__outcome=Candidate.Outcome.PASSED)))
        .order_by("-meeting_date", "-id")
    )
    if region is not None:
        qs = qs.filter(in_region("congress__region", region))
    if year:
        qs = qs.filter(year=year)
    return qs


def open_sessions_for_deputy(*, user):
    """Open sessions of congresses where the user holds an in-office seat, with whether they voted / checked in."""
    deputy = getattr(user, "deputy", None)
    if deputy is None:
        return []
    sessions = list(
        VoteSession.objects.filter(
            status=VoteSession.Status.OPEN,
            congress__memberships__deputy=deputy,
            congress__memberships__status="in_office",
        )
        .select_related("congress")
        .order_by("-meeting_date", "-id")
        .distinct()
    )
    voted = set(
        BallotReceipt.objects.filter(session__in=sessions, membership__deputy=deputy).values_list(
            "session_id", flat=True
        )
    )
    checked = set(
        CheckIn.objects.filter(session__in=sessions, membership__deputy=deputy).values_list("session_id", flat=True)
    )
    for session in sessions:
        session.has_voted = session.pk in voted
        session.is_checked_in = session.pk in checked
    return sessions


def deputy_ballot_state(*, session, deputy):
    seat = session.congress.memberships.filter(deputy=deputy, status="in_office").first()
    if seat is None:
        return {"seat": None, "checked_in": False, "voted": False}
    return {
        "seat": seat,
        "checked_in": CheckIn.objects.filter(session=session, membership=seat).exists(),
        "voted": BallotReceipt.objects.filter(session=session, membership=seat).exists(),
    }


def electorate(*, session):
    """The congress's in-office seats with check-in and participation flags (no ballot content, ever)."""
    checked = dict(CheckIn.objects.filter(session=session).values_list("membership_id", "method"))
    receipts = dict(BallotReceipt.objects.filter(session=session).values_list("membership_id", "channel"))
    rows = list(
        session.congress.memberships.filter(status="in_office").select_related("deputy").order_by("deputy__name", "id")
    )
    for row in rows:
        row.checkin_method = checked.get(row.pk)
        row.vote_channel = receipts.get(row.pk)
    return rows


def session_counts(*, session):
    return {
        "checked_in": CheckIn.objects.filter(session=session).count(),
        "receipts": BallotReceipt.objects.filter(session=session).count(),
        "electronic": Ballot.objects.filter(session=session, channel=Channel.ELECTRONIC).count(),
        "paper_issued": BallotReceipt.objects.filter(session=session, channel=Channel.PAPER).count(),
        "paper_entered": Ballot.objects.filter(session=session, channel=Channel.PAPER).count(),
    }


def result_rounds(*, session):
    """The session and its re-vote rounds, each with its candidates, for the result page."""
    rounds = [session]
    child = session.revotes.first()
    while child is not None:
        rounds.append(child)
        child = child.revotes.first()
    return rounds


# Verification --------------------------------------------------------------------------------------------------


def chain_problems(session, ballots):
    """What is wrong with the hash chain of ``ballots`` (ordered by seq); an empty list when intact."""
    problems = []
    previous = integrity.genesis_hash(session.chain_salt)
    for expected_seq, ballot in enumerate(ballots, start=1):
        if ballot.seq != expected_seq:
            problems.append(
                _("第 %(expected)s 张选票缺失（序号跳到 %(seq)s），有选票被删除。")
                % {"expected": expected_seq, "seq": ballot.seq}
            )
            break
        if ballot.previous_hash != previous:
            problems.append(_("第 %(seq)s 张选票的前一哈希与链不符。") % {"seq": ballot.seq})
            break
        content = integrity.canonical_content(
            seq=ballot.seq, channel=ballot.channel, paper_serial=ballot.paper_serial, choices=ballot.choices
        )
        if integrity.chain_hash(previous_hash=previous, content=content, salt=session.chain_salt) != ballot.hash:
            problems.append(_("第 %(seq)s 张选票的内容与其哈希不符，选票被修改。") % {"seq": ballot.seq})
            break
        previous = ballot.hash
    return problems


def verify_session(*, session):
    """Recompute chain and tally from the stored ballots and compare with what was published at close.

    Returns ``(problems, summary)``; ``problems`` is empty when everything matches.
    """
    ballots = list(Ballot.objects.filter(session=session).order_by("seq"))
    problems = chain_problems(session, ballots)
    candidates = list(session.candidates.order_by("position", "id"))
    try:
        tally = integrity.count(((b.channel, b.choices) for b in ballots), [c.pk for c in candidates])
    except (KeyError, ValueError, TypeError, AttributeError):
        problems.append(_("选票内容无法解析或含有不存在的候选项目。"))
        tally = integrity.Tally()
    final = ballots[-1].hash if ballots else integrity.genesis_hash(session.chain_salt)
    receipts = BallotReceipt.objects.filter(session=session)
    electronic_receipts = receipts.filter(channel=Channel.ELECTRONIC).count()
    paper_receipts = receipts.filter(channel=Channel.PAPER).count()
    if tally.electronic != electronic_receipts:
        problems.append(
            _("电子选票 %(ballots)s 张，与电子投票参与记录 %(receipts)s 条不符。")
            % {"ballots": tally.electronic, "receipts": electronic_receipts}
        )
    if tally.paper > paper_receipts:
        problems.append(
            _("纸质选票 %(ballots)s 张，多于发出的 %(receipts)s 张。")
            % {"ballots": tally.paper, "receipts": paper_receipts}
        )
    if session.status in (VoteSession.Status.CLOSED, VoteSession.Status.PUBLISHED):
        if session.ballots_cast != tally.ballots:
            problems.append(
                _("计票时公布收回选票 %(published)s 张，现存 %(stored)s 张：有选票被增加或删除。")
                % {"published": session.ballots_cast, "stored": tally.ballots}
            )
        published = (
            AuditLog.objects.filter(
                action="vote_session.close", object_type="votes.votesession", object_id=str(session.pk)
            )
            .order_by("created_at", "id")
            .values_list("data", flat=True)
            .first()
        )
        for reference in {session.final_hash, (published or {}).get("final_hash", session.final_hash)}:
            if final != reference:
                problems.append(
                    _("重新计算的最终哈希 %(final)s 与公布的 %(published)s 不符。")
                    % {"final": final, "published": reference}
                )
        for candidate in candidates:
            counts = tally.counts.get(candidate.pk, {"for": 0, "against": 0, "abstain": 0})
            stored = (candidate.votes_for, candidate.votes_against, candidate.votes_abstain)
            if stored != (counts["for"], counts["against"], counts["abstain"]):
                problems.append(
                    _("「%(title)s」公布的票数 %(stored)s 与重新计票 %(recount)s 不符。")
                    % {
                        "title": candidate.title,
                        "stored": "/".join(map(str, stored)),
                        "recount": f"{counts['for']}/{counts['against']}/{counts['abstain']}",
                    }
                )
    summary = {"ballots": tally.ballots, "electronic": tally.electronic, "paper": tally.paper, "final_hash": final}
    return problems, summary


# Supervise and evaluate ----------------------------------------------------------------------------------------

SATISFIED = [SatisfactionRating.Rating.SATISFIED, SatisfactionRating.Rating.BASICALLY]


def _with_satisfaction(qs):
    return qs.annotate(
        ratings_total=Count("ratings", distinct=True),
        ratings_satisfied=Count("ratings", filter=Q(ratings__rating__in=SATISFIED), distinct=True),
    )


def satisfaction_rate(satisfied, total):
    """满意率 = (满意 + 基本满意) / 参评人数, as a percentage with one decimal; None when nobody rated."""
    if not total:
        return None
    return (Decimal(satisfied) * 100 / Decimal(total)).quantize(Decimal("0.1"))


def project_list(*, user=None, region=None, year=None, public=False):
    qs = Project.objects.all() if public else Project.objects.visible_to(user)
    qs = _with_satisfaction(qs.select_related("session__congress__region", "department")).order_by(
        "-year", "session__congress__region__path", "title"
    )
    if region is not None:
        qs = qs.filter(in_region("session__congress__region", region))
    if year:
        qs = qs.filter(year=year)
    return qs


def project_detail(*, pk):
    return (
        _with_satisfaction(Project.objects.filter(pk=pk))
        .select_related("session__congress__region", "department", "candidate")
        .prefetch_related("milestones", "reports__photos", "list_items", "inspections", "supervisors__deputy")
        .first()
    )


def yearly_satisfaction(*, region=None):
    """Per year: projects rated, ratings, satisfaction rate — all ratings of the year's projects pooled."""
    qs = SatisfactionRating.objects.all()
    if region is not None:
        qs = qs.filter(in_region("project__session__congress__region", region))
    rows = (
        qs.values("project__year")
        .annotate(total=Count("id"), satisfied=Count("id", filter=Q(rating__in=SATISFIED)))
        .order_by("-project__year")
    )
    return [
        {
            "year": row["project__year"],
            "total": row["total"],
            "satisfied": row["satisfied"],
            "rate": satisfaction_rate(row["satisfied"], row["total"]),
        }
        for row in rows
    ]


def project_figures(*, region=None, year=None, congress=None):
    """Dashboard figures for a region (subtree), year and optionally one congress (the projects its vote sessions
    chose): projects chosen, budget, progress, satisfaction."""
    qs = Project.objects.all()
    if region is not None:
        qs = qs.filter(in_region("session__congress__region", region))
    if congress is not None:
        qs = qs.filter(session__congress=congress)
    if year:
        qs = qs.filter(year=year)
    agg = qs.aggregate(
        projects=Count("id"),
        budget=Sum("budget"),
        progress=Avg("progress"),
        finished=Count("id", filter=Q(status=Project.Status.FINISHED)),
    )
    ratings = SatisfactionRating.objects.filter(project__in=qs).aggregate(
        total=Count("id"), satisfied=Count("id", filter=Q(rating__in=SATISFIED))
    )
    return {
        "projects": agg["projects"],
        "finished": agg["finished"],
        "budget_total": agg["budget"] or Decimal("0"),
        "average_progress": round(agg["progress"] or 0, 1),
        "ratings": ratings["total"],
        "satisfaction_rate": satisfaction_rate(ratings["satisfied"], ratings["total"]),
    }


def project_figures_by_year(*, region=None):
    """The same figures per year (newest first), for the dashboard's trend."""
    qs = Project.objects.all()
    if region is not None:
        qs = qs.filter(in_region("session__congress__region", region))
    years = qs.values_list("year", flat=True).distinct().order_by("-year")
    return [{"year": year, **project_figures(region=region, year=year)} for year in years]
