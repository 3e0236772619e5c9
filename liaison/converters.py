"""Bounded path converters and the parsers every view uses for ids and dates typed by the caller.

Primary keys are ``BigAutoField`` (``DEFAULT_AUTO_FIELD``), so an id lies in 1..2**63-1; anything outside is not a
match (404) in a path, and a clear Chinese refusal naming the parameter in a query string or a form field."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import register_converter
from django.utils.translation import gettext as _

from liaison.errors import ApplicationError

ID_MAX = 2**63 - 1
YEAR_MIN, YEAR_MAX = 1990, 2100


class IdConverter:
    """``<id:pk>``: a positive database id within the bigint range; ``0``, ``-1`` and 20 digits are 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError(value)  # the resolver treats it as "no match"
        return number

    def to_url(self, value):
        return str(int(value))


def register():
    register_converter(IdConverter, "id")


def _refuse(name, error):
    message = _("参数 %(name)s 无效：%(error)s") % {"name": name, "error": " ".join(error.messages)}
    raise ApplicationError(message, code="invalid_parameter", extra={"fields": {name: list(error.messages)}})


def parse_id(value, name, *, required=False):
    """An id from a query string or a posted field; None when blank and not required."""
    try:
        return forms.IntegerField(min_value=1, max_value=ID_MAX, required=required).clean(value)
    except ValidationError as error:
        _refuse(name, error)


def parse_date(value, name, *, required=False) -> datetime.date | None:
    """An ISO date (2024-02-29); impossible dates such as 2024-02-30 are refused, not a server error."""
    try:
        return forms.DateField(input_formats=["%Y-%m-%d"], required=required).clean(value)
    except ValidationError as error:
        _refuse(name, error)


def parse_int(value, name, *, minimum, maximum, required=False):
    try:
        return forms.IntegerField(min_value=minimum, max_value=maximum, required=required).clean(value)
    except ValidationError as error:
        _refuse(name, error)


def parse_float(value, name, *, minimum, maximum, required=False) -> float | None:
    """A finite decimal number within [minimum, maximum]; "nan", "inf" and "1e999" are refused like "abc"."""
    try:
        return forms.FloatField(min_value=minimum, max_value=maximum, required=required).clean(value)
    except ValidationError as error:
        _refuse(name, error)
