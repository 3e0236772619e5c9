import datetime
import zoneinfo

import pytest
from django.utils import timezone

from deputies.models import DutyKind, DutyRecord
from liaison.errors import ApplicationError, PermissionDenied
from liaison.models import AuditLog
from stations import selectors, services
from stations.models import Opinion, OpinionPhoto, ReceptionDay
from tests.factories import MembershipFactory
from tests.stations.factories import OpinionFactory, StationAssignmentFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 15)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def second_deputy(congress, station_a):
    membership = MembershipFactory(congress=congress, deputy__name="李秀英")
    StationAssignmentFactory(station=station_a, deputy=membership.deputy)
    return membership.deputy


def test_manager_schedules_and_logs_a_reception_day_and_each_deputy_gets_one_duty_record(
    station_a, manager_a, deputy, second_deputy
):
    day = services.reception_day_schedule(
        actor=manager_a, station=station_a, date=MARCH, deputies_on_duty=[deputy, second_deputy]
    )
    assert day.status == ReceptionDay.Status.SCHEDULED
    services.reception_day_log(
        actor=manager_a, reception_day=day, deputies_present=[deputy], citizens_received=14, opinions_taken=5
    )
    # Correcting the log later does not count the attendance twice.
    services.reception_day_log(
        actor=manager_a,
        reception_day=day,
        deputies_present=[deputy, second_deputy],
        citizens_received=15,
        opinions_taken=5,
    )
    day.refresh_from_db()
    assert day.status == ReceptionDay.Status.HELD
    assert day.citizens_received == 15
    records = DutyRecord.objects.filter(source_key=f"reception:{day.pk}")
    assert records.count() == 2
    assert set(records.values_list("kind", flat=True)) == {DutyKind.STATION_RECEPTION}
    assert records.filter(membership__deputy=deputy, occurred_on=MARCH).count() == 1


def test_a_future_reception_day_cannot_be_logged(station_a, manager_a, deputy):
    day = services.reception_day_schedule(
        actor=manager_a, station=station_a, date=timezone.localdate() + datetime.timedelta(days=3)
    )
    with pytest.raises(ApplicationError) as error:
        services.reception_day_log(
            actor=manager_a, reception_day=day, deputies_present=[deputy], citizens_received=1, opinions_taken=0
        )
    assert error.value.message == "接待日尚未到来，不能填写记录。"


def test_manager_of_another_station_cannot_schedule(station_a, manager_b):
    with pytest.raises(PermissionDenied):
        services.reception_day_schedule(actor=manager_b, station=station_a, date=MARCH)


def test_manager_records_a_paper_register_opinion_linked_to_the_reception_day(station_a, manager_a, category):
    day = services.reception_day_schedule(actor=manager_a, station=station_a, date=MARCH)
    opinion = services.opinion_record(
        actor=manager_a,
        station=station_a,
        category=category,
        content="希望在社区增设老年食堂",
        source=Opinion.Source.RECEPTION,
        reception_day=day,
    )
    assert opinion.source == "reception"
    assert opinion.reception_day == day
    assert opinion.entered_by == manager_a
    assert opinion.mobile == ""


# ---------------------------------------------------------------- figures


@pytest.fixture
def hand_counted(station_a, station_b, manager_a, manager_b, deputy, second_deputy, category):
    """March 2024 at station A: 2 days held (1 + 2 deputies present, 10 + 6 citizens), 1 cancelled, 1 scheduled.
    Opinions at A in March: 4 (2 handled, 1 unfeasible, 1 untriaged); one at A in May; one at B in March."""
    d1 = services.reception_day_schedule(actor=manager_a, station=station_a, date=datetime.date(2024, 3, 5))
    services.reception_day_log(
        actor=manager_a, reception_day=d1, deputies_present=[deputy], citizens_received=10, opinions_taken=2
    )
    d2 = services.reception_day_schedule(actor=manager_a, station=station_a, date=datetime.date(2024, 3, 20))
    services.reception_day_log(
        actor=manager_a,
        reception_day=d2,
        deputies_present=[deputy, second_deputy],
        citizens_received=6,
        opinions_taken=2,
    )
    d3 = services.reception_day_schedule(actor=manager_a, station=station_a, date=datetime.date(2024, 3, 25))
    services.reception_day_cancel(actor=manager_a, reception_day=d3)
    services.reception_day_schedule(actor=manager_a, station=station_a, date=datetime.date(2024, 3, 28))
    d_b = services.reception_day_schedule(actor=manager_b, station=station_b, date=datetime.date(2024, 3, 5))
    services.reception_day_log(
        actor=manager_b, reception_day=d_b, deputies_present=[], citizens_received=99, opinions_taken=9
    )
    march = datetime.datetime(2024, 3, 10, 10, tzinfo=SHANGHAI)
    statuses = ["handled", "handled", "unfeasible", "untriaged"]
    for status in statuses:
        o = OpinionFactory(station=station_a, category=category, status=status)
        Opinion.objects.filter(pk=o.pk).update(created_at=march)
    may = OpinionFactory(station=station_a, category=category)
    Opinion.objects.filter(pk=may.pk).update(created_at=datetime.datetime(2024, 5, 2, 10, tzinfo=SHANGHAI))
    other = OpinionFactory(station=station_b, category=category, status="handled")
    Opinion.objects.filter(pk=other.pk).update(created_at=march)


def test_figures_for_a_station_and_month_match_the_hand_count(hand_counted, staff_province, station_a):
    figures = selectors.reception_figures(
        staff_province, station=station_a, date_from=datetime.date(2024, 3, 1), date_to=datetime.date(2024, 3, 31)
    )
    assert figures == {
        "reception_days_held": 2,
        "deputies_present": 3,
        "citizens_received": 16,
        "opinions_logged_at_receptions": 4,
        "opinions_collected": 4,
        "by_outcome": {"untriaged": 1, "handled": 2, "proposal": 0, "hotline": 0, "unfeasible": 1},
        "solved": 2,
        "share_solved": 0.5,
    }


def test_figures_for_an_empty_period_are_zero_not_errors(hand_counted, staff_province):
    figures = selectors.reception_figures(
        staff_province, date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2023, 12, 31)
    )
    assert figures["reception_days_held"] == 0
    assert figures["deputies_present"] == 0
    assert figures["citizens_received"] == 0
    assert figures["opinions_collected"] == 0
    assert figures["share_solved"] is None


def test_figures_follow_the_callers_scope(hand_counted, staff_zz, staff_hy, manager_b, regions):
    zz = selectors.reception_figures(staff_zz)
    assert (zz["reception_days_held"], zz["citizens_received"], zz["opinions_collected"]) == (2, 16, 5)
    hy = selectors.reception_figures(staff_hy)
    assert (hy["reception_days_held"], hy["citizens_received"], hy["opinions_collected"]) == (1, 99, 1)
    assert hy["share_solved"] == 1.0
    assert selectors.reception_figures(manager_b)["citizens_received"] == 99
    by_region = selectors.reception_figures(staff_zz, region=regions["hengnan"])
    assert by_region["reception_days_held"] == 0


# ---------------------------------------------------------------- retention


def test_retention_task_erases_personal_fields_of_old_opinions_and_keeps_statistics(
    station_a, category, manager_a, settings, tmp_path
):
    from stations.tasks import erase_expired_opinion_personal_data

    settings.MEDIA_ROOT = tmp_path
    settings.OPINION_RETENTION_DAYS = 30
    old = OpinionFactory(station=station_a, category=category, citizen_name="王阿姨", mobile="13812345678")
    OpinionPhoto.objects.create(opinion=old, image="opinions/x.png", content_type="image/png", size=3)
    services.triage_opinion(actor=manager_a, opinion=old, outcome=Opinion.Status.HOTLINE)
    Opinion.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    recent = OpinionFactory(station=station_a, category=category, citizen_name="李先生", mobile="13900001111")
    assert erase_expired_opinion_personal_data() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.citizen_name, old.mobile) == ("", "")
    assert old.personal_data_erased_at is not None
    assert old.photos.count() == 0
    assert "mobile" not in old.work_orders.get().payload
    assert old.status == "hotline" and old.content
    assert (recent.citizen_name, recent.mobile) == ("李先生", "13900001111")
    assert erase_expired_opinion_personal_data() == 0
    assert selectors.reception_figures(manager_a)["opinions_collected"] == 2
    assert AuditLog.objects.filter(action="opinion.erase_personal_data").count() == 1


def test_retention_defaults_to_three_years(station_a, category):
    old = OpinionFactory(station=station_a, category=category)
    Opinion.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=1094))
    assert services.opinion_erase_expired_personal_data() == 0
    Opinion.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=1096))
    assert services.opinion_erase_expired_personal_data() == 1
