"""The votes app's reminder rules over time (time-machine), driven through the real services."""

import datetime
import zoneinfo

import pytest
import time_machine

from deputies.models import Membership
from liaison.notifications.models import Notification
from liaison.reminders import discover_rules, rule_by_key
from liaison.reminders.models import Reminder, ReminderSetting
from liaison.reminders.services import reminder_send, reminders_sweep
from tests.votes.factories import cast_electronic, deputy_user, make_congress, make_session
from votes import services

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day, hour=9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def fired(key, start, end):
    """``{sweep day: [recipient display names]}`` for the days a rule claimed something; a day that claimed is
    swept again and must claim nothing."""
    result, day = {}, start
    while day <= end:
        claimed = []
        for attempt in (1, 2):
            before = set(Reminder.objects.values_list("pk", flat=True))
            with at(day):
                reminders_sweep(rules=[rule_by_key(key)], enqueue=False)
            rows = Reminder.objects.filter(rule=key).exclude(pk__in=before).order_by("recipient__display_name")
            if attempt == 1:
                claimed = [r.recipient.display_name for r in rows]
            else:
                assert not rows.exists(), f"second sweep on {day} claimed again"
            if not claimed:
                break
        if claimed:
            result[day] = claimed
        day += datetime.timedelta(days=1)
    return result


def deliver():
    for pk in Reminder.objects.filter(state=Reminder.State.PENDING).order_by("pk").values_list("pk", flat=True):
        assert reminder_send(reminder_id=pk) == "sent"


@pytest.fixture
def congress(regions):
    """天元区 congress: 代表A–C with logins, 代表D without one, 代表E with a login but no longer in office."""
    congress, seats = make_congress(regions["tianyuan"], deputies=5, name="天元区第五届人民代表大会")
    for seat, name in zip(seats, "ABCDE", strict=True):
        seat.deputy.name = f"代表{name}"
        seat.deputy.save(update_fields=["name"])
        if name != "D":
            deputy_user(seat)
    seats[4].status, seats[4].terminated_on = Membership.Status.TERMINATED, D(2024, 1, 1)
    seats[4].save(update_fields=["status", "terminated_on"])
    return congress, seats


def test_vote_rules_are_discovered():
    assert {"votes.session_open", "votes.progress_due"} <= {rule.key for rule in discover_rules()}


# --- 票决开始 -------------------------------------------------------------------------------------------------------


def test_in_office_deputies_with_a_login_are_told_once_when_the_session_opens(congress, staff_zz):
    congress, _seats = congress
    session = make_session(actor=staff_zz, congress=congress, meeting_date=D(2024, 4, 26))
    assert fired("votes.session_open", D(2024, 4, 24), D(2024, 4, 25)) == {}  # still being prepared
    with at(D(2024, 4, 26), hour=8):
        services.session_open(actor=staff_zz, session=session)
    assert fired("votes.session_open", D(2024, 4, 26), D(2024, 4, 28)) == {D(2024, 4, 26): ["代表A", "代表B", "代表C"]}
    deliver()
    n = Notification.objects.filter(recipient__display_name="代表A").get()
    assert n.title == "票决开始：2024年民生实事项目票决"
    assert n.body == (
        "天元区第五届人民代表大会「2024年民生实事项目票决」（第十九届人民代表大会第三次会议，2024-04-26）已开始投票，"
        "应选项目 2 个。请签到后登录平台投票；一人一票，无记名投票。"
    )
    assert n.link == f"/votes/ballots/{session.pk}/"


def test_session_opened_late_at_night_is_announced_next_morning(congress, staff_zz):
    congress, _seats = congress
    session = make_session(actor=staff_zz, congress=congress)
    with at(D(2024, 4, 25), hour=23):
        services.session_open(actor=staff_zz, session=session)
    assert list(fired("votes.session_open", D(2024, 4, 26), D(2024, 4, 26))) == [D(2024, 4, 26)]
    assert set(Reminder.objects.values_list("due_on", flat=True)) == {D(2024, 4, 25)}


def test_closed_session_is_never_announced(congress, staff_zz):
    congress, seats = congress
    session = make_session(actor=staff_zz, congress=congress)
    with at(D(2024, 4, 26), hour=7):
        services.session_open(actor=staff_zz, session=session)
        for seat in seats[:3]:
            cast_electronic(session, seat, "for", "for", "against")
        services.session_close(actor=staff_zz, session=session)
    assert fired("votes.session_open", D(2024, 4, 26), D(2024, 4, 27)) == {}


# --- 项目进展 -------------------------------------------------------------------------------------------------------


@pytest.fixture
def project(congress, staff_zz):
    congress, seats = congress
    session = make_session(actor=staff_zz, congress=congress)
    with at(D(2024, 4, 26), hour=7):
        services.session_open(actor=staff_zz, session=session)
        for seat in seats[:3]:
            cast_electronic(session, seat, "for", "for", "against")
        services.session_close(actor=staff_zz, session=session)
        services.session_publish(actor=staff_zz, session=session)
    project = session.projects.get(title="安全饮水巩固提升工程")
    services.project_set_supervisors(actor=staff_zz, project=project, memberships=[seats[0], seats[3], seats[4]])
    return project


def test_supervision_group_is_reminded_7_days_before_a_milestone_and_on_the_day(project, staff_zz):
    services.milestone_add(actor=staff_zz, project=project, title="完成管网铺设", due_on=D(2024, 9, 20))
    # Only 代表A: 代表D has no login, 代表E's seat has ended.
    assert fired("votes.progress_due", D(2024, 9, 10), D(2024, 9, 22)) == {
        D(2024, 9, 13): ["代表A"],
        D(2024, 9, 20): ["代表A"],
    }
    deliver()
    first, last = Notification.objects.order_by("pk")
    assert first.title == "民生实事项目节点即将到期：安全饮水巩固提升工程"
    assert first.body == (
        "您所在监督小组监督的民生实事项目「安全饮水巩固提升工程」节点「完成管网铺设」计划于 2024-09-20 完成，还有 7 天，"
        f"责任单位：{project.department.name}，目前进度 0%。请关注进展报告，做好监督检查准备。"
    )
    assert last.title == "民生实事项目节点今日到期：安全饮水巩固提升工程"
    assert last.link == f"/votes/projects/{project.pk}/"


def test_milestone_due_on_national_day_is_reminded_on_september_30(project, staff_zz):
    ReminderSetting.objects.create(key="REMINDER_PROGRESS_OFFSETS_DAYS", value=[0])
    services.milestone_add(actor=staff_zz, project=project, title="主体完工", due_on=D(2024, 10, 5))
    assert fired("votes.progress_due", D(2024, 9, 29), D(2024, 10, 8)) == {D(2024, 9, 30): ["代表A"]}


def test_done_milestones_and_finished_projects_are_never_reminded(project, staff_zz):
    done = services.milestone_add(actor=staff_zz, project=project, title="完成设计", due_on=D(2024, 9, 20))
    services.milestone_complete(actor=staff_zz, milestone=done, done_on=D(2024, 9, 1))
    services.milestone_add(actor=staff_zz, project=project, title="竣工验收", due_on=D(2024, 12, 20))
    services.project_finish(actor=staff_zz, project=project, finished_on=D(2024, 11, 30))
    assert fired("votes.progress_due", D(2024, 9, 13), D(2024, 9, 13)) == {}
    assert fired("votes.progress_due", D(2024, 9, 20), D(2024, 9, 20)) == {}
    assert fired("votes.progress_due", D(2024, 12, 13), D(2024, 12, 13)) == {}
    assert fired("votes.progress_due", D(2024, 12, 20), D(2024, 12, 20)) == {}
