import datetime
from decimal import Decimal

from deputies import selectors, services
from deputies.models import DutyKind
from tests.factories import CongressFactory, DutyRecordFactory, MembershipFactory


def test_points_use_the_rule_version_in_force_on_each_record_date(staff_zz, regions):
    congress = CongressFactory(region=regions["zhuzhou"])
    a = MembershipFactory(congress=congress, deputy__name="甲")
    b = MembershipFactory(congress=congress, deputy__name="乙")
    services.point_rule_set(
        actor=staff_zz, congress=congress, kind=DutyKind.INSPECTION, points=4, valid_from=datetime.date(2024, 1, 1)
    )
    services.point_rule_set(
        actor=staff_zz, congress=congress, kind=DutyKind.INSPECTION, points=6, valid_from=datetime.date(2024, 7, 1)
    )
    services.point_rule_set(
        actor=staff_zz, congress=congress, kind=DutyKind.ABSENCE, points=-5, valid_from=datetime.date(2024, 1, 1)
    )
    DutyRecordFactory(membership=a, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2024, 3, 1))  # 4
    DutyRecordFactory(membership=a, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2024, 8, 1))  # 6
    DutyRecordFactory(membership=b, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2024, 6, 30))  # 4
    DutyRecordFactory(membership=b, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2024, 7, 1))  # 6
    DutyRecordFactory(membership=b, kind=DutyKind.ABSENCE, occurred_on=datetime.date(2024, 9, 1))  # -5
    DutyRecordFactory(membership=b, kind=DutyKind.INSPECTION, occurred_on=datetime.date(2023, 9, 1))  # other year

    ranking = list(selectors.points_ranking(user=staff_zz, congress=congress, year=2024))
    assert [(m.deputy.name, m.total_points, m.rank) for m in ranking] == [
        ("甲", Decimal("10.00"), 1),
        ("乙", Decimal("5.00"), 2),
    ]


def test_member_with_no_records_ranks_with_zero(staff_zz, regions):
    congress = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory(congress=congress, deputy__name="丙")
    rows = list(selectors.points_ranking(user=staff_zz, congress=congress, year=2024))
    assert [(m.deputy.name, m.total_points, m.rank) for m in rows] == [("丙", Decimal("0"), 1)]


def test_source_hook_adds_a_record_once_per_seat(regions):
    city = CongressFactory(region=regions["zhuzhou"])
    county = CongressFactory(region=regions["tianyuan"], level=4)
    seat = MembershipFactory(congress=city)
    MembershipFactory(congress=county, deputy=seat.deputy)
    first = services.duty_record_add_from_source(
        deputy=seat.deputy, kind=DutyKind.PROPOSAL, occurred_on=datetime.date(2024, 1, 5), source_key="proposal:1"
    )
    again = services.duty_record_add_from_source(
        deputy=seat.deputy, kind=DutyKind.PROPOSAL, occurred_on=datetime.date(2024, 1, 5), source_key="proposal:1"
    )
    assert len(first) == 2
    assert again == []
