"""The REST API: scoping like the pages, the one error shape, every list at constant query counts."""

import pytest
from django.utils import timezone

from proposals.models import Proposal
from tests.proposals.factories import assigned_batch

pytestmark = pytest.mark.django_db


def test_unit_cannot_see_another_units_assignment(client, flow, unit_jy):
    proposal = flow.accepted()
    from proposals import services

    services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit_user.organization)
    client.force_login(unit_jy)
    response = client.get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在或无权查看。", "fields": {}}
    assert client.get("/api/v1/proposal-assignments/").json()["count"] == 0
    client.force_login(flow.unit_user)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    assert client.get("/api/v1/proposal-assignments/").json()["count"] == 1


def test_deputy_cannot_see_another_deputys_draft(client, flow, other_deputy_user):
    draft = flow.draft()
    client.force_login(other_deputy_user)
    assert client.get(f"/api/v1/proposals/{draft.pk}/").status_code == 404
    assert client.post(f"/api/v1/proposals/{draft.pk}/submit/").status_code == 404
    client.force_login(flow.deputy_user)
    assert client.get("/api/v1/proposals/").json()["count"] == 1


def test_whole_path_through_the_api(client, flow, congress):
    client.force_login(flow.deputy_user)
    created = client.post(
        "/api/v1/proposals/drafts/",
        {"congress": congress.pk, "title": "关于增设公交站点的建议", "content": "建议在嵩山路增设公交站点。"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert client.post(f"/api/v1/proposals/{pk}/submit/").json()["status"] == "submitted"
    client.force_login(flow.staff)
    assert client.post(f"/api/v1/proposals/{pk}/accept/", {}, content_type="application/json").status_code == 200
    assigned = client.post(
        "/api/v1/proposals/assign/",
        {
            "meeting_title": "交办会",
            "held_on": str(timezone.localdate()),
            "items": [{"proposal": pk, "lead_unit": flow.unit_user.organization_id}],
        },
        content_type="application/json",
    )
    assert assigned.status_code == 200, assigned.json()
    client.force_login(flow.unit_user)
    refused = client.post(
        f"/api/v1/proposals/{pk}/reply/", {"reply_class": "A", "text": "已解决"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "before_contact_missing",
        "message": "答复前须先与代表进行办前沟通并登记。",
        "fields": {},
    }
    contact = {"stage": "before", "way": "phone", "contacted_on": str(timezone.localdate()), "summary": "电话沟通"}
    assert client.post(f"/api/v1/proposals/{pk}/contacts/", contact, content_type="application/json").status_code == 200
    refused = client.post(
        f"/api/v1/proposals/{pk}/reply/", {"reply_class": "A", "text": "已解决"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "during_contact_missing",
        "message": "答复前须先与代表进行办中沟通并登记。",
        "fields": {},
    }
    after = {**contact, "stage": "after", "summary": "回访代表"}
    early = client.post(f"/api/v1/proposals/{pk}/contacts/", after, content_type="application/json")
    assert early.status_code == 400
    assert early.json() == {
        "code": "after_contact_before_reply",
        "message": "办后联系须在答复之后、办结之前登记。",
        "fields": {},
    }
    during = {**contact, "stage": "during", "summary": "现场察看"}
    assert client.post(f"/api/v1/proposals/{pk}/contacts/", during, content_type="application/json").status_code == 200
    replied = client.post(
        f"/api/v1/proposals/{pk}/reply/", {"reply_class": "A", "text": "已解决"}, content_type="application/json"
    )
    assert replied.json()["status"] == "replied"
    client.force_login(flow.deputy_user)
    rated = client.post(f"/api/v1/proposals/{pk}/rate/", {"rating": "satisfied"}, content_type="application/json")
    assert rated.json()["status"] == "satisfied"
    client.force_login(flow.staff)
    not_yet = client.post(f"/api/v1/proposals/{pk}/close/", {}, content_type="application/json")
    assert not_yet.status_code == 400
    assert not_yet.json() == {
        "code": "after_contact_missing",
        "message": "办结前承办单位须在答复后与代表进行办后联系并登记。",
        "fields": {},
    }
    client.force_login(flow.unit_user)
    assert client.post(f"/api/v1/proposals/{pk}/contacts/", after, content_type="application/json").status_code == 200
    client.force_login(flow.staff)
    closed = client.post(f"/api/v1/proposals/{pk}/close/", {}, content_type="application/json")
    assert closed.json()["status"] == "closed"
    again = client.post(f"/api/v1/proposals/{pk}/close/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    history = client.get(f"/api/v1/proposals/{pk}/history/").json()
    assert [row["to_status"] for row in history] == [
        "draft",
        "submitted",
        "accepted",
        "assigned",
        "replied",
        "satisfied",
        "closed",
    ]
    figures = client.get("/api/v1/proposals/figures/").json()
    assert figures["classes"]["ab_share"] == 100.0 and figures["satisfaction"]["rate"] == 100.0


def test_figures_are_staff_only(client, flow):
    client.force_login(flow.deputy_user)
    assert client.get("/api/v1/proposals/figures/").status_code == 403


def test_schema_lists_the_proposal_endpoints(client, staff_zz):
    client.force_login(staff_zz)
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/proposals/{id}/", "/api/v1/proposals/{id}/rate/", "/api/v1/proposals/assign/"):
        assert path in schema


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("staff", "/api/v1/proposals/?page_size=100"),
        ("unit", "/api/v1/proposal-assignments/?page_size=100"),
        ("deputy", "/api/v1/proposals/?page_size=100"),
        ("staff", "/api/v1/proposals/figures/"),
    ],
)
def test_api_lists_run_a_constant_number_of_queries(
    client, flow, congress, rows, who, url, django_assert_max_num_queries
):
    assigned_batch(rows, congress=congress, deputy=flow.deputy_user.deputy, unit=flow.unit_user.organization)
    user = {"staff": flow.staff, "unit": flow.unit_user, "deputy": flow.deputy_user}[who]
    client.force_login(user)
    with django_assert_max_num_queries(15):  # 15 since the joint-supervision figure
        response = client.get(url)
    assert response.status_code == 200
    if "results" in response.json():
        assert len(response.json()["results"]) == min(rows, 100)
    assert Proposal.objects.count() == rows
