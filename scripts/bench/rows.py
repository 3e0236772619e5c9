#!/usr/bin/env python
"""The busiest list rows, three ways, in the same run: the f-strings they were written as until issue 19 (kept
here, and only here, as the reference), the Jinja2 partials the pages render now, and the equivalent Django
templates over the same rows.

    .venv/bin/python scripts/bench/rows.py [--repeat 7] [--number 20] [--rows 50]

No database and no HTTP: each writer gets the same realistic page of rows (dicts shaped as the selectors return
them, ``--rows`` of them; a dozen workbench cards), in Chinese and in English. The script first checks that the
partial writes the very bytes the reference wrote, then prints µs per page (the best of ``--repeat`` rounds of
``--number`` pages) and the ratio to the reference. docs/benchmarks-rows.md keeps the figures and how to rerun.
"""

import argparse
import datetime
import functools
import os
import platform
import random
import re
import sys
import timeit
import unicodedata
from decimal import Decimal
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django import template  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.template.defaultfilters import floatformat  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django.utils.formats import date_format, get_format, localize  # noqa: E402
from django.utils.html import conditional_escape  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402
from django.utils.text import Truncator  # noqa: E402
from django.utils.translation import get_language, ngettext  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from deputies.models import DutyRecord  # noqa: E402
from deputies.views import duty_rows_html as duty_partial  # noqa: E402
from liaison.links import object_url  # noqa: E402
from liaison.models import choice_label  # noqa: E402
from liaison.privacy import mask_mobile  # noqa: E402
from liaison.templatetags.portal import _badge  # noqa: E402
from liaison.workbench import Card  # noqa: E402
from liaison.workbench import cards_html as cards_partial  # noqa: E402
from proposals.models import Assignment, Proposal  # noqa: E402
from proposals.selectors import deadline_flag  # noqa: E402
from proposals.views import assignment_rows_html as assignment_partial  # noqa: E402
from proposals.views import proposal_rows_html as proposal_partial  # noqa: E402
from stations.models import Opinion  # noqa: E402
from stations.views import opinion_rows_html as opinion_partial  # noqa: E402

# ---------------------------------------------------------------------------------------------------------------
# The reference: liaison/rows.py, proposals/html.py, stations/html.py, deputies/html.py and
# liaison/workbench.py::cards_html as they were before issue 19 (ADR 0005, superseded by ADR 0019). Not used by the
# portal any more; kept verbatim so the comparison is with what the pages really ran.
# ---------------------------------------------------------------------------------------------------------------


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
    return mark_safe("\n".join(html))


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
    return mark_safe("\n".join(html))


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
    return mark_safe("\n".join(html))


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
    return mark_safe("\n".join(html))


def _text(value):
    """A value as ``{{ value }}`` writes it: localised, then escaped unless already safe."""
    return conditional_escape(str(localize(value)))


def cards_html(cards):
    """The markup of ``liaison/_card.html`` for each of ``cards``, as one safe string, without the template engine.

    A workbench shows five to a dozen cards and the include cost about 40 µs each on a page that is opened more
    than any other by deputies; ``tests/liaison/test_workbench.py`` renders the template beside it and compares.
    """
    html = []
    for card in cards:
        tone = _text(card.tone)
        if card.url:
            empty = " is-empty" if card.is_empty else ""
            opening = (
                f'<a class="card workbench-card tone-{tone}{empty} h-100 text-decoration-none" href="{_text(card.url)}"'
                ' data-testid="workbench-card">'
            )
            closing = "</a>"
        else:
            opening = f'<div class="card workbench-card tone-{tone} h-100" data-testid="workbench-card">'
            closing = "</div>"
        count = (
            f'<p class="workbench-count mb-0" data-testid="card-count">{_text(card.count)}</p>'
            if card.count is not None
            else ""
        )
        hint = f'<p class="small card-hint mb-0">{_text(card.hint)}</p>' if card.hint else ""
        items = ""
        if card.items:
            items = (
                '<ul class="small list-unstyled mb-0 mt-2 card-items">'
                + "".join(f"<li>{_text(item)}</li>" for item in card.items)
                + "</ul>"
            )
        html.append(
            f'<div class="col-6 col-lg-3">\n  {opening}\n    <div class="card-body">\n'
            f'      <h3 class="h6 card-title mb-2">{_text(card.title)}</h3>\n'
            f"      {count}\n      {hint}\n      {items}\n    </div>\n  {closing}\n</div>\n"
        )
    return mark_safe("".join(html))


# ---------------------------------------------------------------------------------------------------------------
# The equivalent Django templates over the same dicts (what the rows were before ADR 0005, read from dicts).
# ---------------------------------------------------------------------------------------------------------------

register = template.Library()


@register.filter
def choice(value, spec):
    model, field_name = spec.split(":")
    return choice_label(
        {"Proposal": Proposal, "Assignment": Assignment, "Opinion": Opinion, "DutyRecord": DutyRecord}[model],
        field_name,
        value,
    )


@register.simple_tag
def row_url(viewname, pk):
    return object_url(viewname, pk)


@register.filter
def masked(value):
    return mask_mobile(value)


DJANGO_ROWS = {
    "proposal": """{% load i18n portal rowbench %}{% for row in rows %}<tr><td class="text-nowrap">{{ row.number|default:"—" }}</td><td><a href="{% row_url "proposals:detail" row.id %}">{{ row.title }}</a>{% if row.is_key_supervised %} <span class="badge text-bg-danger">{% translate "重点督办" %}</span>{% endif %}</td><td class="text-nowrap">{{ row.lead_deputy__name|default:"" }}</td><td>{% for unit in row.units %}{{ unit.unit__name }}{% if unit.role == "co" %}（{% translate "协办" %}）{% endif %}{% if not forloop.last %}、{% endif %}{% empty %}—{% endfor %}</td>{% if show_promise %}<td class="text-nowrap">{{ row.promised_on|default:"—" }}</td>{% endif %}<td>{{ row.reply_class|default:"—" }}{% if row.rating %} · {{ row.rating|choice:"Proposal:rating" }}{% endif %}</td><td>{% status_badge row.status kind="proposal" %}</td></tr>
{% endfor %}""",
    "assignment": """{% load i18n portal rowbench %}{% for row in rows %}<tr class="{% if row.flag == "overdue" %}table-danger{% elif row.flag == "due_soon" %}table-warning{% endif %}" data-testid="assignment-row"><td>{{ row.deadline }}
{% if row.flag == "overdue" %}<span class="badge text-bg-danger d-table">{% translate "已逾期" %}</span>{% elif row.flag == "due_soon" %}<span class="badge text-bg-warning d-table">{% translate "即将到期" %}</span>{% endif %}</td><td><a href="{% row_url "proposals:detail" row.proposal_id %}"><span class="d-none d-md-inline">{{ row.proposal__number }} </span>{{ row.proposal__title }}</a></td><td class="text-nowrap d-none d-md-table-cell">{{ row.proposal__lead_deputy__name|default:"" }}</td><td class="d-none d-md-table-cell">{{ row.unit__name }}（{{ row.role|choice:"Assignment:role" }}）</td><td class="text-nowrap">{% if row.before_contacts %}{% blocktranslate count n=row.contact_count %}{{ n }} 次{% plural %}{{ n }} 次{% endblocktranslate %}{% else %}<span class="text-danger">{% translate "缺办前联系" %}</span>{% endif %}</td><td>{% status_badge row.proposal__status kind="proposal" %}</td></tr>
{% endfor %}""",
    "opinion": """{% load i18n portal rowbench %}{% for row in rows %}<tr><td><a href="{% row_url "stations:opinion_detail" row.id %}">{{ row.tracking_code }}</a></td><td>{{ row.created_at|date:"DATETIME_FORMAT" }}</td>
<td>{{ row.station__name|default:"" }}{% if row.deputy_id %} {{ row.deputy__name }}{% endif %}</td><td>{{ row.category__name|default:"" }}</td><td>{{ row.content|truncatechars:40 }}</td>
<td>{{ row.mobile|masked }}</td><td>{{ row.source|choice:"Opinion:source" }}</td><td>{% status_badge row.status kind="opinion" %}</td></tr>
{% endfor %}""",
    "duty": """{% load i18n rowbench %}{% for row in rows %}<tr><td>{{ row.occurred_on|date:"DATE_FORMAT" }}</td><td>{{ row.congress_name }}</td><td>{{ row.kind|choice:"DutyRecord:kind" }}</td><td>{{ row.description|truncatechars:60 }}{% if row.attachment %} <a href="{% row_url "deputies:duty_record_attachment" row.id %}">{% translate "附件" %}</a>{% endif %}</td><td class="text-end">{{ row.points|floatformat:"-2" }}</td></tr>
{% endfor %}""",
    "cards": """{% for card in cards %}<div class="col-6 col-lg-3">
  {% if card.url %}<a class="card workbench-card tone-{{ card.tone }}{% if card.is_empty %} is-empty{% endif %} h-100 text-decoration-none" href="{{ card.url }}" data-testid="workbench-card">{% else %}<div class="card workbench-card tone-{{ card.tone }} h-100" data-testid="workbench-card">{% endif %}
    <div class="card-body">
      <h3 class="h6 card-title mb-2">{{ card.title }}</h3>
      {% if card.count is not None %}<p class="workbench-count mb-0" data-testid="card-count">{{ card.count }}</p>{% endif %}
      {% if card.hint %}<p class="small card-hint mb-0">{{ card.hint }}</p>{% endif %}
      {% if card.items %}<ul class="small list-unstyled mb-0 mt-2 card-items">{% for item in card.items %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}
    </div>
  {% if card.url %}</a>{% else %}</div>{% endif %}
</div>
{% endfor %}""",
}


@functools.cache
def django_template(name):
    engine = Engine(
        libraries={"i18n": "django.templatetags.i18n", "portal": "liaison.templatetags.portal", "rowbench": __name__}
    )
    return engine.from_string(DJANGO_ROWS[name])


# ---------------------------------------------------------------------------------------------------------------
# A realistic page: the shapes the selectors return, with the variety the tests' fixtures have.
# ---------------------------------------------------------------------------------------------------------------

WORDS = [
    "关于加强城区老旧小区改造",
    "推进学位供给",
    "规范农贸市场管理",
    "完善公交线路",
    "治理",
    "<噪声>",
    "扰民",
    "&",
    "停车难问题的建议",
]
UNITS = ["株洲市住房和城乡建设局", "株洲市教育局", "株洲市财政局", "株洲市交通运输局", "天元区人民政府"]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"]


def title(rng, words=6):
    return "".join(rng.choice(WORDS) for _ in range(words))


def page_of(rows_count, seed=19):
    rng = random.Random(seed)
    today = datetime.date(2026, 6, 18)
    now = datetime.datetime(2026, 6, 18, 15, 42, tzinfo=datetime.UTC)
    proposals, assignments, opinions, duties = [], [], [], []
    statuses = list(Proposal.Status.values)
    for i in range(rows_count):
        units = [
            {"unit__name": rng.choice(UNITS), "role": "lead" if k == 0 else "co"}
            for k in range(rng.choice((0, 1, 1, 2, 3)))
        ]
        proposals.append(
            {
                "id": 100000 + i,
                "number": "" if i % 9 == 0 else str(1000 + i),
                "title": title(rng),
                "is_key_supervised": i % 7 == 0,
                "lead_deputy__name": rng.choice(NAMES),
                "units": units,
                "promised_on": today + datetime.timedelta(days=i) if i % 3 else None,
                "reply_class": rng.choice(["", "A", "B", "C"]),
                "rating": rng.choice(["", *Proposal.Rating.values]),
                "status": rng.choice(statuses),
            }
        )
        contacts = rng.choice((0, 1, 2, 5))
        assignments.append(
            {
                "id": 200000 + i,
                "proposal_id": 100000 + i,
                "deadline": today + datetime.timedelta(days=rng.randint(-10, 60)),
                "completed_at": now if i % 11 == 0 else None,
                "proposal__status": rng.choice(["assigned", "handling", "rehandling", "replied"]),
                "proposal__number": str(1000 + i),
                "proposal__title": title(rng),
                "proposal__lead_deputy__name": rng.choice(NAMES),
                "unit__name": rng.choice(UNITS),
                "role": rng.choice(Assignment.Role.values),
                "before_contacts": contacts,
                "contact_count": contacts + rng.choice((0, 1)),
            }
        )
        opinions.append(
            {
                "id": 300000 + i,
                "tracking_code": f"ZZ{2026000 + i}",
                "created_at": now - datetime.timedelta(minutes=37 * i),
                "station__name": "" if i % 8 == 0 else "荷塘区月塘街道代表联络站",
                "deputy_id": i if i % 3 == 0 else None,
                "deputy__name": rng.choice(NAMES),
                "category__name": rng.choice(["城市建设", "教育", "交通", ""]),
                "content": title(rng, rng.choice((2, 5, 12))),
                "mobile": "" if i % 6 == 0 else f"1390000{i:04d}",
                "source": rng.choice(Opinion.Source.values),
                "status": rng.choice(Opinion.Status.values),
            }
        )
        duties.append(
            {
                "id": 400000 + i,
                "occurred_on": today - datetime.timedelta(days=i // 3),
                "congress_name": rng.choice(["株洲市第十六届人民代表大会", "天元区第五届人民代表大会 <R&D>"]),
                "kind": rng.choice(DutyRecord._meta.get_field("kind").choices)[0],
                "description": title(rng, rng.choice((3, 8, 20))),
                "attachment": "duty_records/2026/report.pdf" if i % 4 == 0 else "",
                "points": rng.choice((Decimal("0"), Decimal("1.25"), Decimal("2.5"), Decimal("4"))),
            }
        )
    cards = [
        Card(
            title=f"待处理{title(rng, 1)}",
            count=rng.choice((0, 3, 12345)),
            url=f"/x/?a={k}&b=2",
            tone=rng.choice(("danger", "warning", "primary")),
            hint="近期 <暂无> 安排" if k % 2 else "",
        )
        for k in range(10)
    ] + [
        Card(title="下次接待日", hint="近期暂无安排"),
        Card(title="接待日安排", count=2, url="/y/", items=["5月1日 <荷塘站>", "5月2日"]),
    ]
    return {
        "proposals": proposals,
        "assignments": assignments,
        "opinions": opinions,
        "duties": duties,
        "cards": cards,
        "today": today,
    }


def writers(page):
    """name -> (reference, partial, Django template), each a function of no argument writing one page."""
    today = page["today"]
    flagged = [{**row, "flag": deadline_flag(row, today)} for row in page["assignments"]]
    return {
        "proposal list (50 rows)": (
            lambda: proposal_rows_html(page["proposals"], show_promise=True),
            lambda: proposal_partial(page["proposals"], show_promise=True),
            lambda: django_template("proposal").render(Context({"rows": page["proposals"], "show_promise": True})),
        ),
        "unit workbench (50 rows)": (
            lambda: assignment_rows_html(page["assignments"], today=today),
            lambda: assignment_partial(page["assignments"], today=today),
            lambda: django_template("assignment").render(Context({"rows": flagged})),
        ),
        "opinion list (50 rows)": (
            lambda: opinion_rows_html(page["opinions"]),
            lambda: opinion_partial(page["opinions"]),
            lambda: django_template("opinion").render(Context({"rows": page["opinions"]})),
        ),
        "deputy portal records (50 rows)": (
            lambda: duty_rows_html(page["duties"]),
            lambda: duty_partial(page["duties"]),
            lambda: django_template("duty").render(Context({"rows": page["duties"]})),
        ),
        "workbench cards (12)": (
            lambda: cards_html(page["cards"]),
            lambda: cards_partial(page["cards"]),
            lambda: django_template("cards").render(Context({"cards": page["cards"]})),
        ),
    }


def squash(html):
    return "".join(line.strip() for line in str(html).splitlines())


def best_us(function, repeat, number):
    return min(timeit.repeat(function, repeat=repeat, number=number)) / number * 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=20)
    parser.add_argument("--rows", type=int, default=50)
    args = parser.parse_args(argv)
    page = page_of(args.rows)
    print(f"Python {platform.python_version()}, Django {django.get_version()}, load average {os.getloadavg()[0]:.2f}")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            print(f"\n{language}: µs per page, best of {args.repeat}×{args.number}; ratio to the reference")
            print(f"| {'rows':<32} | same bytes | f-strings (ref) | Jinja2 partial | Django template |")
            print(f"|{'-' * 34}|------------|-----------------|----------------|-----------------|")
            for name, (reference, partial, django_rows) in writers(page).items():
                same = str(reference()) == str(partial())
                assert squash(reference()) == squash(partial()) == squash(django_rows()), name
                times = [best_us(f, args.repeat, args.number) for f in (reference, partial, django_rows)]
                ref = times[0]
                cells = [f"{t:8.0f} ×{t / ref:4.1f}" for t in times]
                print(
                    f"| {name:<32} | {'yes' if same else 'no':<10} | {cells[0]:>15} | {cells[1]:>14} | {cells[2]:>15} |"
                )


if __name__ == "__main__":
    main()
