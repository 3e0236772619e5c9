"""Reporting periods: a year, a quarter or a custom range, each knowing the period before it."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

YEAR = "year"
QUARTER = "quarter"
RANGE = "range"


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year):
        return cls(YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def quarter(cls, year, quarter):
        first_month = 3 * (quarter - 1) + 1
        start = datetime.date(year, first_month, 1)
        end = (
            datetime.date(year, 12, 31)
            if quarter == 4
            else datetime.date(year, first_month + 3, 1) - datetime.timedelta(days=1)
        )
        return cls(QUARTER, start, end)

    @property
    def year_number(self):
        return self.start.year

    @property
    def quarter_number(self):
        return (self.start.month - 1) // 3 + 1

    @property
    def key(self):
        return f"{self.kind}:{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def label(self):
        if self.kind == YEAR:
            return _("%(year)d年") % {"year": self.year_number}
        if self.kind == QUARTER:
            return _("%(year)d年第%(quarter)d季度") % {"year": self.year_number, "quarter": self.quarter_number}
        return _("%(start)s至%(end)s") % {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def previous(self):
        if self.kind == YEAR:
            return Period.year(self.year_number - 1)
        if self.kind == QUARTER:
            if self.quarter_number == 1:
                return Period.quarter(self.year_number - 1, 4)
            return Period.quarter(self.year_number, self.quarter_number - 1)
        length = self.end - self.start
        end = self.start - datetime.timedelta(days=1)
        return Period(RANGE, end - length, end)

    def as_params(self):
        if self.kind == YEAR:
            return {"period": YEAR, "year": self.year_number}
        if self.kind == QUARTER:
            return {"period": QUARTER, "year": self.year_number, "quarter": self.quarter_number}
        return {"period": RANGE, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def period_from_params(params, today=None):
    """Read ``period`` (year|quarter|range), ``year``, ``quarter``, ``start``, ``end``; default: this year."""
    today = today or timezone.localdate()
    kind = params.get("period") or YEAR
    year = _int(params.get("year"), today.year, 2000, 2100)
    if kind == QUARTER:
        return Period.quarter(year, _int(params.get("quarter"), (today.month - 1) // 3 + 1, 1, 4))
    if kind == RANGE:
        start, end = _date(params.get("start")), _date(params.get("end"))
        if start and end and start <= end and (end - start).days <= 3660:
            return Period(RANGE, start, end)
    return Period.year(year)
