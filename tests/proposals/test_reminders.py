"""The proposals app's reminder rules over time (time-machine), driven through the real services."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from liaison.models import User
from liaison.notifications.models import Notification
from liaison.reminders import discover_rules, rule_by_key
from liaison.reminders.models import Reminder
from liaison.reminders.services import reminder_send, reminders_sweep
from proposals import services
from proposals.models import Assignment, Contact, Proposal, Reply
from tests.factories import CongressFactory, MembershipFactory, UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day, hour=9, minute=0):
    moment = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def sweep(key, day):
    """One sweep of one rule on ``day`` at 09:00; returns the rows it claimed."""
    before = set(Reminder.objects.filter(rule=key).values_list("pk", flat=True))
    with at(day):
        reminders_sweep(rules=[rule_by_key(key)], enqueue=False)
    return list(Reminder.objects.filter(rule=key).exclude(pk__in=before).order_by("recipient__username"))


def fired(key, start, end):
    """``{sweep day: [recipient usernames]}`` for the days a rule claimed something; a day that claimed is swept
    again and must claim nothing."""
    result = {}
    for day in days(start, end):
        rows = sweep(key, day)
        if rows:
            assert sweep(key, day) == [], f"second sweep on {day} claimed again"
            result[day] = [r.recipient.username for r in rows]
    return result


def deliver():
    for pk in Reminder.objects.filter(state=Reminder.State.PENDING).order_by("pk").values_list("pk", flat=True):
        assert reminder_send(reminder_id=pk) == "sent"


@pytest.fixture
def second_unit_user(unit_zz):
    """A second login of the lead unit (both are reminded) and a disabled one (not reminded)."""
    UserFactory(username="unit_zz_off", role=User.Role.UNIT, organization=unit_zz.organization, is_active=False)
    return UserFactory(username="unit_zz_2", role=User.Role.UNIT, organization=unit_zz.organization)


def assign(flow, *, on, deadline, title="关于加快老旧小区改造的建议"):
    with at(on):
        proposal = flow.accepted(title=title)
        return services.proposal_assign(
            actor=flow.staff,
            proposal=proposal,
            lead_unit=flow.unit_user.organization,
            co_units=[flow.co_unit_user.organization],
            deadline=deadline,
        )


def reply(flow, proposal, *, on, reply_class="A", promised_on=None, hour=10):
    with at(on, hour=hour):
        for stage in (Contact.Stage.BEFORE, Contact.Stage.DURING):
            services.contact_record(
                actor=flow.unit_user,
                proposal=proposal,
                stage=stage,
                way=Contact.Way.VISIT,
                contacted_on=on,
                summary="登门听取代表意见",
            )
        return services.proposal_reply(
            actor=flow.unit_user,
            proposal=proposal,
            reply_class=reply_class,
            text="已列入计划。",
            promised_on=promised_on,
        )


def test_every_rule_of_the_proposals_app_is_discovered():
    keys = {rule.key for rule in discover_rules()}
    assert {
        "proposals.deadline",
        "proposals.overdue",
        "proposals.overdue_staff",
        "proposals.survey",
        "proposals.promise",
    } <= keys


# --- 答复期限 -------------------------------------------------------------------------------------------------------


def test_lead_and_co_unit_users_are_reminded_15_7_and_1_days_before_the_deadline_once(flow, second_unit_user):
    assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 22))  # Friday; 11-07 Thu, 11-15 Fri, 11-21 Thu
    users = ["unit_jy", "unit_zz", "unit_zz_2"]
    assert fired("proposals.deadline", D(2024, 11, 1), D(2024, 11, 25)) == {
        D(2024, 11, 7): users,
        D(2024, 11, 15): users,
        D(2024, 11, 21): users,
    }
    deliver()
    proposal = Proposal.objects.get()
    n = Notification.objects.filter(recipient__username="unit_zz").order_by("created_at", "pk").first()
    assert n.title == "建议答复期限提醒：关于加快老旧小区改造的建议"
    assert n.body == (
        f"株洲市住房和城乡建设局（主办）承办的代表建议「{proposal.number} 关于加快老旧小区改造的建议」"
        "须于 2024-11-22 前答复，还有 15 天。请抓紧办理，按时答复代表。"
    )
    assert n.link == f"/proposals/{proposal.pk}/"
    co = Notification.objects.filter(recipient__username="unit_jy").first()
    assert co.body.startswith("株洲市教育局（协办）承办的代表建议")


def test_deadline_reminder_falling_in_national_day_goes_out_on_september_30(flow):
    assign(flow, on=D(2024, 8, 1), deadline=D(2024, 10, 18))  # 15 days before = 10-03, a holiday
    result = fired("proposals.deadline", D(2024, 9, 25), D(2024, 10, 18))
    assert list(result) == [D(2024, 9, 30), D(2024, 10, 11), D(2024, 10, 17)]
    assert sorted(set(Reminder.objects.values_list("due_on", flat=True))) == [
        D(2024, 10, 3),
        D(2024, 10, 11),
        D(2024, 10, 17),
    ]
    deliver()
    first = Notification.objects.filter(recipient__username="unit_zz").order_by("pk").first()
    assert "须于 2024-10-18 前答复，还有 18 天。" in first.body  # counted from the day it is actually sent


def test_no_deadline_reminder_once_the_unit_has_answered(flow):
    proposal = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 22))
    with at(D(2024, 11, 1)):
        services.co_unit_send_opinion(actor=flow.co_unit_user, proposal=proposal, opinion="同意主办单位意见。")
    reply(flow, proposal, on=D(2024, 11, 5))
    assert fired("proposals.deadline", D(2024, 11, 1), D(2024, 11, 30)) == {}
    assert fired("proposals.overdue", D(2024, 11, 1), D(2024, 11, 30)) == {}


def test_extended_deadline_is_reminded_again_for_the_new_date(flow):
    proposal = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 22))
    assert list(fired("proposals.deadline", D(2024, 11, 7), D(2024, 11, 7))) == [D(2024, 11, 7)]
    with at(D(2024, 11, 8)):
        services.assignment_extend_deadline(
            actor=flow.staff, proposal=proposal, deadline=D(2024, 12, 20), reason="涉及多部门"
        )
    assert list(fired("proposals.deadline", D(2024, 11, 8), D(2024, 12, 20))) == [
        D(2024, 12, 5),
        D(2024, 12, 13),
        D(2024, 12, 19),
    ]


# --- 逾期 -----------------------------------------------------------------------------------------------------------


def test_overdue_units_are_reminded_every_working_day_and_staff_copied_from_the_third_day(
    flow, staff_province, staff_hy
):
    assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 5))  # Tuesday
    unit = fired("proposals.overdue", D(2024, 11, 5), D(2024, 11, 12))
    staff = fired("proposals.overdue_staff", D(2024, 11, 5), D(2024, 11, 12))
    working = [D(2024, 11, 6), D(2024, 11, 7), D(2024, 11, 8), D(2024, 11, 11), D(2024, 11, 12)]  # not 9, 10
    assert unit == {day: ["unit_jy", "unit_zz"] for day in working}
    assert staff == {day: ["staff_zz"] for day in working[2:]}  # one copy per proposal, only the region's staff
    deliver()
    proposal = Proposal.objects.get()
    unit_msg = Notification.objects.get(recipient__username="unit_zz", reminder__due_on=D(2024, 11, 11))
    assert unit_msg.title == "建议答复已逾期 6 天：关于加快老旧小区改造的建议"
    assert unit_msg.body == (
        f"株洲市住房和城乡建设局（主办）承办的代表建议「{proposal.number} 关于加快老旧小区改造的建议」"
        "答复期限为 2024-11-05，已逾期 6 天。请尽快办理并答复代表。"
    )
    copy = Notification.objects.get(recipient__username="staff_zz", reminder__due_on=D(2024, 11, 8))
    assert copy.title == "【抄送】建议答复逾期 3 天：关于加快老旧小区改造的建议"
    assert copy.body == (
        f"代表建议「{proposal.number} 关于加快老旧小区改造的建议」已超过答复期限（2024-11-05）3 天，"
        "以下承办单位尚未完成：株洲市住房和城乡建设局、株洲市教育局。请督促承办单位尽快办理。"
    )


def test_overdue_reminders_stop_when_the_reply_arrives(flow):
    proposal = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 5))
    with at(D(2024, 11, 6)):
        services.co_unit_send_opinion(actor=flow.co_unit_user, proposal=proposal, opinion="同意。")
    assert fired("proposals.overdue", D(2024, 11, 6), D(2024, 11, 6)) == {D(2024, 11, 6): ["unit_zz"]}
    reply(flow, proposal, on=D(2024, 11, 7), hour=8)
    assert fired("proposals.overdue", D(2024, 11, 7), D(2024, 11, 12)) == {}
    assert fired("proposals.overdue_staff", D(2024, 11, 7), D(2024, 11, 12)) == {}


# --- 满意度测评 -----------------------------------------------------------------------------------------------------


def test_deputy_is_asked_to_rate_on_arrival_and_after_7_and_14_days_while_unrated(flow):
    proposal = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 1))
    reply(flow, proposal, on=D(2024, 10, 14))
    assert fired("proposals.survey", D(2024, 10, 14), D(2024, 11, 10)) == {
        D(2024, 10, 14): ["deputy_zz"],
        D(2024, 10, 21): ["deputy_zz"],
        D(2024, 10, 28): ["deputy_zz"],
    }
    deliver()
    proposal.refresh_from_db()
    first, second, _third = Notification.objects.filter(recipient__username="deputy_zz").order_by("pk")
    assert first.title == "请对建议答复进行满意度测评：关于加快老旧小区改造的建议"
    assert first.body == (
        f"株洲市住房和城乡建设局已于 2024-10-14 对您领衔的建议「{proposal.number} 关于加快老旧小区改造的建议」"
        "作出A类答复。请登录平台查看答复，并进行满意度测评（满意、基本满意或不满意）。"
    )
    assert second.title == "满意度测评待完成：关于加快老旧小区改造的建议"
    assert "作出的答复已等待您评价 7 天。请登录平台进行满意度测评。" in second.body


def test_rating_stops_the_survey_reminders(flow):
    proposal = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 1))
    reply(flow, proposal, on=D(2024, 10, 14))
    assert list(fired("proposals.survey", D(2024, 10, 14), D(2024, 10, 14))) == [D(2024, 10, 14)]
    with at(D(2024, 10, 16)):
        services.proposal_rate(actor=flow.deputy_user, proposal=proposal, rating="satisfied")
    assert fired("proposals.survey", D(2024, 10, 15), D(2024, 11, 10)) == {}


def test_survey_reminder_due_in_national_day_goes_out_on_september_30(flow):
    proposal = assign(flow, on=D(2024, 7, 1), deadline=D(2024, 10, 1))
    reply(flow, proposal, on=D(2024, 9, 24))  # +7 = 10-01 (holiday) → 09-30; +14 = 10-08 (working)
    assert list(fired("proposals.survey", D(2024, 9, 24), D(2024, 10, 12))) == [
        D(2024, 9, 24),
        D(2024, 9, 30),
        D(2024, 10, 8),
    ]


def test_reply_recorded_after_the_last_sweep_of_the_day_is_announced_next_morning(flow):
    proposal = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 1))
    reply(flow, proposal, on=D(2024, 10, 14), hour=23)
    assert fired("proposals.survey", D(2024, 10, 15), D(2024, 10, 15)) == {D(2024, 10, 15): ["deputy_zz"]}
    assert Reminder.objects.get().due_on == D(2024, 10, 14)


# --- B类承诺 --------------------------------------------------------------------------------------------------------


def _tracking(flow, promised_on):
    proposal = assign(flow, on=D(2024, 3, 1), deadline=D(2024, 6, 1))
    reply(flow, proposal, on=D(2024, 5, 20), reply_class="B", promised_on=promised_on)
    with at(D(2024, 5, 21)):
        return services.proposal_rate(actor=flow.deputy_user, proposal=proposal, rating="satisfied")


def test_lead_unit_is_reminded_30_days_before_the_promised_date_and_on_it(flow, second_unit_user):
    proposal = _tracking(flow, promised_on=D(2024, 12, 16))  # Monday; 30 days before = 11-16, a Saturday
    assert proposal.status == Proposal.Status.TRACKING
    assert fired("proposals.promise", D(2024, 11, 10), D(2024, 12, 20)) == {
        D(2024, 11, 15): ["unit_zz", "unit_zz_2"],  # Saturday's reminder goes out on Friday
        D(2024, 12, 16): ["unit_zz", "unit_zz_2"],
    }
    deliver()
    first, last = Notification.objects.filter(recipient__username="unit_zz").order_by("pk")
    assert first.title == "B类答复承诺即将到期：关于加快老旧小区改造的建议"
    assert first.body == (
        f"株洲市住房和城乡建设局答复代表建议「{proposal.number} 关于加快老旧小区改造的建议」时承诺于 2024-12-16 前解决，"
        "还有 31 天。请按承诺抓紧落实，并及时向代表反馈。"
    )
    assert last.title == "B类答复承诺今日到期：关于加快老旧小区改造的建议"


def test_promise_taken_off_the_ledger_is_never_reminded(flow):
    proposal = _tracking(flow, promised_on=D(2024, 12, 16))
    with at(D(2024, 10, 1)):
        services.proposal_staff_close(actor=flow.staff, proposal=proposal, reason="计划经上级批准取消")
    assert fired("proposals.promise", D(2024, 11, 10), D(2024, 12, 20)) == {}


def test_closed_or_withdrawn_proposals_are_never_reminded(flow):
    with at(D(2024, 8, 1)):
        withdrawn = flow.draft(title="撤回的建议")
        services.proposal_withdraw(actor=flow.deputy_user, proposal=withdrawn)
        flow.closed(title="已办结的建议")
    assert Assignment.objects.filter(deadline=D(2024, 11, 1)).exists()  # the closed one's deadline
    assert fired("proposals.survey", D(2024, 8, 1), D(2024, 8, 1)) == {}
    assert fired("proposals.survey", D(2024, 8, 8), D(2024, 8, 8)) == {}
    assert fired("proposals.deadline", D(2024, 10, 17), D(2024, 10, 17)) == {}
    assert fired("proposals.deadline", D(2024, 10, 31), D(2024, 10, 31)) == {}
    assert fired("proposals.overdue", D(2024, 11, 4), D(2024, 11, 6)) == {}
    assert fired("proposals.overdue_staff", D(2024, 11, 6), D(2024, 11, 6)) == {}


# --- staff: who has not rated ---------------------------------------------------------------------------------------


def _replied_rows(rows, *, congress, deputy, unit, replied_on):
    proposals = ProposalFactory.create_batch(
        rows, congress=congress, lead_deputy=deputy, status=Proposal.Status.REPLIED
    )
    Reply.objects.bulk_create(
        Reply(proposal=p, unit=unit, reply_class="A", text="已解决。", replied_on=replied_on, on_time=True)
        for p in proposals
    )
    return proposals


def test_staff_see_unrated_replies_of_their_region_with_days_waiting(client, flow, regions, staff_hy):
    proposal = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 1))
    reply(flow, proposal, on=D(2024, 10, 14))
    fired("proposals.survey", D(2024, 10, 14), D(2024, 10, 21))
    deliver()
    rated = assign(flow, on=D(2024, 8, 1), deadline=D(2024, 11, 1), title="已评价的建议")
    reply(flow, rated, on=D(2024, 10, 14))
    with at(D(2024, 10, 15)):
        services.proposal_rate(actor=flow.deputy_user, proposal=rated, rating="basic")
    hy_congress = CongressFactory(region=regions["hengyang"])
    hy_deputy = MembershipFactory(congress=hy_congress, deputy__name="王衡阳").deputy
    _replied_rows(
        1, congress=hy_congress, deputy=hy_deputy, unit=flow.unit_user.organization, replied_on=D(2024, 10, 1)
    )

    client.force_login(flow.staff)
    with at(D(2024, 10, 30)):
        response = client.get(reverse("proposals:unrated"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="unrated-row"') == 1
    assert "关于加快老旧小区改造的建议" in page and "已评价的建议" not in page and "王衡阳" not in page
    assert '<td class="text-nowrap" data-testid="days-waiting">16 天</td>' in page
    assert "2 次" in page  # the arrival and the 7-day reminder went out
    assert "张建国" in page

    client.force_login(staff_hy)
    with at(D(2024, 10, 30)):
        assert "王衡阳" in client.get(reverse("proposals:unrated")).content.decode()


@pytest.mark.parametrize("who", ["unit", "deputy"])
def test_unrated_list_is_for_staff_only(client, flow, who):
    client.force_login({"unit": flow.unit_user, "deputy": flow.deputy_user}[who])
    assert client.get(reverse("proposals:unrated")).status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_unrated_list_runs_a_constant_number_of_queries(client, flow, congress, rows, django_assert_max_num_queries):
    _replied_rows(
        rows,
        congress=congress,
        deputy=flow.deputy_user.deputy,
        unit=flow.unit_user.organization,
        replied_on=D(2024, 10, 1),
    )
    client.force_login(flow.staff)
    with django_assert_max_num_queries(12):  # 9 today: session, user, header badge and menu, count, rows
        response = client.get(reverse("proposals:unrated"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="unrated-row"') == min(rows, 50)
