"""China's working-day calendar for reminders: a reminder falling on a public holiday or a weekend rest day goes
out on the working day before; 调休 make-up working days (a Saturday or Sunday worked instead) count as working days.

A year staff entered (liaison.holidays, admin 节假日安排) is decided by the entered days alone: a day listed as 放假
is a rest day, one listed as 调休上班 a working day, any other day Monday–Friday. Otherwise chinese_calendar knows
the State Council's published years; for a year it does not know yet it raises NotImplementedError, and we fall back
to plain Monday–Friday rather than send nothing (the system check liaison.W017 and the staff workbench say so).
"""

import datetime

import chinese_calendar

from liaison.holidays import entered_days
from liaison.models import HolidayDay

ONE_DAY = datetime.timedelta(days=1)


def is_working_day(day: datetime.date) -> bool:
    entered = entered_days(day.year)
    if entered is not None:
        kind = entered.get(day)
        if kind is not None:
            return kind == HolidayDay.Kind.WORKING_DAY
        return day.weekday() < 5
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the first working day after it: a statutory deadline that
    falls on a rest day ends on the next working day (民法典 第二百零三条's rule for periods)."""
    candidate = day
    for _ in range(31):  # bounded like send_day_for: only bad data makes a month of rest days
        if is_working_day(candidate):
            return candidate
        candidate += ONE_DAY
    return day


def send_day_for(due: datetime.date) -> datetime.date:
    """The day a reminder due on ``due`` is sent: ``due`` itself, or the last working day before it."""
    day = due
    for _ in range(31):  # the longest rest period is about ten days; the bound only guards against bad data
        if is_working_day(day):
            return day
        day -= ONE_DAY
    return due


def due_days_sent_on(today: datetime.date) -> list[datetime.date]:
    """The due dates whose reminders go out today: today, and on a working day also the rest days that follow it
    (on the Friday before a weekend, Saturday's and Sunday's). On a rest day only today itself, so that something
    that became due during a holiday is still sent, late rather than never."""
    days = [today]
    if not is_working_day(today):
        return days
    day = today + ONE_DAY
    while not is_working_day(day) and len(days) < 32:
        days.append(day)
        day += ONE_DAY
    return days


def due_days_caught_up_on(today: datetime.date) -> list[datetime.date]:
    """For reminders about something *missed* (a log not filled in N days after), which must not go out before
    their date: on a working day, today and the rest days just before it (Monday covers Saturday and Sunday); on a
    rest day nothing. The mirror image of :func:`due_days_sent_on`."""
    if not is_working_day(today):
        return []
    days = [today]
    day = today - ONE_DAY
    while not is_working_day(day) and len(days) < 32:
        days.append(day)
        day -= ONE_DAY
    return days
