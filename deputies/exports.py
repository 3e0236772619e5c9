"""The roster export's rows (代表名册): one builder for the .xlsx download, the background job and the CSV stream.

The rows are the columns of ``deputies.resources.COLUMNS``, formatted exactly as ``RosterResource`` exports them
(the admin's export still goes through it; ``tests/deputies/test_roster_export_rows.py`` compares the two): every
cell a string, dates as ISO dates, genders and statuses in the file's vocabulary, mobiles masked, professional
groups sorted and joined with “、”.

Memberships are read as plain tuples (``values_list``, no model instances, no ``tablib.Dataset``) through a
server-side cursor, ``CHUNK_SIZE`` at a time, with one more query per chunk for the professional groups; so the
worker's memory holds one chunk whatever the number of rows, and the first rows are ready at once.
"""

from collections import defaultdict
from itertools import islice

from deputies.models import Membership
from deputies.resources import COLUMNS, GENDER_LABELS, STATUS_LABELS
from liaison.privacy import mask_mobile

HEADERS = [header for _key, header in COLUMNS]
CHUNK_SIZE = 2000

# values_list order; "professional_groups" is filled per chunk, from the seat's id.
_VALUES = (
    "id",
    "deputy__code",
    "deputy__name",
    "deputy__gender",
    "deputy__ethnicity",
    "deputy__birth_date",
    "deputy__party",
    "deputy__education",
    "deputy__occupation",
    "deputy__workplace",
    "deputy__sector",
    "congress__name",
    "electoral_unit",
    "group__name",
    "deputy__mobile",
    "status",
    "terminated_on",
    "termination_reason",
)


def _iso(day):
    return day.isoformat() if day else ""


def _professional_groups(membership_ids):
    """Seat id -> its professional groups as one cell, for a chunk of seats, in one query."""
    names = defaultdict(list)
    rows = Membership.professional_groups.through.objects.filter(membership_id__in=membership_ids).values_list(
        "membership_id", "professionalgroup__name"
    )
    for membership_id, name in rows:
        names[membership_id].append(name)
    return {membership_id: "、".join(sorted(group)) for membership_id, group in names.items()}


def roster_row_chunks(queryset, *, chunk_size=CHUNK_SIZE):
    """Lists of at most ``chunk_size`` rows (tuples in ``HEADERS`` order) of the seats in ``queryset``, in its
    order. ``queryset`` is a membership selector's answer (scoped and filtered); its select/prefetch are dropped."""
    values = queryset.select_related(None).prefetch_related(None).values_list(*_VALUES).iterator(chunk_size)
    while chunk := list(islice(values, chunk_size)):
        groups = _professional_groups([row[0] for row in chunk])
        yield [
            (
                code,
                name,
                GENDER_LABELS.get(gender, ""),
                ethnicity,
                _iso(birth_date),
                party,
                education,
                occupation,
                workplace,
                sector,
                congress,
                electoral_unit,
                group or "",
                groups.get(pk, ""),
                mask_mobile(mobile),
                STATUS_LABELS.get(status, status),
                _iso(terminated_on),
                termination_reason,
            )
            for (
                pk,
                code,
                name,
                gender,
                ethnicity,
                birth_date,
                party,
                education,
                occupation,
                workplace,
                sector,
                congress,
                electoral_unit,
                group,
                mobile,
                status,
                terminated_on,
                termination_reason,
            ) in chunk
        ]


def roster_rows(queryset, *, chunk_size=CHUNK_SIZE):
    """The rows of ``roster_row_chunks`` one by one."""
    for chunk in roster_row_chunks(queryset, chunk_size=chunk_size):
        yield from chunk
