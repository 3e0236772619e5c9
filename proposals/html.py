"""The rows of the busiest tables, written in Python: the proposal list (``proposals/list.html``) and the handling
unit's workbench (``proposals/assignments.html``).

The list page is the page staff open most, 50 rows at a time. Through the template engine each row cost about
twenty node renders (variable lookups, ``if``, a loop over the units, the badge tag): some 1,000 a page and most of
its rendering time. Here a row is one f-string over values already read (``selectors.proposal_rows`` +
``with_units``), escaped the way the template engine escapes (``html.escape``) and localised the same way
(``liaison.rows.date_label``), so the markup is the one the template wrote;
``tests/proposals/test_list_rows.py`` renders the old templates beside them and compares.
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from liaison.links import object_url
from liaison.models import choice_label
from liaison.rows import date_label
from liaison.templatetags.portal import _badge
from proposals.models import Assignment, Proposal
from proposals.selectors import deadline_flag

DASH = "—"


def _units(units, co_label):
    if not units:
        return DASH
    return "、".join(escape(unit["unit__name"]) + (f"（{co_label}）" if unit["role"] == "co" else "") for unit in units)


def _reply(row):
    text = escape(row["reply_class"] or DASH)
    if row["rating"]:
        text += " · " + escape(choice_label(Proposal, "rating", row["rating"]))
    return text


def proposal_rows_html(rows, *, show_promise=False):
    """The ``<tr>`` elements of ``rows`` (dicts with ``units``), as one safe string for ``<tbody>``."""
    language = get_language()
    key_badge = f' <span class="badge text-bg-danger">{escape(_("重点督办"))}</span>'
    co_label = escape(_("协办"))
    html = []
    for row in rows:
        promise = ""
        if show_promise:
            promise = f'<td class="text-nowrap">{escape(date_label(row["promised_on"] or DASH))}</td>'
        html.append(
            "<tr>"
            f'<td class="text-nowrap">{escape(row["number"] or DASH)}</td>'
            f'<td><a href="{object_url("proposals:detail", row["id"])}">{escape(row["title"])}</a>'
            f"{key_badge if row['is_key_supervised'] else ''}</td>"
            f'<td class="text-nowrap">{escape(row["lead_deputy__name"] or "")}</td>'
            f"<td>{_units(row['units'], co_label)}</td>"
            f"{promise}"
            f"<td>{_reply(row)}</td>"
            f"<td>{_badge(row['status'], None, 'proposal', language)}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped


def assignment_rows_html(rows, *, today):
    """The ``<tr>`` elements of assignment rows (``selectors.assignment_rows``), flagged by deadline."""
    language = get_language()
    flags = {
        "overdue": ("table-danger", f'<span class="badge text-bg-danger d-table">{escape(_("已逾期"))}</span>'),
        "due_soon": ("table-warning", f'<span class="badge text-bg-warning d-table">{escape(_("即将到期"))}</span>'),
        "": ("", ""),
    }
    no_contact = f'<span class="text-danger">{escape(_("缺办前联系"))}</span>'
    html = []
    for row in rows:
        row_class, flag_badge = flags[deadline_flag(row, today)]
        if row["before_contacts"]:
            count = row["contact_count"]
            contacts = escape(ngettext("%(n)s 次", "%(n)s 次", count) % {"n": count})
        else:
            contacts = no_contact
        role = escape(choice_label(Assignment, "role", row["role"]))
        html.append(
            f'<tr class="{row_class}" data-testid="assignment-row">'
            f"<td>{date_label(row['deadline'])}\n{flag_badge}</td>"
            f'<td><a href="{object_url("proposals:detail", row["proposal_id"])}">'
            f'<span class="d-none d-md-inline">{escape(row["proposal__number"])} </span>'
            f"{escape(row['proposal__title'])}</a></td>"
            f'<td class="text-nowrap d-none d-md-table-cell">{escape(row["proposal__lead_deputy__name"] or "")}</td>'
            f'<td class="d-none d-md-table-cell">{escape(row["unit__name"])}（{role}）</td>'
            f'<td class="text-nowrap">{contacts}</td>'
            f"<td>{_badge(row['proposal__status'], None, 'proposal', language)}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped
