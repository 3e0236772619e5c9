"""Reminder rules of the stations app (found by ``liaison.reminders.discover_rules``).

- 接待日值班: the deputies on duty (with a login) the day before a scheduled reception day
  (``REMINDER_RECEPTION_OFFSETS_DAYS``, default 1); a reminder falling on a rest day goes out the working day before
  (a Monday reception is announced on Friday).
- 接待记录未填: the station's managers when a reception day's log is still not filled in two days after
  (``REMINDER_RECEPTION_LOG_AFTER_DAYS``, default 2). This one is about something missed, so it never goes out
  early: falling on a rest day it waits for the next working day (see ``due_days_caught_up_on``).

Cancelled or logged (held) reception days and inactive stations are never reminded.
"""

import datetime

from django.db.models import Prefetch

from deputies.models import Deputy
from liaison.models import User
from liaison.reminders import ITERATOR_CHUNK, Due, OffsetRule, Rule
from liaison.reminders.calendar import due_days_caught_up_on
from liaison.reminders.helpers import link_builder
from liaison.reminders.settings import reminder_setting
from stations.models import ReceptionDay

RECEPTION = "stations.receptionday"


def _scheduled_days():
    return ReceptionDay.objects.filter(status=ReceptionDay.Status.SCHEDULED, station__is_active=True).select_related(
        "station"
    )


def _context(day, today):
    return {
        "station": day.station.name,
        "address": day.station.address,
        "date": day.date.isoformat(),
        "time": f"{day.starts_at:%H:%M}–{day.ends_at:%H:%M}" if day.starts_at and day.ends_at else "",
        "topic": day.topic,
        "days": (day.date - today).days,
    }


class ReceptionDutyRule(OffsetRule):
    key = "stations.reception_duty"
    template_key = "stations/reception_duty"
    label = "接待日值班提醒"
    offsets_setting = "REMINDER_RECEPTION_OFFSETS_DAYS"
    offsets_default = [1]
    date_field = "date"
    object_type = RECEPTION

    def due(self, dates):
        self._today, self._link = dates[0], link_builder("stations:public_station")
        yield from super().due(dates)

    def queryset(self):
        on_duty = Deputy.objects.filter(user__isnull=False, user__is_active=True).order_by("pk")
        return _scheduled_days().prefetch_related(Prefetch("deputies_on_duty", queryset=on_duty, to_attr="duty"))

    def recipients(self, day):
        return [deputy.user_id for deputy in day.duty]

    def context(self, day, offset):
        return _context(day, self._today)

    def link(self, day):
        return self._link(day.station_id)


class ReceptionLogMissingRule(Rule):
    key = "stations.log_missing"
    template_key = "stations/log_missing"
    label = "接待记录未填写"

    def due(self, dates):
        today = dates[0]
        after = [int(n) for n in reminder_setting("REMINDER_RECEPTION_LOG_AFTER_DAYS", default=[2])]
        by_target = {}  # reception date -> nominal reminder dates
        for nominal in due_days_caught_up_on(today):
            for n in after:
                by_target.setdefault(nominal - datetime.timedelta(days=n), []).append(nominal)
        if not by_target:
            return
        link = link_builder("stations:reception_detail")
        managers = User.objects.filter(role=User.Role.STATION_MANAGER, is_active=True).order_by("pk")
        days = (
            _scheduled_days()
            .filter(date__in=list(by_target), logged_at__isnull=True)
            .prefetch_related(Prefetch("station__managers", queryset=managers, to_attr="active_managers"))
            .order_by("pk")
        )
        for day in days.iterator(chunk_size=ITERATOR_CHUNK):
            context = {**_context(day, today), "days": (today - day.date).days}
            for nominal in by_target[day.date]:
                for manager in day.station.active_managers:
                    yield Due(RECEPTION, str(day.pk), manager.pk, nominal, context, link(day.pk))


rules = [ReceptionDutyRule(), ReceptionLogMissingRule()]
