"""Reminder rules of the proposals app (found by ``liaison.reminders.discover_rules``).

- 答复期限: the lead and co-units' users, 15, 7 and 1 days before an assignment's deadline
  (``REMINDER_DEADLINE_OFFSETS_DAYS``); on a rest day, the working day before.
- 逾期: the same users every working day while the assignment is overdue; from the third overdue day
  (``REMINDER_OVERDUE_STAFF_FROM_DAY``) the proposal's region's staff get one copy per proposal and day. Overdue
  reminders are not sent on rest days and not sent ahead for them: "overdue by two days" cannot be said on Friday
  about Sunday, and the next working day's reminder follows anyway.
- 满意度测评: the lead deputy when a reply arrives, then 7 and 14 days later while it is unrated
  (``REMINDER_SURVEY_OFFSETS_DAYS``, days after the reply).
- B类承诺: the lead unit's users 30 days before the promised date and on it (``REMINDER_PROMISE_OFFSETS_DAYS``).

Every rule reads only open items (handling statuses, unrated replies, the tracking ledger), so nothing is reminded
once the proposal is answered, rated, closed or withdrawn.
"""

import datetime
from itertools import groupby

from liaison.reminders import ITERATOR_CHUNK, Due, OffsetRule, Rule
from liaison.reminders.calendar import is_working_day
from liaison.reminders.helpers import link_builder, staff_by_region, unit_users_by_organization
from liaison.reminders.settings import reminder_setting
from proposals import selectors
from proposals.models import Assignment

ASSIGNMENT = "proposals.assignment"
PROPOSAL = "proposals.proposal"
REPLY = "proposals.reply"
# Assignments are read as named value rows, not model instances: the deadline rules may read 300,000 of them.
ASSIGNMENT_VALUES = (
    "pk",
    "deadline",
    "role",
    "unit_id",
    "proposal_id",
    "proposal__title",
    "proposal__number",
    "proposal__region_id",
)
# A reply recorded after the day's last sweep (late at night) is still reminded the next morning.
ARRIVAL_CATCH_UP_DAYS = 2


def _open_assignments():
    return selectors.open_assignments_with_deadline(user=None).values_list(*ASSIGNMENT_VALUES, named=True)


def _assignment_context(row, units, roles, **extra):
    return {
        "title": row.proposal__title,
        "number": row.proposal__number,
        "unit": units.get(row.unit_id, ""),
        "role": roles[row.role],
        "deadline": row.deadline.isoformat(),
        **extra,
    }


def _role_labels():
    return {role.value: str(role.label) for role in Assignment.Role}


def _unit_names():
    from liaison.models import Organization

    return dict(Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT).values_list("pk", "name"))


class DeadlineRule(OffsetRule):
    key = "proposals.deadline"
    template_key = "proposals/deadline"
    label = "建议答复期限临近"
    offsets_setting = "REMINDER_DEADLINE_OFFSETS_DAYS"
    date_field = "deadline"
    object_type = ASSIGNMENT

    def due(self, dates):
        self._today, self._users, self._units = dates[0], unit_users_by_organization(), _unit_names()
        self._link, self._roles = link_builder("proposals:detail"), _role_labels()
        yield from super().due(dates)

    def queryset(self):
        return _open_assignments()

    def recipients(self, assignment):
        return self._users.get(assignment.unit_id, [])

    def context(self, assignment, offset):
        # Counted from the day it is sent (earlier than nominal when a rest day was moved forward).
        return _assignment_context(assignment, self._units, self._roles, days=(assignment.deadline - self._today).days)

    def link(self, assignment):
        return self._link(assignment.proposal_id)


class OverdueRule(Rule):
    """Every working day while an assignment is past its deadline, to its unit's users."""

    key = "proposals.overdue"
    template_key = "proposals/overdue"
    label = "建议答复逾期"

    def overdue(self, today, *, min_days=1):
        return _open_assignments().filter(deadline__lte=today - datetime.timedelta(days=min_days))

    def due(self, dates):
        today = dates[0]
        if not is_working_day(today):
            return
        users, units, link = unit_users_by_organization(), _unit_names(), link_builder("proposals:detail")
        roles = _role_labels()
        for assignment in self.overdue(today).order_by("pk").iterator(chunk_size=ITERATOR_CHUNK):
            context = _assignment_context(assignment, units, roles, days=(today - assignment.deadline).days)
            for user_id in users.get(assignment.unit_id, []):
                yield Due(ASSIGNMENT, str(assignment.pk), user_id, today, context, link(assignment.proposal_id))


class OverdueStaffRule(OverdueRule):
    """The region's staff copied, one message per proposal and working day, from the N-th overdue day."""

    key = "proposals.overdue_staff"
    template_key = "proposals/overdue_staff"
    label = "建议答复逾期（抄送工作人员）"

    def due(self, dates):
        today = dates[0]
        if not is_working_day(today):
            return
        from_day = int(reminder_setting("REMINDER_OVERDUE_STAFF_FROM_DAY"))
        staff, units, link = staff_by_region(), _unit_names(), link_builder("proposals:detail")
        rows = self.overdue(today, min_days=from_day).order_by(
            "proposal_id", "-role", "pk"
        )  # lead ("lead" > "co") first
        for proposal_id, assignments in groupby(rows.iterator(chunk_size=ITERATOR_CHUNK), key=lambda a: a.proposal_id):
            assignments = list(assignments)
            first = assignments[0]
            context = {
                "title": first.proposal__title,
                "number": first.proposal__number,
                "units": "、".join(units.get(a.unit_id, "") for a in assignments),
                "days": max((today - a.deadline).days for a in assignments),
                "deadline": min(a.deadline for a in assignments).isoformat(),
            }
            for user_id in staff.get(first.proposal__region_id, []):
                yield Due(PROPOSAL, str(proposal_id), user_id, today, context, link(proposal_id))


class SurveyRule(OffsetRule):
    """满意度测评 reminders, counted in days after the reply (``replied_on``)."""

    key = "proposals.survey"
    template_key = "proposals/survey"
    label = "满意度测评提醒"
    offsets_setting = "REMINDER_SURVEY_OFFSETS_DAYS"
    date_field = "replied_on"
    object_type = REPLY

    def offsets(self):
        return [-days for days in super().offsets()]  # "7 days after" = a target 7 days before the reminder

    def targets(self, dates):
        by_target = super().targets(dates)
        if 0 in self.offsets():
            for back in range(1, ARRIVAL_CATCH_UP_DAYS + 1):
                day = dates[0] - datetime.timedelta(days=back)
                by_target.setdefault(day, []).append((day, 0))
        return by_target

    def due(self, dates):
        self._today, self._link = dates[0], link_builder("proposals:detail")
        yield from super().due(dates)

    def queryset(self):
        return (
            selectors.replies_awaiting_rating(user=None)
            .select_related(None)
            .select_related("proposal__lead_deputy", "unit")
            .only(
                "id",
                "replied_on",
                "reply_class",
                "proposal_id",
                "proposal__title",
                "proposal__number",
                "proposal__lead_deputy__user_id",
                "unit__name",
            )
        )

    def recipients(self, reply):
        user_id = reply.proposal.lead_deputy.user_id
        return [user_id] if user_id else []

    def context(self, reply, offset):
        return {
            "title": reply.proposal.title,
            "number": reply.proposal.number,
            "unit": reply.unit.name,
            "reply_class": reply.reply_class,
            "replied_on": reply.replied_on.isoformat(),
            "first": offset == 0,
            "days": max(0, (self._today - reply.replied_on).days),
        }

    def link(self, reply):
        return self._link(reply.proposal_id)


class PromiseRule(OffsetRule):
    """B类答复: the lead unit, 30 days before the promised date and on it."""

    key = "proposals.promise"
    template_key = "proposals/promise"
    label = "B类答复承诺到期"
    offsets_setting = "REMINDER_PROMISE_OFFSETS_DAYS"
    date_field = "promised_on"
    object_type = PROPOSAL

    def due(self, dates):
        self._today, self._users, self._units = dates[0], unit_users_by_organization(), _unit_names()
        self._link = link_builder("proposals:detail")
        yield from super().due(dates)

    def queryset(self):
        return selectors.b_class_promises(user=None).select_related(None).only("id", "title", "number", "promised_on")

    def _lead_unit_id(self, proposal):
        return next((a.unit_id for a in proposal.unit_list if a.role == Assignment.Role.LEAD), None)

    def recipients(self, proposal):
        return self._users.get(self._lead_unit_id(proposal), [])

    def context(self, proposal, offset):
        return {
            "title": proposal.title,
            "number": proposal.number,
            "unit": self._units.get(self._lead_unit_id(proposal), ""),
            "promised_on": proposal.promised_on.isoformat(),
            "days": (proposal.promised_on - self._today).days,
        }

    def link(self, proposal):
        return self._link(proposal.pk)


rules = [DeadlineRule(), OverdueRule(), OverdueStaffRule(), SurveyRule(), PromiseRule()]


def unrated_replies(*, user):
    """Staff's "who has not rated" list: replies awaiting the deputy's rating in the caller's regions, oldest first,
    with ``reminders_sent`` (survey reminders already sent to the deputy) and the deputy's login joined."""
    from django.db.models import CharField, Count, OuterRef, Subquery
    from django.db.models.functions import Cast

    from liaison.reminders.models import Reminder

    sent = (
        Reminder.objects.filter(
            object_type=REPLY,
            rule=SurveyRule.key,
            state=Reminder.State.SENT,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        selectors.replies_awaiting_rating(user=user)
        .select_related("proposal__lead_deputy__user")
        .annotate(reminders_sent=Subquery(sent))
    )
