"""The proposal list's and the unit workbench's rows are dicts, written by Jinja2 partials (proposals/jinja2) and plain
functions (serializers.proposal_row_json) instead of the template engine and DRF's generic serializer: the markup
and the JSON must stay what the templates and ``ProposalListSerializer`` wrote from model instances, in both
languages."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from proposals import selectors
from proposals.models import Assignment, Contact, Proposal
from proposals.serializers import ProposalListSerializer, proposal_row_json
from proposals.views import assignment_rows_html, proposal_rows_html
from tests.factories import OrganizationFactory
from tests.proposals.factories import AssignmentFactory, ProposalFactory

pytestmark = pytest.mark.django_db

# The row of proposals/list.html as the Django template engine wrote it from model instances.
TEMPLATE_ROW = """{% load i18n portal %}{% for p in rows %}<tr>
<td class="text-nowrap">{{ p.number|default:"—" }}</td>
<td><a href="{{ p.get_absolute_url }}">{{ p.title }}</a>{% if p.is_key_supervised %} <span class="badge text-bg-danger">{% translate "重点督办" %}</span>{% endif %}</td>
<td class="text-nowrap">{{ p.lead_deputy.name }}</td>
<td>{% for a in p.unit_list %}{{ a.unit.name }}{% if a.role == "co" %}（{% translate "协办" %}）{% endif %}{% if not forloop.last %}、{% endif %}{% empty %}—{% endfor %}</td>
{% if show_promise %}<td class="text-nowrap">{{ p.promised_on|default:"—" }}</td>{% endif %}
<td>{{ p.reply_class|default:"—" }}{% if p.rating %} · {{ p.get_rating_display }}{% endif %}</td>
<td>{% status_badge p.status kind="proposal" %}</td>
</tr>
{% endfor %}"""


# The row of proposals/assignments.html as the template engine wrote it.
TEMPLATE_ASSIGNMENT_ROW = """{% load i18n portal %}{% for a in rows %}<tr class="{% if a.flag == "overdue" %}table-danger{% elif a.flag == 'due_soon' %}table-warning{% endif %}" data-testid="assignment-row">
<td>{{ a.deadline|date:"DATE_FORMAT" }}
{% if a.flag == "overdue" %}<span class="badge text-bg-danger d-table">{% translate "已逾期" %}</span>{% elif a.flag == "due_soon" %}<span class="badge text-bg-warning d-table">{% translate "即将到期" %}</span>{% endif %}</td>
<td><a href="{{ a.proposal.get_absolute_url }}"><span class="d-none d-md-inline">{{ a.proposal.number }} </span>{{ a.proposal.title }}</a></td>
<td class="text-nowrap d-none d-md-table-cell">{{ a.proposal.lead_deputy.name }}</td>
<td class="d-none d-md-table-cell">{{ a.unit.name }}（{{ a.get_role_display }}）</td>
<td class="text-nowrap">{% if a.before_contacts %}{% blocktranslate count n=a.contact_count %}{{ n }} 次{% plural %}{{ n }} 次{% endblocktranslate %}{% else %}<span class="text-danger">{% translate "缺办前联系" %}</span>{% endif %}</td>
<td>{% status_badge a.proposal.status kind="proposal" %}</td>
</tr>
{% endfor %}"""


def _squash(html):
    return "".join(line.strip() for line in str(html).splitlines())


@pytest.fixture
def varied(congress, deputy_user, other_deputy_user):
    """Proposals with every shape a row has: no number, key supervision, a co-unit assigned before the lead,
    reply classes with and without a rating, a promise date, markup in a title, no units at all."""
    lead = OrganizationFactory(region=congress.region, name="株洲市住房和城乡建设局")
    co = OrganizationFactory(region=congress.region, name="株洲市财政局 <R&D>")
    now = timezone.now().replace(microsecond=0)
    rows = [
        ProposalFactory(congress=congress, lead_deputy=deputy_user.deputy, number="", submitted_at=now),
        ProposalFactory(
            congress=congress,
            lead_deputy=other_deputy_user.deputy,
            title='关于"学位"<紧张>问题的建议 & 对策',
            is_key_supervised=True,
            submitted_at=now - datetime.timedelta(hours=1),
        ),
        ProposalFactory(
            congress=congress,
            lead_deputy=deputy_user.deputy,
            status=Proposal.Status.TRACKING,
            reply_class=Proposal.ReplyClass.B,
            promised_on=datetime.date(2025, 6, 30),
            rating=Proposal.Rating.BASIC,
            submitted_at=now - datetime.timedelta(hours=2),
        ),
        ProposalFactory(
            congress=congress,
            lead_deputy=deputy_user.deputy,
            status=Proposal.Status.CLOSED,
            reply_class=Proposal.ReplyClass.A,
            submitted_at=now - datetime.timedelta(hours=3),
        ),
    ]
    AssignmentFactory(proposal=rows[1], unit=co, role=Assignment.Role.CO)  # the co-unit first, by id
    AssignmentFactory(
        proposal=rows[1], unit=lead, completed_at=now, extension_reason="需要跨部门协调", role=Assignment.Role.LEAD
    )
    AssignmentFactory(proposal=rows[2], unit=lead)
    return rows


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("show_promise", [False, True])
def test_rows_are_the_markup_the_template_wrote(varied, staff_zz, language, show_promise):
    with translation.override(language):
        instances = list(selectors.proposal_list(user=staff_zz))
        expected = Template(TEMPLATE_ROW).render(Context({"rows": instances, "show_promise": show_promise}))
        rows = selectors.with_units(selectors.proposal_rows(user=staff_zz))
        written = proposal_rows_html(rows, show_promise=show_promise)
    assert _squash(written) == _squash(expected)
    assert "&lt;紧张&gt;" in written and "<R&D>" not in written  # escaped, like the template
    assert written.index("株洲市住房和城乡建设局") < written.index("株洲市财政局")  # the lead unit first


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_api_rows_are_the_json_the_serializer_wrote(varied, staff_zz, language):
    with translation.override(language):
        instances = list(selectors.proposal_list(user=staff_zz))
        expected = ProposalListSerializer(instances, many=True).data
        rows = selectors.with_units(selectors.proposal_rows(user=staff_zz))
        written = [proposal_row_json(row) for row in rows]
    assert written == [dict(item) for item in expected]
    assert written[1]["units"][0]["role"] == "lead" and written[1]["units"][0]["completed_at"]


def test_with_units_reads_every_unit_of_a_page_in_one_statement(varied, staff_zz):
    rows = list(selectors.proposal_rows(user=staff_zz))
    with CaptureQueriesContext(connection) as queries:
        selectors.with_units(rows)
    assert len(queries.captured_queries) == 1
    assert [len(row["units"]) for row in rows] == [0, 2, 1, 0]
    assert selectors.with_units([]) == []


@pytest.fixture
def workload(congress, deputy_user, unit_jy, staff_zz):
    """A unit's assignments: overdue, due soon, far off, done, on a closed proposal; with and without contacts."""
    today = timezone.localdate()
    unit = unit_jy.organization
    rows = []
    for days, completed, status, role in (
        (-3, False, Proposal.Status.ASSIGNED, Assignment.Role.LEAD),
        (5, False, Proposal.Status.REHANDLING, Assignment.Role.CO),
        (60, False, Proposal.Status.ASSIGNED, Assignment.Role.LEAD),
        (-10, True, Proposal.Status.REPLIED, Assignment.Role.LEAD),
        (-20, False, Proposal.Status.CLOSED, Assignment.Role.LEAD),
    ):
        proposal = ProposalFactory(congress=congress, lead_deputy=deputy_user.deputy, status=status)
        rows.append(
            AssignmentFactory(
                proposal=proposal,
                unit=unit,
                role=role,
                assigned_on=today + datetime.timedelta(days=days - 60),
                deadline=today + datetime.timedelta(days=days),
                completed_at=timezone.now() if completed else None,
            )
        )
    for stage in (Contact.Stage.BEFORE, Contact.Stage.DURING):
        Contact.objects.create(
            assignment=rows[0], stage=stage, way=Contact.Way.PHONE, contacted_on=today, summary="电话沟通"
        )
    Contact.objects.create(
        assignment=rows[1], stage=Contact.Stage.DURING, way=Contact.Way.VISIT, contacted_on=today, summary="走访"
    )
    return rows


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_assignment_rows_are_the_markup_the_template_wrote(workload, unit_jy, language):
    today = timezone.localdate()
    with translation.override(language):
        instances = list(selectors.unit_assignments(user=unit_jy))
        for assignment in instances:
            assignment.flag = selectors.deadline_flag(assignment, today)
        expected = Template(TEMPLATE_ASSIGNMENT_ROW).render(Context({"rows": instances}))
        written = assignment_rows_html(selectors.assignment_rows(selectors.unit_assignments(user=unit_jy)), today=today)
    assert _squash(written) == _squash(expected)
    assert written.count("table-danger") == 1 and written.count("table-warning") == 1  # done and closed: no flag


def test_workbench_page_counts_without_the_rows_joins(client, workload, unit_jy):
    client.force_login(unit_jy)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/proposals/unit/")
    assert response.status_code == 200 and response.content.decode().count('data-testid="assignment-row"') == 5
    count = next(q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "assignment" in q["sql"])
    assert "proposals_proposal" not in count and "deputies_deputy" not in count


def test_assignment_rows_count_contacts_in_the_english_plural(workload, unit_jy):
    today = timezone.localdate()
    first = workload[0]
    Contact.objects.create(
        assignment=workload[2], stage=Contact.Stage.BEFORE, way=Contact.Way.PHONE, contacted_on=today, summary="电话"
    )
    with translation.override("en"):
        rows = {
            row["id"]: assignment_rows_html([row], today=today)
            for row in selectors.assignment_rows(selectors.unit_assignments(user=unit_jy))
        }
    counts = {pk: re.search(r"(\d+) (times?)<", html).groups() for pk, html in rows.items() if " time" in html}
    assert counts[workload[2].pk] == ("1", "time")
    assert counts[first.pk][1] == ("time" if counts[first.pk][0] == "1" else "times")
