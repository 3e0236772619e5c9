"""China's working-day calendar for reminders: a reminder falling on a public holiday or a weekend rest day goes
out on the working day before; 调休 make-up working days (a Saturday or Sunday worked instead) count as working days.

chinese_calendar knows the State Council's published years; for a year it does not know yet it raises
NotImplementedError, and we fall back to plain Monday–Friday rather than send nothing.
"""

import datetime

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


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
