"""Pages: scoping (404 outside scope), page actions calling services, the export, constant query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from proposals.models import Proposal
from tests.proposals.factories import assigned_batch
from tests.security.helpers import password_just_entered

pytestmark = pytest.mark.django_db


def test_unit_cannot_open_another_units_assignment(client, flow, unit_jy):
    from proposals import services

    proposal = services.proposal_assign(
        actor=flow.staff, proposal=flow.accepted(), lead_unit=flow.unit_user.organization
    )
    client.force_login(unit_jy)
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("proposals:act", args=[proposal.pk, "reply"])).status_code == 404
    client.force_login(flow.unit_user)
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 200


def test_deputy_cannot_open_another_deputys_draft(client, flow, other_deputy_user):
    draft = flow.draft()
    client.force_login(other_deputy_user)
    assert client.get(reverse("proposals:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("proposals:edit", args=[draft.pk])).status_code == 404


def test_page_action_shows_the_services_refusal(client, flow):
    proposal = flow.assigned()
    client.force_login(flow.unit_user)
    response = client.post(
        reverse("proposals:act", args=[proposal.pk, "reply"]), {"reply_class": "A", "text": "已解决"}, follow=True
    )
    assert "答复前须先与代表进行办前沟通并登记。" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "assigned"


def test_deputy_drafts_and_submits_through_pages(client, flow, congress):
    client.force_login(flow.deputy_user)
    response = client.post(
        reverse("proposals:new"),
        {"congress": congress.pk, "kind": "suggestion", "title": "关于增设路灯的建议", "content": "嵩山路路灯不足。"},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    client.post(reverse("proposals:act", args=[proposal.pk, "submit"]))
    assert Proposal.objects.get().status == "submitted"


def test_review_queue_shows_duplicate_hints(client, flow):
    flow.submitted(title="关于加快老旧小区改造的建议")
    flow.submitted(title="关于加快推进老旧小区改造的建议")
    client.force_login(flow.staff)
    response = client.get(reverse("proposals:review"))
    assert response.content.decode().count('data-testid="duplicate-hint"') == 2


def test_batch_assignment_page(client, flow):
    first, second = flow.accepted(), flow.accepted(title="第二件")
    client.force_login(flow.staff)
    response = client.post(
        reverse("proposals:assign"),
        {"title": "交办会", f"lead_{first.pk}": flow.unit_user.organization_id, f"lead_{second.pk}": ""},
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=first.pk).status == "assigned"
    assert Proposal.objects.get(pk=second.pk).status == "accepted"


def test_ledger_export_is_an_xlsx_in_scope(client, flow, staff_hy):
    flow.rated(reply_class="B")
    client.force_login(flow.staff)
    password_just_entered(client)
    response = client.get(reverse("proposals:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "编号" and sheet.max_row == 2
    assert sheet["H2"].value == "B"
    client.force_login(staff_hy)
    password_just_entered(client)
    sheet = load_workbook(io.BytesIO(client.get(reverse("proposals:export")).content)).active
    assert sheet.max_row == 1


def test_ledger_export_keeps_the_lists_filters(client, flow, congress):
    rated = flow.rated(reply_class="B")
    assigned_batch(3, congress=congress, deputy=flow.deputy_user.deputy, unit=flow.unit_user.organization)
    client.force_login(flow.staff)
    password_just_entered(client)
    whole = load_workbook(io.BytesIO(client.get(reverse("proposals:export")).content)).active
    assert whole.max_row == 5
    narrowed = client.get(reverse("proposals:export"), {"status": rated.status, "q": rated.title})
    sheet = load_workbook(io.BytesIO(narrowed.content)).active
    assert sheet.max_row == 2 and sheet["B2"].value == rated.title
    ignored = client.get(reverse("proposals:export"), {"status": "no-such-status"})
    assert load_workbook(io.BytesIO(ignored.content)).active.max_row == 5
    page = client.get(reverse("proposals:list"), {"status": "assigned"}).content.decode()
    assert 'name="query" value="status=assigned"' in page  # the background export starts with the same filters


def test_workbench_cards_for_each_role(client, flow):
    from liaison.workbench import collect_cards

    flow.replied()
    titles = {c.title: c.count for c in collect_cards(flow.staff)}
    assert titles["答复待代表评价"] == 1
    assert {c.title: c.count for c in collect_cards(flow.deputy_user)}["待我评价的答复"] == 1
    assert {c.title: c.count for c in collect_cards(flow.unit_user)}["已逾期"] == 0


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("staff", "proposals:list"),
        ("staff", "proposals:review"),
        ("staff", "proposals:key"),
        ("staff", "proposals:ledger"),
        ("staff", "proposals:overdue"),
        ("staff", "proposals:assign"),
        ("staff", "proposals:figures"),
        ("staff", "proposals:export"),
        ("unit", "proposals:workbench"),
        ("deputy", "proposals:list"),
        ("staff", "home"),
        ("unit", "home"),
    ],
)
def test_pages_run_a_constant_number_of_queries(client, flow, congress, rows, who, name, django_assert_max_num_queries):
    proposals = assigned_batch(
        rows, congress=congress, deputy=flow.deputy_user.deputy, unit=flow.unit_user.organization
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals[::2]]).update(status="submitted", is_key_supervised=True)
    user = {"staff": flow.staff, "unit": flow.unit_user, "deputy": flow.deputy_user}[who]
    client.force_login(user)
    password_just_entered(client)
    with django_assert_max_num_queries(25):
        response = client.get(reverse(name))
    assert response.status_code == 200
