"""Helpers for table rows written in Python (``proposals/html.py``, ``stations/html.py``): the busiest lists write
their rows without the template engine, and must say things exactly as the templates would."""

import datetime
import functools
import re
import unicodedata

from django.utils import timezone
from django.utils.formats import date_format, get_format, localize
from django.utils.text import Truncator
from django.utils.translation import get_language


@functools.lru_cache(maxsize=4096)
def _date_label(value, language):
    return date_format(value, "DATE_FORMAT")


def date_label(value):
    """``{{ value }}`` / ``{{ value|date:"DATE_FORMAT" }}`` of a date in the current language (2024年6月18日, Jun 18,
    2024). Django parses the format for every call, a thousand calls a page; the rows of a list share few dates,
    so each is formatted once per language and kept."""
    if type(value) is datetime.date:
        return _date_label(value, get_language())
    return localize(value)


# Django's format characters (django.utils.dateformat.re_formatchars): any other character is printed as it is.
_FORMAT_CHARS = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
# The numeric ones, which mean the same in every language; a format using others is left to Django.
_NUMERIC = {
    "Y": lambda v: str(v.year),
    "y": lambda v: f"{v.year % 100:02d}",
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}


@functools.lru_cache(maxsize=64)
def _compiled(format_string):
    """``format_string`` as a list of literal strings and functions, or None when it uses a character outside
    ``_NUMERIC`` (month names, a.m./p.m.: Django's own code says those)."""
    pieces = []
    for i, piece in enumerate(_FORMAT_CHARS.split(format_string)):
        if i % 2:
            if piece not in _NUMERIC:
                return None
            pieces.append(_NUMERIC[piece])
        elif piece:
            pieces.append(piece.replace("\\", ""))
    return pieces


def datetime_label(value):
    """``{{ value|date:"DATETIME_FORMAT" }}`` of an aware datetime, in the current time zone and language.

    Django formats a value in about 15 µs (it reads the format character by character every time); a numeric
    format (Chinese: ``Y年n月j日 H:i``) is turned into a few string operations once and applied in about 2 µs.
    """
    if value is None:
        return ""
    value = timezone.localtime(value)
    pieces = _compiled(get_format("DATETIME_FORMAT"))
    if pieces is None:
        return date_format(value, "DATETIME_FORMAT")
    return "".join(piece if type(piece) is str else piece(value) for piece in pieces)


def truncate_chars(text, length):
    """``{{ text|truncatechars:length }}`` (before escaping). A text of ``length`` code points or fewer, already in
    NFC, is what the filter returns unchanged: it skips the truncator's walk over every character and its
    translated ellipsis (a lookup per row)."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)
