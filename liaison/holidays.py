"""Holiday schedules staff enter from the State Council's yearly notice (writes and the cached reads).

chinesecalendar knows the years up to its release; a year entered here is decided by what staff entered, so the
portal does not silently treat 2027's Spring Festival as working days. ADR 0013 says why entered days win.
"""

import datetime
import re

import chinese_calendar
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit import audit
from liaison.errors import ApplicationError
from liaison.models import HolidayDay, HolidaySchedule

CACHE_SECONDS = 24 * 3600
_MISSING = object()


def _cache_key(year):
    return f"holidays:v1:{year}"


def entered_days(year: int) -> dict[datetime.date, str] | None:
    """``{date: kind}`` of the schedule entered for ``year``, or None when nobody entered one; cached a day and
    forgotten whenever a schedule of that year is saved (:func:`forget_year`)."""
    value = cache.get(_cache_key(year), _MISSING)
    if value is _MISSING:
        schedule = HolidaySchedule.objects.filter(year=year).first()
        if schedule is None:
            value = None
        else:
            value = {day.isoformat(): kind for day, kind in schedule.days.values_list("date", "kind")}
        cache.set(_cache_key(year), value, CACHE_SECONDS)
    if value is None:
        return None
    return {datetime.date.fromisoformat(day): kind for day, kind in value.items()}


def forget_year(year: int) -> None:
    cache.delete(_cache_key(year))


def library_knows(year: int) -> bool:
    """Whether chinesecalendar carries the State Council's schedule for ``year``."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 30))
    except NotImplementedError:
        return False
    return True


def years_without_schedule(today: datetime.date | None = None) -> list[int]:
    """This year and next, those that neither have an entered schedule nor library data (cached reads)."""
    today = today or timezone.localdate()
    return [year for year in (today.year, today.year + 1) if not library_knows(year) and entered_days(year) is None]


_LINE = re.compile(
    r"^\s*(?P<start>\d{4}-\d{1,2}-\d{1,2})\s*(?:(?:至|到|~|～|—|--)\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?\s*(?P<rest>.*)$"
)
_WORKING_WORDS = ("调休上班", "上班", "补班", "调休")


def parse_holiday_lines(text: str, *, year: int) -> list[tuple[datetime.date, str, str]]:
    """Lines like ``2027-01-01至2027-01-03 元旦`` (holidays) or ``2027-02-20 上班 春节调休`` (a 调休 working day)
    as ``(date, kind, name)``; raises ApplicationError naming the first bad line."""
    days = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        try:
            if match is None:
                raise ValueError
            start = datetime.date.fromisoformat(_iso(match["start"]))
            end = datetime.date.fromisoformat(_iso(match["end"])) if match["end"] else start
        except ValueError:
            raise ApplicationError(
                _("第%(n)s行无法识别：%(line)s（格式：2027-01-01至2027-01-03 元旦）")
                % {"n": number, "line": line.strip()},
                code="holiday_line_invalid",
            ) from None
        if end < start or (end - start).days > 31:
            raise ApplicationError(_("第%(n)s行的日期范围不正确。") % {"n": number}, code="holiday_range_invalid")
        if start.year != year or end.year != year:
            raise ApplicationError(
                _("第%(n)s行的日期不在%(year)s年内。") % {"n": number, "year": year}, code="holiday_wrong_year"
            )
        rest = match["rest"].strip()
        kind = HolidayDay.Kind.HOLIDAY
        for word in _WORKING_WORDS:
            if rest.startswith(word) or rest.endswith(word):
                kind = HolidayDay.Kind.WORKING_DAY
                break
        name = rest[:50]
        day = start
        while day <= end:
            days[day] = (day, kind, name)
            day += datetime.timedelta(days=1)
    return sorted(days.values())


def _iso(text):
    year, month, day = text.split("-")
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


@transaction.atomic
def holiday_schedule_enter(*, actor, year: int, text: str, source: str = "", published_on=None, replace=True):
    """Create or update ``year``'s schedule from pasted lines; with ``replace`` the year's days are exactly the
    lines given. Forgets the cached year after commit."""
    days = parse_holiday_lines(text, year=year)
    schedule, _created = HolidaySchedule.objects.select_for_update().get_or_create(year=year)
    if source:
        schedule.source = source
    if published_on:
        schedule.published_on = published_on
    schedule.full_clean()
    schedule.save()
    if replace:
        schedule.days.all().delete()
    else:
        schedule.days.filter(date__in=[day for day, _kind, _name in days]).delete()
    HolidayDay.objects.bulk_create(
        [HolidayDay(schedule=schedule, date=day, kind=kind, name=name) for day, kind, name in days]
    )
    audit(actor, "holidays.entered", schedule, data={"year": year, "days": len(days)})
    transaction.on_commit(lambda: forget_year(year))
    forget_year(year)
    return schedule
