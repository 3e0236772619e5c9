"""Joint supervision (联合督办): services and their refusals, scoping (404 for everyone else), the pages, the API,
the ledger export, the workbench cards, and query counts at two sizes."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.models import AuditLog, Organization, User
from proposals import selectors, services
from proposals.models import Contact, JointSupervision, Proposal, ProposalStatusChange, SiteVisit
from tests.factories import OrganizationFactory, UserFactory
from tests.proposals.factories import assigned_batch
from tests.security.helpers import password_just_entered

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def committee_user(committee):
    return UserFactory(username="committee_zz", role=User.Role.UNIT, organization=committee, display_name="城建委")


@pytest.fixture
def other_committee_user(regions):
    org = OrganizationFactory(
        region=regions["zhuzhou"], name="株洲市人大教科文卫委员会", kind=Organization.Kind.SPECIAL_COMMITTEE
    )
    return UserFactory(username="committee_jkw", role=User.Role.UNIT, organization=org)


@pytest.fixture
def supervision(flow, committee):
    first = flow.assigned(title="关于城市公园建设的建议")
    second = flow.replied(reply_class="B", title="关于停车收费的建议")
    return services.joint_supervision_create(
        actor=flow.staff,
        committee=committee,
        title="城市公园建设和停车收费联合督办",
        focus="公园改造进度、停车收费标准",
        proposals=[first, second],
    )


def visit(actor, supervision, **extra):
    fields = {
        "visited_on": TODAY(),
        "place": "神农公园",
        "participants": "城建委委员3人、代表2人",
        "summary": "察看公园改造进度",
        "findings": "北门停车场未开工",
        "follow_ups": "住建局一个月内报送开工计划",
        **extra,
    }
    return services.site_visit_record(actor=actor, supervision=supervision, **fields)


# ---------------------------------------------------------------- services


def test_create_links_the_proposals_writes_a_timeline_row_on_each_and_an_audit_row(supervision, flow):
    proposals = list(supervision.proposals.order_by("pk"))
    assert [p.title for p in proposals] == ["关于城市公园建设的建议", "关于停车收费的建议"]
    assert supervision.status == JointSupervision.Status.OPEN
    for proposal in proposals:
        row = ProposalStatusChange.objects.filter(proposal=proposal).order_by("-id").first()
        assert (row.from_status, row.to_status, row.actor) == (proposal.status, proposal.status, flow.staff)
        assert row.note == "列入联合督办：株洲市人大常委会城建环资工作委员会《城市公园建设和停车收费联合督办》"
    log = AuditLog.objects.get(action="proposal.joint_supervision_create")
    assert (log.actor, log.object_id, log.data) == (
        flow.staff,
        str(supervision.pk),
        {"proposals": [p.pk for p in proposals]},
    )


def test_the_timeline_of_a_proposal_shows_the_joint_supervision_and_each_visit(supervision, flow):
    visit(flow.staff, supervision)
    proposal = supervision.proposals.order_by("pk").first()
    notes = [event["note"] for event in selectors.proposal_timeline(proposal=proposal)]
    assert notes[-2:] == [
        "列入联合督办：株洲市人大常委会城建环资工作委员会《城市公园建设和停车收费联合督办》",
        f"联合督办现场督办（株洲市人大常委会城建环资工作委员会）：{TODAY()} 神农公园，察看公园改造进度",
    ]


def test_committee_user_logs_a_visit_with_findings_and_follow_ups(supervision, committee_user):
    saved = visit(committee_user, supervision)
    assert (saved.place, saved.findings, saved.follow_ups, saved.recorded_by) == (
        "神农公园",
        "北门停车场未开工",
        "住建局一个月内报送开工计划",
        committee_user,
    )
    log = AuditLog.objects.get(action="proposal.site_visit")
    assert (log.actor, log.data) == (committee_user, {"place": "神农公园", "date": str(TODAY())})


@pytest.mark.parametrize(
    ("who", "code", "message"),
    [
        ("other_committee", "not_committee", "仅限工作人员或牵头专门委员会操作。"),
        ("unit", "not_committee", "仅限工作人员或牵头专门委员会操作。"),
        ("deputy", "not_committee", "仅限工作人员或牵头专门委员会操作。"),
        ("staff_hy", "out_of_scope", "该区域不在您的管辖范围内。"),
    ],
)
def test_only_staff_in_scope_and_the_committee_may_log_visits(
    supervision, flow, other_committee_user, staff_hy, who, code, message
):
    actor = {
        "other_committee": other_committee_user,
        "unit": flow.unit_user,
        "deputy": flow.deputy_user,
        "staff_hy": staff_hy,
    }[who]
    with pytest.raises(PermissionDenied) as exc:
        visit(actor, supervision)
    assert (exc.value.code, exc.value.message) == (code, message)


def test_visit_refusals_future_date_missing_place_and_closed_item(supervision, flow):
    with pytest.raises(ApplicationError) as exc:
        visit(flow.staff, supervision, visited_on=TODAY() + datetime.timedelta(days=1))
    assert (exc.value.code, exc.value.message) == ("date_in_future", "督办日期不能晚于今天。")
    with pytest.raises(ApplicationError) as exc:
        visit(flow.staff, supervision, place=" ")
    assert (exc.value.code, exc.value.message) == ("visit_incomplete", "请填写督办地点和督办情况。")
    services.joint_supervision_close(actor=flow.staff, supervision=supervision, conclusion="北门停车场已开工")
    with pytest.raises(ApplicationError) as exc:
        visit(flow.staff, supervision)
    assert (exc.value.code, exc.value.message, exc.value.status_code) == (
        "supervision_closed",
        "联合督办已结束，不能再登记现场督办。",
        409,
    )


def test_close_records_the_conclusion_once(supervision, flow, committee_user):
    with pytest.raises(ApplicationError) as exc:
        services.joint_supervision_close(actor=flow.staff, supervision=supervision, conclusion="")
    assert (exc.value.code, exc.value.message) == ("conclusion_required", "请填写督办结论。")
    with pytest.raises(PermissionDenied):
        services.joint_supervision_close(actor=committee_user, supervision=supervision, conclusion="完成")
    closed = services.joint_supervision_close(actor=flow.staff, supervision=supervision, conclusion="问题已解决")
    assert (closed.status, closed.conclusion, closed.closed_at is not None) == ("closed", "问题已解决", True)
    with pytest.raises(InvalidTransition) as exc:
        services.joint_supervision_close(actor=flow.staff, supervision=supervision, conclusion="再次")
    assert (exc.value.code, exc.value.message) == ("supervision_closed", "联合督办已经结束。")


def test_create_refusals(flow, committee, staff_hy, regions):
    proposal = flow.assigned()
    cases = [
        ({"committee": flow.unit_user.organization}, "not_special_committee", "联合督办须由专门委员会牵头。"),
        ({"title": "  "}, "title_required", "请填写督办主题。"),
        ({"proposals": []}, "proposals_required", "请至少选择一件建议。"),
    ]
    for change, code, message in cases:
        kwargs = {"actor": flow.staff, "committee": committee, "title": "督办", "proposals": [proposal], **change}
        with pytest.raises(ApplicationError) as exc:
            services.joint_supervision_create(**kwargs)
        assert (exc.value.code, exc.value.message) == (code, message)
    with pytest.raises(PermissionDenied) as exc:
        services.joint_supervision_create(actor=staff_hy, committee=committee, title="督办", proposals=[proposal])
    assert exc.value.code == "out_of_scope"
    with pytest.raises(PermissionDenied) as exc:
        services.joint_supervision_create(actor=flow.unit_user, committee=committee, title="督办", proposals=[proposal])
    assert exc.value.code == "staff_only"
    tianyuan = OrganizationFactory(
        region=regions["tianyuan"], name="天元区人大城建委", kind=Organization.Kind.SPECIAL_COMMITTEE
    )
    with pytest.raises(ApplicationError) as exc:
        services.joint_supervision_create(actor=flow.staff, committee=tianyuan, title="督办", proposals=[proposal])
    assert exc.value.code == "proposal_out_of_committee_region"
    assert not JointSupervision.objects.exists()


def test_a_draft_or_closed_proposal_cannot_be_put_under_joint_supervision(flow, committee):
    for proposal, label in [(flow.submitted(), "待审核"), (flow.closed(), "已办结")]:
        with pytest.raises(ApplicationError) as exc:
            services.joint_supervision_create(actor=flow.staff, committee=committee, title="督办", proposals=[proposal])
        assert (exc.value.code, exc.value.status_code) == ("proposal_not_supervisable", 409)
        assert exc.value.message == f"建议“{proposal.title}”当前状态为“{label}”，不能列入联合督办。"


def test_a_visit_leaves_closed_proposals_read_only(supervision, flow):
    proposal = supervision.proposals.get(title="关于停车收费的建议")
    services.proposal_rate(actor=flow.deputy_user, proposal=proposal, rating="satisfied")
    proposal = services.proposal_report_promise_met(actor=flow.unit_user, proposal=proposal, note="已建成")
    flow.contact(proposal, Contact.Stage.AFTER)
    services.proposal_close(actor=flow.staff, proposal=proposal)
    before = ProposalStatusChange.objects.filter(proposal=proposal).count()
    visit(flow.staff, supervision)
    assert ProposalStatusChange.objects.filter(proposal=proposal).count() == before


# ---------------------------------------------------------------- scoping


def test_committee_sees_only_its_own_items(supervision, committee_user, other_committee_user, flow, staff_hy):
    assert list(JointSupervision.objects.visible_to(committee_user)) == [supervision]
    assert list(JointSupervision.objects.visible_to(flow.staff)) == [supervision]
    for user in (other_committee_user, flow.unit_user, flow.deputy_user, staff_hy):
        assert not JointSupervision.objects.visible_to(user).exists()


@pytest.mark.parametrize("who", ["other_committee", "unit", "deputy", "staff_hy"])
def test_others_get_404_on_the_page_and_the_api(client, supervision, flow, other_committee_user, staff_hy, who):
    user = {
        "other_committee": other_committee_user,
        "unit": flow.unit_user,
        "deputy": flow.deputy_user,
        "staff_hy": staff_hy,
    }[who]
    client.force_login(user)
    assert client.get(reverse("proposals:supervision_detail", args=[supervision.pk])).status_code == 404
    response = client.post(
        reverse("proposals:supervision_visit", args=[supervision.pk]), {"visited_on": str(TODAY()), "place": "x"}
    )
    assert response.status_code == 404
    response = client.get(f"/api/v1/joint-supervisions/{supervision.pk}/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = client.post(f"/api/v1/joint-supervisions/{supervision.pk}/visits/", {}, content_type="application/json")
    assert response.status_code == 404
    assert AuditLog.objects.filter(actor=user, result=AuditLog.Result.DENIED).exists()


def test_list_page_is_404_for_handling_units_and_deputies(client, flow):
    for user in (flow.unit_user, flow.deputy_user):
        client.force_login(user)
        assert client.get(reverse("proposals:supervision_list")).status_code == 404


# ---------------------------------------------------------------- pages


def test_staff_creates_an_item_on_the_page_and_sees_it(client, flow, committee):
    proposal = flow.assigned(title="关于公路联通的建议")
    flow.submitted(title="尚未立案的建议")
    client.force_login(flow.staff)
    page = client.get(reverse("proposals:supervision_new"))
    assert page.status_code == 200
    assert "关于公路联通的建议" in page.content.decode() and "尚未立案的建议" not in page.content.decode()
    response = client.post(
        reverse("proposals:supervision_new"),
        {"committee": committee.pk, "title": "公路联通联合督办", "focus": "", "proposals": [proposal.pk]},
    )
    supervision = JointSupervision.objects.get()
    assert response.status_code == 302 and response["Location"] == supervision.get_absolute_url()
    detail = client.get(response["Location"]).content.decode()
    assert "公路联通联合督办" in detail and "关于公路联通的建议" in detail and "联合督办已创建。" in detail


def test_the_page_shows_the_service_message_when_nothing_is_picked(client, flow, committee):
    client.force_login(flow.staff)
    response = client.post(
        reverse("proposals:supervision_new"), {"committee": committee.pk, "title": "督办", "proposals": []}
    )
    assert response.status_code == 200 and "请至少选择一件建议。" in response.content.decode()


def test_staff_add_proposals_to_an_open_item_once_each_with_timeline_and_audit(supervision, flow):
    third = flow.assigned(title="关于增设充电桩的建议")
    already = supervision.proposals.get(title="关于城市公园建设的建议")
    added = services.joint_supervision_add_proposals(
        actor=flow.staff, supervision=supervision, proposals=[third, already]
    )
    assert added == [third]
    assert supervision.proposals.count() == 3
    row = ProposalStatusChange.objects.filter(proposal=third).order_by("-id").first()
    assert row.note == "列入联合督办：株洲市人大常委会城建环资工作委员会《城市公园建设和停车收费联合督办》"
    log = AuditLog.objects.get(action="proposal.joint_supervision_add")
    assert (log.object_id, log.data) == (str(supervision.pk), {"proposals": [third.pk]})
    # sent again (a double click, a retry): nothing twice
    again = services.joint_supervision_add_proposals(actor=flow.staff, supervision=supervision, proposals=[third])
    assert again == [] and supervision.proposals.count() == 3
    assert AuditLog.objects.filter(action="proposal.joint_supervision_add").count() == 1
    assert ProposalStatusChange.objects.filter(proposal=third, note__startswith="列入联合督办").count() == 1


def test_adding_is_refused_for_a_closed_item_the_committee_a_draft_and_other_regions(
    supervision, flow, committee_user, staff_hy
):
    draft = flow.submitted(title="尚未立案的建议")
    with pytest.raises(ApplicationError) as exc:
        services.joint_supervision_add_proposals(actor=flow.staff, supervision=supervision, proposals=[draft])
    assert (exc.value.code, exc.value.status_code) == ("proposal_not_supervisable", 409)
    third = flow.assigned(title="关于增设充电桩的建议")
    with pytest.raises(PermissionDenied) as exc:
        services.joint_supervision_add_proposals(actor=committee_user, supervision=supervision, proposals=[third])
    assert exc.value.code == "staff_only"
    with pytest.raises(PermissionDenied) as exc:
        services.joint_supervision_add_proposals(actor=staff_hy, supervision=supervision, proposals=[third])
    assert exc.value.code == "out_of_scope"
    services.joint_supervision_close(actor=flow.staff, supervision=supervision, conclusion="基本完成")
    with pytest.raises(ApplicationError) as exc:
        services.joint_supervision_add_proposals(actor=flow.staff, supervision=supervision, proposals=[third])
    assert (exc.value.code, exc.value.message) == ("supervision_closed", "联合督办已结束，不能再添加建议。")
    assert supervision.proposals.count() == 2


def test_staff_add_a_proposal_on_the_page_and_others_get_404(client, supervision, flow, committee_user):
    third = flow.assigned(title="关于增设充电桩的建议")
    url = reverse("proposals:supervision_add", args=[supervision.pk])
    client.force_login(flow.staff)
    detail = client.get(supervision.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail
    page = client.get(url).content.decode()
    assert "关于增设充电桩的建议" in page
    assert "关于城市公园建设的建议" not in page  # already followed: not offered again
    response = client.post(url, {"proposals": [third.pk]})
    assert response.status_code == 302 and response["Location"] == supervision.get_absolute_url()
    after = client.get(response["Location"]).content.decode()
    assert "已添加 1 件建议。" in after and "关于增设充电桩的建议" in after
    assert client.post(url, {"proposals": [999999]}).status_code == 404
    client.force_login(committee_user)
    assert client.get(url).status_code == 404
    assert f'href="{url}"' not in client.get(supervision.get_absolute_url()).content.decode()


def test_committee_user_reads_the_proposals_it_supervises_and_may_act_on_none(
    client, supervision, committee_user, flow
):
    from proposals.models import Contact

    supervised = supervision.proposals.get(title="关于城市公园建设的建议")
    other = flow.assigned(title="不在督办中的建议")
    client.force_login(committee_user)
    page = client.get(supervision.get_absolute_url()).content.decode()
    assert f'href="{supervised.get_absolute_url()}"' in page
    detail = client.get(supervised.get_absolute_url())
    assert detail.status_code == 200 and "关于城市公园建设的建议" in detail.content.decode()
    assert client.get(other.get_absolute_url()).status_code == 404
    assert set(Proposal.objects.visible_to(committee_user)) == set(supervision.proposals.all())
    refused = client.post(
        reverse("proposals:act", args=[supervised.pk, "contact"]),
        {"stage": "before", "way": "phone", "contacted_on": TODAY().isoformat(), "summary": "电话沟通"},
        follow=True,
    )
    assert "该建议未交办给本单位。" in refused.content.decode()
    assert not Contact.objects.filter(recorded_by=committee_user).exists()


def test_api_adds_proposals_and_answers_409_for_a_closed_item(client, supervision, flow):
    third = flow.assigned(title="关于增设充电桩的建议")
    url = f"/api/v1/joint-supervisions/{supervision.pk}/proposals/"
    client.force_login(flow.staff)
    response = client.post(url, {"proposals": [third.pk]}, content_type="application/json")
    assert response.status_code == 200
    assert sorted(p["title"] for p in response.json()["proposals"]) == sorted(
        ["关于增设充电桩的建议", "关于城市公园建设的建议", "关于停车收费的建议"]
    )
    services.joint_supervision_close(actor=flow.staff, supervision=supervision, conclusion="基本完成")
    closed = client.post(url, {"proposals": [third.pk]}, content_type="application/json")
    assert closed.status_code == 409
    assert closed.json()["code"] == "supervision_closed"
    assert client.post(url, {"proposals": "x"}, content_type="application/json").status_code == 400


def test_committee_user_sees_state_and_replies_and_logs_a_visit_on_the_page(client, supervision, committee_user):
    client.force_login(committee_user)
    listing = client.get(reverse("proposals:supervision_list")).content.decode()
    assert "城市公园建设和停车收费联合督办" in listing
    detail = client.get(supervision.get_absolute_url()).content.decode()
    assert "已答复待评价" in detail and "已列入年度计划。" in detail and "B类（正在解决或列入计划）" in detail
    assert "结束联合督办" not in detail  # staff only
    response = client.post(
        reverse("proposals:supervision_visit", args=[supervision.pk]),
        {"visited_on": str(TODAY()), "place": "冷水滩人行天桥", "summary": "察看施工", "findings": "进度滞后"},
    )
    assert response.status_code == 302
    detail = client.get(supervision.get_absolute_url()).content.decode()
    assert "现场督办记录已保存。" in detail and "冷水滩人行天桥" in detail and "进度滞后" in detail


def test_workbench_cards_for_staff_and_the_committee(client, supervision, flow, committee_user):
    from proposals.workbench import cards, nav

    staff_cards = {str(card.title): card.count for card in cards(flow.staff)}
    assert staff_cards["联合督办中"] == 1
    committee_cards = {str(card.title): card.count for card in cards(committee_user)}
    assert committee_cards == {"本委联合督办": 1, "督办建议待答复": 1}
    assert [str(item.label) for item in nav(committee_user)] == ["联合督办"]


def test_ledger_export_has_one_row_per_supervised_proposal(client, supervision, flow):
    visit(flow.staff, supervision)
    client.force_login(flow.staff)
    password_just_entered(client)
    response = client.get(reverse("proposals:supervision_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("督办主题", "牵头专门委员会", "督办状态", "建议编号", "建议标题")
    assert sorted(row[4] for row in rows[1:]) == ["关于停车收费的建议", "关于城市公园建设的建议"]
    parking = next(row for row in rows[1:] if row[4] == "关于停车收费的建议")
    assert (parking[8], parking[10], parking[11], parking[12]) == ("B", "已列入年度计划。", 1, f"{TODAY()} 神农公园")
    assert AuditLog.objects.filter(action="proposal.joint_supervision_export", actor=flow.staff).count() == 1


def test_export_asks_staff_for_their_password_again(client, supervision, flow):
    client.force_login(flow.staff)
    response = client.get(reverse("proposals:supervision_export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))


# ---------------------------------------------------------------- API


def test_api_create_list_detail_visit_and_close(client, flow, committee):
    proposal = flow.assigned()
    client.force_login(flow.staff)
    response = client.post(
        "/api/v1/joint-supervisions/create/",
        {"committee": committee.pk, "title": "森林防火通道联合督办", "proposals": [proposal.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["title"], body["status"], body["committee_name"]) == (
        "森林防火通道联合督办",
        "open",
        "株洲市人大常委会城建环资工作委员会",
    )
    assert [p["id"] for p in body["proposals"]] == [proposal.pk]
    assert {u["unit_name"]: u["role"] for u in body["proposals"][0]["units"]} == {
        "株洲市住房和城乡建设局": "lead",
        "株洲市教育局": "co",
    }
    pk = body["id"]
    response = client.post(
        f"/api/v1/joint-supervisions/{pk}/visits/",
        {"visited_on": str(TODAY()), "place": "林区", "summary": "察看", "follow_ups": "补齐标识"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["follow_ups"] == "补齐标识"
    listing = client.get("/api/v1/joint-supervisions/").json()
    assert [(row["id"], row["proposal_count"], row["visit_count"]) for row in listing["results"]] == [(pk, 1, 1)]
    assert client.get("/api/v1/joint-supervisions/?status=closed").json()["count"] == 0
    response = client.post(
        f"/api/v1/joint-supervisions/{pk}/close/", {"conclusion": "已完成"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["status"]) == (200, "closed")
    response = client.post(
        f"/api/v1/joint-supervisions/{pk}/visits/",
        {"visited_on": str(TODAY()), "place": "林区", "summary": "察看"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"], response.json()["message"]) == (
        409,
        "supervision_closed",
        "联合督办已结束，不能再登记现场督办。",
    )


def test_api_create_is_for_staff_and_errors_have_the_one_shape(client, flow, committee, committee_user):
    proposal = flow.assigned()
    client.force_login(committee_user)
    response = client.post(
        "/api/v1/joint-supervisions/create/",
        {"committee": committee.pk, "title": "x", "proposals": [proposal.pk]},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["message"]) == (403, "仅限人大联络工作人员。")
    client.force_login(flow.staff)
    response = client.post(
        "/api/v1/joint-supervisions/create/",
        {"committee": committee.pk, "title": "x", "proposals": []},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"code": "proposals_required", "message": "请至少选择一件建议。", "fields": {}},
    )


# ---------------------------------------------------------------- query counts


def _many(flow, committee, rows):
    """Bulk rows (the workflow is driven through the services above): ``rows`` proposals, five per item, one
    visit per item."""
    proposals = assigned_batch(
        rows, congress=flow.congress, deputy=flow.deputy_user.deputy, unit=flow.unit_user.organization
    )
    items = JointSupervision.objects.bulk_create(
        JointSupervision(committee=committee, title=f"联合督办{start}", created_by=flow.staff)
        for start in range(0, rows, 5)
    )
    through = JointSupervision.proposals.through
    through.objects.bulk_create(
        through(jointsupervision_id=item.pk, proposal_id=proposal.pk)
        for index, item in enumerate(items)
        for proposal in proposals[5 * index : 5 * index + 5]
    )
    SiteVisit.objects.bulk_create(
        SiteVisit(supervision=item, visited_on=TODAY(), place="现场", summary="察看", recorded_by=flow.staff)
        for item in items
    )
    return items


@pytest.mark.parametrize("rows", [5, 200])
def test_pages_and_api_run_a_constant_number_of_queries(
    client, flow, committee, committee_user, rows, django_assert_max_num_queries
):
    items = _many(flow, committee, rows)
    big = JointSupervision.objects.get(pk=items[0].pk)
    if rows == 200:  # one item following all 200
        big.proposals.set(Proposal.objects.all())
    for user in (flow.staff, committee_user):
        client.force_login(user)
        password_just_entered(client)
        for url in (
            reverse("proposals:supervision_list"),
            big.get_absolute_url(),
            "/api/v1/joint-supervisions/",
            f"/api/v1/joint-supervisions/{big.pk}/",
            reverse("proposals:supervision_export"),
        ):
            with django_assert_max_num_queries(20):
                response = client.get(url)
            assert response.status_code == 200, url


@pytest.mark.parametrize("rows", [5, 200])
def test_home_page_cards_run_a_constant_number_of_queries(
    client, flow, committee, committee_user, rows, django_assert_max_num_queries
):
    _many(flow, committee, rows)
    for user in (flow.staff, committee_user):
        client.force_login(user)
        with django_assert_max_num_queries(40):
            assert client.get(reverse("home")).status_code == 200
