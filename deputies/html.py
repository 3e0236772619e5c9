"""The rows of the deputy portal's duty record table (``deputies/portal.html``), written in Python.

A deputy's portal lists up to 50 records of the year; through the template engine each row cost a dozen node
renders (the date filter, the choice label, ``truncatechars``, the attachment link through ``{% url %}``…). Here a row
is one f-string over the values of ``selectors.portal_duty_rows``, escaped the way the template engine escapes
(``html.escape``) and formatted as the template's filters format (``liaison.rows``, ``floatformat``), each at most
once per distinct value; ``tests/deputies/test_portal.py``
renders the old template beside it and compares, in both languages.
"""

from html import escape

from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from deputies.models import DutyRecord
from liaison.links import object_url
from liaison.models import choice_label
from liaison.rows import date_label, truncate_chars

DESCRIPTION_CHARS = 60


def _description(text):
    """``{{ text|truncatechars:60 }}``, escaped."""
    return escape(truncate_chars(text, DESCRIPTION_CHARS))


def duty_rows_html(rows):
    """The ``<tr>`` elements of ``rows`` (dicts of ``selectors.portal_duty_rows``), as one safe string."""
    attachment_label = escape(_("附件"))
    points, kinds = {}, {}
    html = []
    for row in rows:
        value = row["points"]
        if value not in points:
            points[value] = escape(floatformat(value, "-2"))
        kind = row["kind"]
        if kind not in kinds:
            kinds[kind] = escape(choice_label(DutyRecord, "kind", kind))
        attachment = ""
        if row["attachment"]:
            attachment = f' <a href="{object_url("deputies:duty_record_attachment", row["id"])}">{attachment_label}</a>'
        html.append(
            f"<tr><td>{escape(date_label(row['occurred_on']))}</td>"
            f"<td>{escape(row['congress_name'])}</td>"
            f"<td>{kinds[kind]}</td>"
            f"<td>{_description(row['description'])}{attachment}</td>"
            f'<td class="text-end">{points[value]}</td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped
