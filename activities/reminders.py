"""Reminder rules of the activities app (found by ``liaison.reminders.discover_rules``).

- 签到开始: each invited deputy (with an active login) who answered 参加 or has not answered yet, once, when the
  activity's sign-in window opens (an hour before the start, ``SIGN_IN_OPENS_BEFORE``); the sweep runs every few
  minutes, so the reminder goes out with the window and never after the activity ended. Deputies already signed in
  and those who asked for leave (请假) are not reminded. The reminder's date is the day the activity starts.
- 纪要逾期: the organizer (else the staff of the congress's region) when a held or closed activity still has no
  minutes (纪要) three days after it ended (``REMINDER_ACTIVITY_MINUTES_AFTER_DAYS``, default 3). About something
  missed, so never early: falling on a rest day it waits for the next working day (``due_days_caught_up_on``).

Cancelled activities are never reminded.
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from activities.models import SIGN_IN_OPENS_BEFORE, Activity, Attendance, Invitation
from liaison.reminders import ITERATOR_CHUNK, Due, Rule
from liaison.reminders.calendar import due_days_caught_up_on
from liaison.reminders.helpers import link_builder, staff_by_region
from liaison.reminders.settings import reminder_setting

ACTIVITY = "activities.activity"
S = Activity.Status


def _context(activity):
    return {
        "title": activity.title,
        "kind": activity.get_kind_display(),
        "place": activity.place,
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(activity.ends_at).strftime("%Y-%m-%d %H:%M"),
    }


class SignInOpensRule(Rule):
    key = "activities.sign_in_opens"
    template_key = "activities/sign_in_opens"
    label = "代表活动签到开始"

    def due(self, dates):
        now = timezone.now()
        signed_in = Attendance.objects.filter(activity=OuterRef("activity"), membership=OuterRef("membership"))
        to_remind = (
            Invitation.objects.filter(
                response__in=[Invitation.Response.ATTEND, Invitation.Response.PENDING],
                membership__deputy__user__isnull=False,
                membership__deputy__user__is_active=True,
            )
            .exclude(Exists(signed_in))
            .select_related("membership__deputy")
            .order_by("pk")
        )
        activities = (
            Activity.objects.filter(
                status__in=[S.PLANNED, S.HELD], starts_at__lte=now + SIGN_IN_OPENS_BEFORE, ends_at__gt=now
            )
            .prefetch_related(Prefetch("invitations", queryset=to_remind, to_attr="to_remind"))
            .order_by("pk")
        )
        link = link_builder("activities:sign_in")
        for activity in activities.iterator(chunk_size=ITERATOR_CHUNK):
            context = _context(activity)
            starts_on = timezone.localdate(activity.starts_at)
            for invitation in activity.to_remind:
                yield Due(
                    ACTIVITY,
                    str(activity.pk),
                    invitation.membership.deputy.user_id,
                    starts_on,
                    context,
                    link(activity.pk),
                )


class MinutesOverdueRule(Rule):
    key = "activities.minutes_overdue"
    template_key = "activities/minutes_overdue"
    label = "代表活动纪要逾期未登记"

    def due(self, dates):
        today = dates[0]
        after = [int(n) for n in reminder_setting("REMINDER_ACTIVITY_MINUTES_AFTER_DAYS", default=[3])]
        by_target = {}  # the day the activity ended -> nominal reminder dates
        for nominal in due_days_caught_up_on(today):
            for n in after:
                by_target.setdefault(nominal - datetime.timedelta(days=n), []).append(nominal)
        if not by_target:
            return
        link = link_builder("activities:detail")
        staff = None
        activities = (
            Activity.objects.filter(status__in=[S.HELD, S.CLOSED], minutes="", ends_at__date__in=list(by_target))
            .select_related("congress", "organizer")
            .order_by("pk")
        )
        for activity in activities.iterator(chunk_size=ITERATOR_CHUNK):
            ended_on = timezone.localdate(activity.ends_at)
            context = {**_context(activity), "days": (today - ended_on).days}
            organizer = activity.organizer
            if organizer is not None and organizer.is_active:
                recipients = [organizer.pk]
            else:
                staff = staff_by_region() if staff is None else staff
                recipients = staff.get(activity.congress.region_id, [])
            for nominal in by_target.get(ended_on, []):
                for user_id in recipients:
                    yield Due(ACTIVITY, str(activity.pk), user_id, nominal, context, link(activity.pk))


rules = [SignInOpensRule(), MinutesOverdueRule()]
