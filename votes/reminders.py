"""Reminder rules of the votes app (found by ``liaison.reminders.discover_rules``).

- 票决开始: every in-office deputy of the congress who has a login, when a vote session opens. The reminder's date is
  the day the session opened; it is sent by the next sweep while the session is open (so a session opened late at
  night is still announced in the morning) and never after it closed.
- 项目进展: the project's supervision group (in-office seats with a login) when a milestone of a project still being
  implemented falls due, ``REMINDER_PROGRESS_OFFSETS_DAYS`` days before (default 7 and 0). The votes app has no
  "progress report due" date: the government reports progress per milestone (项目节点, ``Milestone.due_on``), so a
  milestone's due date is when the group should expect the report and check it. Done milestones and finished
  projects are not reminded.
"""

from django.db.models import Prefetch
from django.utils import timezone

from deputies.models import Membership
from liaison.reminders import ITERATOR_CHUNK, Due, OffsetRule, Rule
from liaison.reminders.helpers import link_builder
from votes.models import Milestone, Project, VoteSession


def _seats_with_login():
    return Membership.objects.in_office().filter(deputy__user__isnull=False).select_related("deputy").order_by("pk")


class SessionOpenedRule(Rule):
    key = "votes.session_open"
    template_key = "votes/session_open"
    label = "票决会议开始投票"

    def due(self, dates):
        link = link_builder("votes:ballot")
        sessions = (
            VoteSession.objects.filter(status=VoteSession.Status.OPEN, opened_at__isnull=False)
            .select_related("congress")
            .prefetch_related(Prefetch("congress__memberships", queryset=_seats_with_login(), to_attr="seats"))
            .order_by("pk")
        )
        for session in sessions.iterator(chunk_size=ITERATOR_CHUNK):
            context = {
                "title": str(session),
                "meeting": session.meeting,
                "meeting_date": session.meeting_date.isoformat(),
                "congress": session.congress.name,
                "seats": session.seats,
            }
            opened_on = timezone.localdate(session.opened_at)
            for seat in session.congress.seats:
                yield Due(
                    "votes.votesession", str(session.pk), seat.deputy.user_id, opened_on, context, link(session.pk)
                )


class ProgressDueRule(OffsetRule):
    key = "votes.progress_due"
    template_key = "votes/progress_due"
    label = "民生实事项目节点到期"
    offsets_setting = "REMINDER_PROGRESS_OFFSETS_DAYS"
    offsets_default = [7, 0]
    date_field = "due_on"
    object_type = "votes.milestone"

    def due(self, dates):
        self._today, self._link = dates[0], link_builder("votes:project_public")
        yield from super().due(dates)

    def queryset(self):
        return (
            Milestone.objects.filter(done_on__isnull=True, project__status=Project.Status.IMPLEMENTING)
            .select_related("project", "project__department")
            .prefetch_related(Prefetch("project__supervisors", queryset=_seats_with_login(), to_attr="group"))
        )

    def recipients(self, milestone):
        return [seat.deputy.user_id for seat in milestone.project.group]

    def context(self, milestone, offset):
        project = milestone.project
        return {
            "title": project.title,
            "milestone": milestone.title,
            "department": project.department.name,
            "due_on": milestone.due_on.isoformat(),
            "progress": project.progress,
            "days": (milestone.due_on - self._today).days,
        }

    def link(self, milestone):
        return self._link(milestone.project_id)


rules = [SessionOpenedRule(), ProgressDueRule()]
