"""The stations app's reminder rules over time (time-machine), driven through the real services."""

import datetime
import zoneinfo

import pytest
import time_machine

from liaison.models import User
from liaison.notifications.models import Notification
from liaison.reminders import discover_rules, rule_by_key
from liaison.reminders.calendar import due_days_caught_up_on
from liaison.reminders.models import Reminder
from liaison.reminders.services import reminder_send, reminders_sweep
from stations import services
from tests.factories import DeputyFactory, UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day, hour=9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def fired(key, start, end):
    """``{sweep day: [recipient usernames]}`` for the days a rule claimed something; a day that claimed is swept
    again and must claim nothing."""
    result, day = {}, start
    while day <= end:
        before = set(Reminder.objects.values_list("pk", flat=True))
        with at(day):
            reminders_sweep(rules=[rule_by_key(key)], enqueue=False)
            claimed = [
                r.recipient.username
                for r in Reminder.objects.filter(rule=key).exclude(pk__in=before).order_by("recipient__username")
            ]
            if claimed:
                assert reminders_sweep(rules=[rule_by_key(key)], enqueue=False).claimed == 0
                result[day] = claimed
        day += datetime.timedelta(days=1)
    return result


def deliver():
    for pk in Reminder.objects.filter(state=Reminder.State.PENDING).order_by("pk").values_list("pk", flat=True):
        assert reminder_send(reminder_id=pk) == "sent"


@pytest.fixture
def on_duty(deputy):
    """张建国 (login deputy_zhang), 李秀英 (login deputy_li) and 王芳 (no login) on duty."""
    li = DeputyFactory(name="李秀英", user=UserFactory(username="deputy_li", role=User.Role.DEPUTY))
    return [deputy, li, DeputyFactory(name="王芳")]


def schedule(manager, station, date, deputies, **extra):
    with at(date - datetime.timedelta(days=20)):
        return services.reception_day_schedule(
            actor=manager, station=station, date=date, deputies_on_duty=deputies, **extra
        )


def test_station_rules_are_discovered():
    assert {"stations.reception_duty", "stations.log_missing"} <= {rule.key for rule in discover_rules()}


def test_deputies_on_duty_with_a_login_are_reminded_the_day_before(manager_a, station_a, on_duty):
    schedule(
        manager_a,
        station_a,
        D(2024, 11, 14),
        on_duty,
        topic="老旧小区改造",
        starts_at=datetime.time(9),
        ends_at=datetime.time(11, 30),
    )
    assert fired("stations.reception_duty", D(2024, 11, 10), D(2024, 11, 15)) == {
        D(2024, 11, 13): ["deputy_li", "deputy_zhang"]
    }
    deliver()
    n = Notification.objects.get(recipient__username="deputy_zhang")
    assert n.title == "接待日值班提醒：嵩山路街道代表联络站 2024-11-14"
    assert n.body == (
        f"您明天（2024-11-14）在嵩山路街道代表联络站值班接待群众，时间 09:00–11:30，地点：{station_a.address}，"
        "主题：老旧小区改造。请按时进站履职；如不能到场，请提前告知站点管理员。"
    )
    assert n.link == f"/stations/s/{station_a.pk}/"  # the public page: a deputy on duty need not be assigned here


def test_reception_after_national_day_is_announced_on_september_30(manager_a, station_a, on_duty):
    schedule(manager_a, station_a, D(2024, 10, 8), on_duty[:1])  # the day before, 10-07, is a holiday
    assert fired("stations.reception_duty", D(2024, 9, 27), D(2024, 10, 8)) == {D(2024, 9, 30): ["deputy_zhang"]}
    deliver()
    assert Notification.objects.get().body.startswith("您将于 2024-10-08 在嵩山路街道代表联络站值班接待群众")


def test_cancelled_reception_day_is_never_reminded(manager_a, station_a, on_duty):
    day = schedule(manager_a, station_a, D(2024, 11, 14), on_duty)
    with at(D(2024, 11, 1)):
        services.reception_day_cancel(actor=manager_a, reception_day=day)
    assert fired("stations.reception_duty", D(2024, 11, 13), D(2024, 11, 13)) == {}
    assert fired("stations.log_missing", D(2024, 11, 14), D(2024, 11, 20)) == {}


# --- 接待记录 -------------------------------------------------------------------------------------------------------


def test_manager_is_reminded_when_the_log_is_still_empty_two_days_after(manager_a, station_a, on_duty, manager_b):
    schedule(manager_a, station_a, D(2024, 11, 13), on_duty)  # Wednesday → Friday 11-15
    assert fired("stations.log_missing", D(2024, 11, 13), D(2024, 11, 20)) == {D(2024, 11, 15): ["manager_a"]}
    deliver()
    n = Notification.objects.get()
    assert n.title == "接待记录未填写：嵩山路街道代表联络站 2024-11-13"
    assert n.body == (
        "嵩山路街道代表联络站 2024-11-13 的接待日已过去 2 天，接待记录尚未填写。"
        "请登记到场代表、接待群众人次和收集意见条数；如接待日未举行，请将其取消。"
    )


def test_log_reminder_falling_on_a_weekend_waits_for_monday(manager_a, station_a, on_duty):
    assert due_days_caught_up_on(D(2024, 11, 18)) == [D(2024, 11, 18), D(2024, 11, 17), D(2024, 11, 16)]
    schedule(manager_a, station_a, D(2024, 11, 14), on_duty)  # Thursday → Saturday 11-16 → Monday 11-18
    assert fired("stations.log_missing", D(2024, 11, 14), D(2024, 11, 20)) == {D(2024, 11, 18): ["manager_a"]}
    deliver()
    assert "已过去 4 天" in Notification.objects.get().body


def test_filled_log_stops_the_reminder(manager_a, station_a, on_duty):
    day = schedule(manager_a, station_a, D(2024, 11, 13), on_duty)
    with at(D(2024, 11, 14)):
        services.reception_day_log(
            actor=manager_a, reception_day=day, deputies_present=on_duty[:1], citizens_received=12, opinions_taken=3
        )
    assert fired("stations.log_missing", D(2024, 11, 13), D(2024, 11, 20)) == {}
