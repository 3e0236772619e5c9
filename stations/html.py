"""The rows of the staff's opinion list (``stations/opinion_list.html``), written in Python.

A province's clerks page through a million opinions 50 at a time; through the template engine each row cost about
fifteen node renders and a date formatted character by character. A row here is one f-string over the values
``selectors.opinion_rows`` read, escaped and localised as the template did (``liaison.rows``);
``tests/stations/test_opinion_rows.py`` renders the old template beside it and compares.
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from liaison.links import object_url
from liaison.models import choice_label
from liaison.privacy import mask_mobile
from liaison.rows import datetime_label, truncate_chars
from liaison.templatetags.portal import _badge
from stations.models import Opinion


def opinion_rows_html(rows):
    """The ``<tr>`` elements of ``rows`` (dicts of ``selectors.OPINION_ROW_FIELDS``), as one safe string."""
    language = get_language()
    html = []
    for row in rows:
        deputy = f" {escape(row['deputy__name'])}" if row["deputy_id"] else ""
        html.append(
            f'<tr><td><a href="{object_url("stations:opinion_detail", row["id"])}">{escape(row["tracking_code"])}</a>'
            f"</td><td>{datetime_label(row['created_at'])}</td>\n"
            f"<td>{escape(row['station__name'] or '')}{deputy}</td><td>{escape(row['category__name'] or '')}</td>"
            f"<td>{escape(truncate_chars(row['content'], 40))}</td>\n"
            f"<td>{escape(mask_mobile(row['mobile']))}</td>"
            f"<td>{escape(choice_label(Opinion, 'source', row['source']))}</td>"
            f"<td>{_badge(row['status'], None, 'opinion', language)}</td></tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped
