"""Holiday schedules entered by staff decide the years chinesecalendar does not know (2027 onwards)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from liaison import holidays
from liaison.checks import check_holiday_schedules
from liaison.errors import ApplicationError
from liaison.models import AuditLog, HolidayDay, HolidaySchedule
from liaison.reminders.calendar import is_working_day, send_day_for, working_day_on_or_after
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date

NOTICE_2027 = """
2027-01-01至2027-01-03 元旦
2027-02-06 上班 春节调休
2027-02-10至2027-02-17 春节
"""


@pytest.fixture(autouse=True)
def _forget_cached_years():
    """The lookups are cached; the database is rolled back after each test, the cache is not."""
    for year in (2026, 2027, 2028):
        holidays.forget_year(year)
    yield
    for year in (2026, 2027, 2028):
        holidays.forget_year(year)


def in_december_2026():
    return time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=SHANGHAI), tick=False)


def enter_2027(staff):
    return holidays.holiday_schedule_enter(
        actor=staff, year=2027, text=NOTICE_2027, source="国务院办公厅关于2027年部分节假日安排的通知"
    )


def test_2027_without_entered_days_falls_back_to_monday_to_friday_and_warns():
    assert not holidays.library_knows(2027)
    assert is_working_day(D(2027, 1, 1))  # a Friday, really 元旦
    assert not is_working_day(D(2027, 2, 6))  # a Saturday
    with in_december_2026():
        warnings = check_holiday_schedules(databases=["default"])
    assert [w.id for w in warnings] == ["liaison.W017"]
    assert warnings[0].msg == "2027年没有节假日安排：答复期限和提醒按周一至周五计算。"


def test_the_check_is_silent_without_a_database_and_for_known_years(staff_zz):
    assert check_holiday_schedules(databases=None) == []
    enter_2027(staff_zz)
    with in_december_2026():
        assert check_holiday_schedules(databases=["default"]) == []


def test_entered_2027_days_skip_holidays_and_count_the_tiaoxiu_saturday(staff_zz):
    schedule = enter_2027(staff_zz)
    assert schedule.days.count() == 3 + 1 + 8
    assert schedule.days.get(date=D(2027, 2, 6)).kind == HolidayDay.Kind.WORKING_DAY
    assert schedule.days.get(date=D(2027, 1, 2)).name == "元旦"
    assert not is_working_day(D(2027, 1, 1))
    assert is_working_day(D(2027, 2, 6))  # 调休 Saturday
    assert not is_working_day(D(2027, 2, 15))  # a Monday inside 春节
    assert is_working_day(D(2027, 3, 1)) and not is_working_day(D(2027, 3, 6))  # other days: Monday–Friday
    assert send_day_for(D(2027, 2, 17)) == D(2027, 2, 9)
    assert working_day_on_or_after(D(2027, 1, 1)) == D(2027, 1, 4)
    assert AuditLog.objects.filter(action="holidays.entered").count() == 1


def test_library_years_still_come_from_chinesecalendar():
    assert not is_working_day(D(2026, 10, 1))


def test_lookups_are_cached_and_forgotten_when_a_schedule_is_saved(staff_zz, django_assert_num_queries):
    is_working_day(D(2027, 1, 1))
    with django_assert_num_queries(0):
        assert is_working_day(D(2027, 1, 1))
        assert is_working_day(D(2027, 1, 4))
    enter_2027(staff_zz)
    assert not is_working_day(D(2027, 1, 1))
    with django_assert_num_queries(0):
        assert not is_working_day(D(2027, 1, 2))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027/01/01 元旦", "第1行无法识别：2027/01/01 元旦（格式：2027-01-01至2027-01-03 元旦）"),
        ("2027-02-30 春节", "第1行无法识别：2027-02-30 春节（格式：2027-01-01至2027-01-03 元旦）"),
        ("2027-01-03至2027-01-01 元旦", "第1行的日期范围不正确。"),
        ("\n2028-01-01 元旦", "第2行的日期不在2027年内。"),
    ],
)
def test_bad_lines_are_refused_with_a_chinese_message(staff_zz, text, message):
    with pytest.raises(ApplicationError) as exc:
        holidays.holiday_schedule_enter(actor=staff_zz, year=2027, text=text)
    assert exc.value.message == message
    assert not HolidaySchedule.objects.exists()


def test_staff_enter_a_year_by_pasting_lines_in_the_admin(client):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    data = {
        "year": "2027",
        "source": "国办发明电〔2026〕1号",
        "published_on": "2026-11-10",
        "bulk_lines": NOTICE_2027,
        "days-TOTAL_FORMS": "0",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    is_working_day(D(2027, 1, 1))  # cached as "nothing entered" before the save
    response = client.post(reverse("admin:liaison_holidayschedule_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidaySchedule.objects.get(year=2027).days.count() == 12
    assert not is_working_day(D(2027, 1, 1))

    data["bulk_lines"] = "2027-13-01 元旦"
    data["year"] = "2028"
    response = client.post(reverse("admin:liaison_holidayschedule_add"), data)
    assert response.status_code == 200
    assert "第1行无法识别" in response.content.decode()


def test_the_staff_workbench_says_when_next_year_has_no_schedule(client, staff_zz):
    client.force_login(staff_zz)
    with in_december_2026():
        page = client.get(reverse("home")).content.decode()
    assert 'data-testid="holiday-schedule-missing"' in page
    assert "2027年的节假日安排尚未录入" in page
    enter_2027(staff_zz)
    with in_december_2026():
        page = client.get(reverse("home")).content.decode()
    assert 'data-testid="holiday-schedule-missing"' not in page
