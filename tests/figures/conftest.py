"""Hand-counted fixtures for the figures: 株洲市 (with 天元区) has data in 2024 and 2023, 衡阳市 a little,
衡南县 nothing. Rows are created directly (the workflows themselves are tested in their apps)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.cache import cache

from deputies.models import DutyKind, Membership, PointRule
from hotline.models import HotlineWorkOrder
from proposals.models import Proposal
from stations.models import Opinion, ReceptionDay, Station
from tests.factories import CongressFactory, DeputyFactory, DutyRecordFactory, MembershipFactory, OrganizationFactory
from tests.proposals.factories import AssignmentFactory, ProposalFactory
from tests.stations.factories import OpinionFactory, ReceptionDayFactory, StationFactory
from tests.votes.factories import make_session
from votes.models import Project, SatisfactionRating

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def at(year, month, day):
    return datetime.datetime(year, month, day, 10, 0, tzinfo=SHANGHAI)


def proposal(congress, deputy, when, reply_class="", rating="", **extra):
    row = ProposalFactory(
        congress=congress,
        lead_deputy=deputy,
        submitted_at=when,
        accepted_at=extra.pop("accepted_at", when if reply_class else None),
        reply_class=reply_class,
        rating=rating,
        status=extra.pop("status", Proposal.Status.REPLIED if reply_class else Proposal.Status.SUBMITTED),
        **extra,
    )
    return row


def project(session, candidate, *, year, progress, finished=False):
    return Project.objects.create(
        candidate=candidate,
        session=session,
        title=candidate.title,
        year=year,
        budget=candidate.budget,
        department=candidate.department,
        progress=progress,
        status=Project.Status.FINISHED if finished else Project.Status.IMPLEMENTING,
    )


@pytest.fixture
def counted(regions, staff_zz):
    """By hand:

    Seats — 株洲市 congress (level 3): 张建国, 李秀英, 王志强 in office, 刘海燕 terminated; 天元区 congress (level 4):
    张建国 (second seat) and 陈卫东 in office; 衡阳市 congress (level 3): 周卫东 in office.
    Points — rule 5 per inspection, 3 per training in 株洲市, 2 per inspection in 天元区. 2024: 张建国 (市) 2
    inspections + 1 training = 13, 李秀英 1 inspection = 5; 陈卫东 (区) 1 inspection = 2; 2023: 王志强 1
    inspection = 5. A terminated seat's records never count.
    Proposals (株洲市 congress) 2024: A satisfied, A basic, B unsatisfied, C satisfied, one merged, one not yet
    replied (key-supervised); 2023: A satisfied, C unsatisfied. 衡阳市 2024: one B.
    Projects (天元区 session, year 2024): 安全饮水 320 万元 finished 100 %, 交通设施 450 万元 at 50 %;
    ratings 2 satisfied, 1 basically, 1 unsatisfied on the first → 75.0 %; the 4 raters are 天元区 seats too.
    """
    zz = CongressFactory(region=regions["zhuzhou"], level=3, term=16, name="株洲市第十六届人民代表大会")
    ty = CongressFactory(region=regions["tianyuan"], level=4, term=5, name="天元区第五届人民代表大会")
    hy = CongressFactory(region=regions["hengyang"], level=3, term=16, name="衡阳市第十六届人民代表大会")
    zhang = DeputyFactory(name="张建国")
    seats = {
        "zhang": MembershipFactory(congress=zz, deputy=zhang),
        "li": MembershipFactory(congress=zz, deputy__name="李秀英"),
        "wang": MembershipFactory(congress=zz, deputy__name="王志强"),
        "liu": MembershipFactory(
            congress=zz,
            deputy__name="刘海燕",
            status=Membership.Status.TERMINATED,
            terminated_on=datetime.date(2024, 2, 1),
        ),
        "zhang_ty": MembershipFactory(congress=ty, deputy=zhang),
        "chen": MembershipFactory(congress=ty, deputy__name="陈卫东"),
        "zhou": MembershipFactory(congress=hy, deputy__name="周卫东"),
    }
    start = datetime.date(2020, 1, 1)
    PointRule.objects.create(congress=zz, kind=DutyKind.INSPECTION, points=Decimal("5"), valid_from=start)
    PointRule.objects.create(congress=zz, kind=DutyKind.TRAINING, points=Decimal("3"), valid_from=start)
    PointRule.objects.create(congress=ty, kind=DutyKind.INSPECTION, points=Decimal("2"), valid_from=start)
    d = datetime.date
    for seat, kind, day in [
        ("zhang", DutyKind.INSPECTION, d(2024, 3, 1)),
        ("zhang", DutyKind.INSPECTION, d(2024, 5, 1)),
        ("zhang", DutyKind.TRAINING, d(2024, 8, 1)),
        ("li", DutyKind.INSPECTION, d(2024, 4, 2)),
        ("liu", DutyKind.INSPECTION, d(2024, 1, 10)),
        ("chen", DutyKind.INSPECTION, d(2024, 6, 1)),
        ("wang", DutyKind.INSPECTION, d(2023, 6, 1)),
    ]:
        DutyRecordFactory(membership=seats[seat], kind=kind, occurred_on=day)

    unit = OrganizationFactory(region=regions["zhuzhou"], name="株洲市住房和城乡建设局")
    proposal(zz, zhang, at(2024, 3, 1), "A", "satisfied", is_key_supervised=False)
    survivor = proposal(zz, zhang, at(2024, 4, 1), "A", "basic")
    proposal(zz, zhang, at(2024, 5, 1), "B", "unsatisfied")
    proposal(zz, zhang, at(2024, 11, 1), "C", "satisfied")
    proposal(zz, zhang, at(2024, 6, 1), status=Proposal.Status.MERGED, merged_into=survivor)
    late = proposal(
        zz, zhang, at(2024, 7, 1), status=Proposal.Status.ASSIGNED, accepted_at=at(2024, 7, 2), is_key_supervised=True
    )
    AssignmentFactory(proposal=late, unit=unit, assigned_on=d(2024, 7, 2), deadline=d(2024, 10, 2))
    proposal(zz, zhang, at(2023, 3, 1), "A", "satisfied")
    proposal(zz, zhang, at(2023, 3, 2), "C", "unsatisfied")
    proposal(hy, seats["zhou"].deputy, at(2024, 3, 1), "B", "")

    session = make_session(actor=staff_zz, congress=ty, candidates=3)
    first, second, _third = list(session.candidates.order_by("position"))
    water = project(session, first, year=2024, progress=100, finished=True)
    project(session, second, year=2024, progress=50)
    raters = [MembershipFactory(congress=ty) for _ in range(4)]
    for seat, rating in zip(raters, ["satisfied", "satisfied", "basically", "unsatisfied"], strict=True):
        SatisfactionRating.objects.create(project=water, membership=seat, rating=rating)

    stations = _stations(regions)
    return {"zz": zz, "ty": ty, "hy": hy, "seats": seats, "unit": unit, "stations": stations}


def _stations(regions):
    """Stations — 天元区: 2 fixed (one of them a 联络点 of the other) and 1 cloud; 株洲市: 1 inactive (not
    counted); 衡阳市: 1 mobile. Receptions at 天元区's centre in 2024: 2 held (30 + 12 citizens), 1 scheduled
    (not counted); in 2023: 1 held (7 citizens). Opinions 2024 in 株洲市: 2 已处理, 1 转建议, 2 转12345, 1 待处理
    → 6 collected, solved share 33.3 %; 2023: 1 已处理. Work orders: the two 转12345 outbound in 2024, one 办结;
    one inbound order (not counted). 衡阳市: one opinion, 待处理."""
    centre = StationFactory(region=regions["tianyuan"], name="天元区中心联络站")
    StationFactory(region=regions["tianyuan"], name="栗雨社区联络点", parent=centre)
    StationFactory(region=regions["tianyuan"], name="云端联络站", kind=Station.Kind.CLOUD)
    StationFactory(region=regions["zhuzhou"], name="已停用联络站", is_active=False)
    hy_station = StationFactory(region=regions["hengyang"], name="衡阳流动站", kind=Station.Kind.MOBILE)
    held = ReceptionDay.Status.HELD
    d = datetime.date
    ReceptionDayFactory(station=centre, date=d(2024, 3, 15), status=held, citizens_received=30, opinions_taken=5)
    ReceptionDayFactory(station=centre, date=d(2024, 9, 15), status=held, citizens_received=12, opinions_taken=3)
    ReceptionDayFactory(station=centre, date=d(2024, 12, 15))
    ReceptionDayFactory(station=centre, date=d(2023, 9, 15), status=held, citizens_received=7, opinions_taken=1)
    S = Opinion.Status
    made = []
    for status in [S.HANDLED, S.HANDLED, S.PROPOSAL, S.HOTLINE, S.HOTLINE, S.UNTRIAGED]:
        made.append((OpinionFactory(station=centre, status=status), at(2024, 5, 1)))
    made.append((OpinionFactory(station=centre, status=S.HANDLED), at(2023, 5, 1)))
    made.append((OpinionFactory(station=hy_station), at(2024, 5, 1)))
    for opinion, when in made:
        Opinion.objects.filter(pk=opinion.pk).update(created_at=when)
    hotline = [opinion for opinion, _when in made if opinion.status == S.HOTLINE]
    W = HotlineWorkOrder
    orders = [
        W.objects.create(opinion=hotline[0], direction=W.Direction.OUTBOUND, status=W.Status.CLOSED),
        W.objects.create(opinion=hotline[1], direction=W.Direction.OUTBOUND, status=W.Status.SENT),
        W.objects.create(opinion=hotline[1], direction=W.Direction.INBOUND, status=W.Status.ACCEPTED),
    ]
    W.objects.filter(pk__in=[o.pk for o in orders]).update(created_at=at(2024, 5, 2))
    return {"centre": centre, "hengyang": hy_station}
