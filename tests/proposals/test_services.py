"""Every workflow step of a proposal and every refusal, with the exact error code and Chinese message."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deputies.models import DutyKind, DutyRecord
from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.models import AuditLog
from proposals import services
from proposals.models import (
    Assignment,
    AssignmentMeeting,
    Attachment,
    Contact,
    CoSigner,
    Proposal,
    ProposalStatusChange,
    Reply,
)
from tests.proposals.conftest import reload

pytestmark = pytest.mark.django_db
S = Proposal.Status
TODAY = timezone.localdate


def statuses(proposal):
    return list(ProposalStatusChange.objects.filter(proposal=proposal).values_list("from_status", "to_status"))


# ---------------------------------------------------------------- 提


def test_draft_is_created_for_the_lead_deputy_with_a_status_row(flow):
    proposal = flow.draft()
    assert proposal.status == S.DRAFT
    assert proposal.region == flow.congress.region
    assert statuses(proposal) == [("", "draft")]


def test_deputy_cannot_draft_in_another_deputys_name(flow, other_deputy_user):
    with pytest.raises(PermissionDenied) as exc:
        services.proposal_create_draft(
            actor=other_deputy_user, lead_deputy=flow.deputy_user.deputy, congress=flow.congress, title="t", content="c"
        )
    assert exc.value.code == "not_own_draft"
    assert exc.value.message == "代表只能以本人名义起草建议。"


def test_draft_needs_a_seat_in_the_congress(flow, regions):
    from tests.factories import CongressFactory

    other = CongressFactory(region=regions["hengyang"])
    with pytest.raises(ApplicationError) as exc:
        services.proposal_create_draft(
            actor=flow.staff, lead_deputy=flow.deputy_user.deputy, congress=other, title="t", content="c"
        )
    assert exc.value.code == "lead_not_member"
    assert exc.value.message == "领衔代表不是该届人民代表大会的在任代表。"


def test_station_manager_drafts_from_a_citizen_opinion(flow, regions):
    from liaison.models import User
    from proposals import selectors
    from tests.factories import UserFactory

    manager = UserFactory(role=User.Role.STATION_MANAGER, region=regions["tianyuan"])
    proposal = services.proposal_create_draft(
        actor=manager,
        lead_deputy=flow.deputy_user.deputy,
        congress=flow.congress,
        title="群众反映路灯不亮",
        content="嵩山路多处路灯损坏。",
        origin=Proposal.Origin.OPINION,
        origin_reference="opinion:ZZ-0001",
    )
    assert list(selectors.deputy_drafts(user=flow.deputy_user)) == [proposal]
    assert proposal.origin_reference == "opinion:ZZ-0001"


def test_submit_adds_one_duty_record_even_after_revision(flow):
    proposal = flow.submitted()
    assert proposal.status == S.SUBMITTED and proposal.number.startswith("430200-")
    services.proposal_send_back(actor=flow.staff, proposal=proposal, comment="请补充具体地点")
    services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    records = DutyRecord.objects.filter(source_key=f"proposal:{proposal.pk}")
    assert records.count() == 1
    assert records.get().kind == DutyKind.PROPOSAL
    assert statuses(proposal) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "revision"),
        ("revision", "submitted"),
    ]


def test_only_the_lead_deputy_submits(flow, other_deputy_user):
    proposal = flow.draft()
    with pytest.raises(PermissionDenied) as exc:
        services.proposal_submit(actor=other_deputy_user, proposal=proposal)
    assert exc.value.code == "not_lead_deputy"
    assert exc.value.message == "只有领衔代表可以进行此操作。"


def test_submitting_twice_is_an_invalid_transition(flow):
    proposal = flow.submitted()
    with pytest.raises(InvalidTransition) as exc:
        services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    assert exc.value.code == "invalid_transition"
    assert exc.value.message == "当前状态“待审核”不能转为“待审核”。"
    assert exc.value.status_code == 409


def test_draft_edit_only_while_draft_or_revision(flow):
    proposal = flow.draft()
    services.proposal_update_draft(actor=flow.deputy_user, proposal=proposal, title="新标题", content="新内容")
    assert reload(proposal).title == "新标题"
    services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    with pytest.raises(ApplicationError) as exc:
        services.proposal_update_draft(actor=flow.deputy_user, proposal=proposal, title="x", content="y")
    assert (exc.value.code, exc.value.message) == ("not_editable", "只有草稿或退回修改的建议可以编辑。")


def test_withdraw_keeps_the_row(flow):
    proposal = services.proposal_withdraw(actor=flow.deputy_user, proposal=flow.submitted(), reason="重复")
    assert reload(proposal).status == S.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.proposal_submit(actor=flow.deputy_user, proposal=proposal)


def test_cosigner_added_confirms_and_sees_the_draft(flow, other_deputy_user):
    proposal = flow.draft()
    services.cosigner_add(actor=flow.deputy_user, proposal=proposal, deputy=other_deputy_user.deputy)
    assert Proposal.objects.visible_to(other_deputy_user).filter(pk=proposal.pk).exists()
    cosigner = services.cosigner_confirm(actor=other_deputy_user, proposal=proposal)
    assert cosigner.confirmed_at is not None


def test_cosigner_refusals(flow, other_deputy_user):
    proposal = flow.draft()
    with pytest.raises(ApplicationError) as exc:
        services.cosigner_add(actor=flow.deputy_user, proposal=proposal, deputy=flow.deputy_user.deputy)
    assert (exc.value.code, exc.value.message) == ("cosigner_is_lead", "领衔代表不能同时作为附议代表。")
    services.cosigner_add(actor=flow.deputy_user, proposal=proposal, deputy=other_deputy_user.deputy)
    with pytest.raises(ApplicationError) as exc:
        services.cosigner_add(actor=flow.deputy_user, proposal=proposal, deputy=other_deputy_user.deputy)
    assert (exc.value.code, exc.value.message) == ("cosigner_exists", "该代表已在附议名单中。")
    with pytest.raises(PermissionDenied) as exc:
        services.cosigner_confirm(actor=flow.deputy_user, proposal=proposal)
    assert (exc.value.code, exc.value.message) == ("not_cosigner", "您不在该建议的附议名单中。")
    services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    with pytest.raises(ApplicationError) as exc:
        services.cosigner_add(actor=flow.deputy_user, proposal=proposal, deputy=other_deputy_user.deputy)
    assert (exc.value.code, exc.value.message) == ("cosigners_locked", "提交后不能再增加附议代表。")


def test_attachment_size_and_type_are_checked(flow, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = flow.draft()
    ok = services.attachment_add(
        actor=flow.deputy_user,
        proposal=proposal,
        uploaded_file=SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff\xe0" + b"x" * 96),
    )
    assert (ok.name, ok.size) == ("现场照片.jpg", 100)
    with pytest.raises(ApplicationError) as exc:
        services.attachment_add(
            actor=flow.deputy_user, proposal=proposal, uploaded_file=SimpleUploadedFile("run.exe", b"MZ")
        )
    assert (exc.value.code, exc.value.message) == (
        "upload_type_not_allowed",
        "“run.exe”的文件类型不允许，只能上传 PDF、Word、Excel、WPS、JPG、PNG、文本 文件。",
    )
    big = SimpleUploadedFile("big.pdf", b"x")
    big.size = services.MAX_ATTACHMENT_BYTES + 1
    with pytest.raises(ApplicationError) as exc:
        services.attachment_add(actor=flow.deputy_user, proposal=proposal, uploaded_file=big)
    assert (exc.value.code, exc.value.message) == ("attachment_too_large", "附件不能超过 10 MB。")
    assert Attachment.objects.count() == 1


# ---------------------------------------------------------------- 审


def test_accept_records_time_and_row(flow):
    proposal = flow.accepted()
    assert proposal.status == S.ACCEPTED and proposal.accepted_at is not None
    assert AuditLog.objects.filter(action="proposal.accepted", object_id=str(proposal.pk)).exists()


def test_staff_of_another_city_cannot_review(flow, staff_hy):
    proposal = flow.submitted()
    with pytest.raises(PermissionDenied) as exc:
        services.proposal_accept(actor=staff_hy, proposal=proposal)
    assert (exc.value.code, exc.value.message) == ("out_of_scope", "该建议不在您的管辖范围内。")


def test_deputy_cannot_accept(flow):
    with pytest.raises(PermissionDenied) as exc:
        services.proposal_accept(actor=flow.deputy_user, proposal=flow.submitted())
    assert (exc.value.code, exc.value.message) == ("staff_only", "仅限人大联络工作人员操作。")


def test_merge_points_to_survivor_and_keeps_all_deputies(flow, other_deputy_user):
    survivor = flow.accepted()
    other = services.proposal_create_draft(
        actor=other_deputy_user,
        lead_deputy=other_deputy_user.deputy,
        congress=flow.congress,
        title="同题",
        content="同题",
    )
    services.proposal_submit(actor=other_deputy_user, proposal=other)
    merged = services.proposal_merge(actor=flow.staff, proposal=other, into=survivor)
    assert merged.status == S.MERGED and merged.merged_into_id == survivor.pk
    assert list(CoSigner.objects.filter(proposal=survivor).values_list("deputy__name", "via_merge")) == [
        ("李秀英", True)
    ]
    # the merged proposal's deputy now follows the survivor
    assert Proposal.objects.visible_to(other_deputy_user).filter(pk=survivor.pk).exists()


def test_merge_refusals(flow):
    proposal = flow.submitted()
    with pytest.raises(ApplicationError) as exc:
        services.proposal_merge(actor=flow.staff, proposal=proposal, into=proposal)
    assert (exc.value.code, exc.value.message) == ("merge_into_self", "不能与自身并案。")
    target = flow.draft(title="另一件")
    with pytest.raises(ApplicationError) as exc:
        services.proposal_merge(actor=flow.staff, proposal=proposal, into=target)
    assert (exc.value.code, exc.value.message) == ("merge_target_invalid", "只能并入待审核或已立案的建议。")


def test_send_back_transfer_and_return_need_a_text(flow):
    cases = [
        (services.proposal_send_back, {"comment": " "}, "comment_required", "请填写修改意见。"),
        (services.proposal_transfer, {"target": ""}, "target_required", "请填写转交的机关或层级。"),
        (services.proposal_return, {"reason": ""}, "reason_required", "请填写退回理由。"),
    ]
    proposal = flow.submitted()
    for service, kwargs, code, message in cases:
        with pytest.raises(ApplicationError) as exc:
            service(actor=flow.staff, proposal=proposal, **kwargs)
        assert (exc.value.code, exc.value.message) == (code, message)


def test_send_back_transfer_return(flow):
    a = services.proposal_send_back(actor=flow.staff, proposal=flow.submitted(), comment="请补充数据")
    b = services.proposal_transfer(actor=flow.staff, proposal=flow.submitted(), target="天元区人大常委会")
    c = services.proposal_return(actor=flow.staff, proposal=flow.submitted(), reason="属于个人诉求")
    assert (a.status, a.review_note) == (S.REVISION, "请补充数据")
    assert (b.status, b.transfer_target) == (S.TRANSFERRED, "天元区人大常委会")
    assert (c.status, c.review_note) == (S.RETURNED, "属于个人诉求")
    with pytest.raises(InvalidTransition) as exc:
        services.proposal_accept(actor=flow.staff, proposal=c)
    assert exc.value.message == "当前状态“不予立案”不能转为“已立案待交办”。"


# ---------------------------------------------------------------- 交


def test_assign_sets_lead_co_units_and_three_month_deadline(flow):
    proposal = flow.assigned()
    lead = Assignment.objects.get(proposal=proposal, role="lead")
    co = Assignment.objects.get(proposal=proposal, role="co")
    assert lead.unit == flow.unit_user.organization and co.unit == flow.co_unit_user.organization
    assert lead.deadline == services.statutory_deadline(TODAY())
    assert proposal.status == S.ASSIGNED


def test_assign_refuses_unaccepted_and_foreign_units(flow, unit_hy):
    with pytest.raises(InvalidTransition) as exc:
        services.proposal_assign(actor=flow.staff, proposal=flow.submitted(), lead_unit=flow.unit_user.organization)
    assert exc.value.message == "当前状态“待审核”不能转为“办理中”。"
    with pytest.raises(ApplicationError) as exc:
        services.proposal_assign(actor=flow.staff, proposal=flow.accepted(), lead_unit=unit_hy.organization)
    assert (exc.value.code, exc.value.message) == (
        "unit_out_of_scope",
        "“衡阳市住房和城乡建设局”不是本区域的承办单位。",
    )


def test_batch_assignment_in_a_meeting(flow):
    meeting = services.assignment_meeting_create(
        actor=flow.staff, region=flow.congress.region, title="2024年代表建议交办会", held_on=TODAY()
    )
    first, second = flow.accepted(), flow.accepted(title="关于学校周边交通的建议")
    services.proposals_assign_batch(
        actor=flow.staff,
        meeting=meeting,
        items=[
            (first, flow.unit_user.organization, []),
            (second, flow.co_unit_user.organization, [flow.unit_user.organization]),
        ],
    )
    assert Assignment.objects.filter(meeting=meeting).count() == 3
    assert set(Proposal.objects.values_list("status", flat=True)) == {S.ASSIGNED}


def test_batch_assignment_is_all_or_nothing(flow):
    meeting = services.assignment_meeting_create(
        actor=flow.staff, region=flow.congress.region, title="交办会", held_on=TODAY()
    )
    good, bad = flow.accepted(), flow.submitted()
    with pytest.raises(InvalidTransition):
        services.proposals_assign_batch(
            actor=flow.staff,
            meeting=meeting,
            items=[(good, flow.unit_user.organization, []), (bad, flow.unit_user.organization, [])],
        )
    assert reload(good).status == S.ACCEPTED
    assert not Assignment.objects.exists()


def test_a_meeting_whose_batch_fails_is_not_left_behind(flow):
    good, bad = flow.accepted(), flow.submitted()
    with pytest.raises(InvalidTransition):
        services.assignment_meeting_hold(
            actor=flow.staff,
            region=flow.congress.region,
            title="交办会",
            held_on=TODAY(),
            items=[(good, flow.unit_user.organization, []), (bad, flow.unit_user.organization, [])],
        )
    assert not AssignmentMeeting.objects.exists()
    assert reload(good).status == S.ACCEPTED and not Assignment.objects.exists()
    meeting, done = services.assignment_meeting_hold(
        actor=flow.staff,
        region=flow.congress.region,
        title="交办会",
        held_on=TODAY(),
        items=[(good, flow.unit_user.organization, [])],
    )
    assert [p.pk for p in done] == [good.pk] and Assignment.objects.get().meeting == meeting


def test_extension_up_to_six_months_with_reason(flow):
    proposal = flow.assigned()
    limit = services.add_months(TODAY(), 6)
    with pytest.raises(ApplicationError) as exc:
        services.assignment_extend_deadline(actor=flow.staff, proposal=proposal, deadline=limit, reason="")
    assert (exc.value.code, exc.value.message) == ("reason_required", "请填写延期理由。")
    with pytest.raises(ApplicationError) as exc:
        services.assignment_extend_deadline(
            actor=flow.staff, proposal=proposal, deadline=limit + datetime.timedelta(days=1), reason="情况复杂"
        )
    assert (exc.value.code, exc.value.message) == ("deadline_over_six_months", "答复期限最长为交办后六个月。")
    with pytest.raises(ApplicationError) as exc:
        services.assignment_extend_deadline(actor=flow.staff, proposal=proposal, deadline=TODAY(), reason="情况复杂")
    assert (exc.value.code, exc.value.message) == ("deadline_not_later", "新的答复期限须晚于原期限。")
    services.assignment_extend_deadline(actor=flow.staff, proposal=proposal, deadline=limit, reason="涉及多部门")
    assert set(Assignment.objects.values_list("deadline", "extension_reason")) == {(limit, "涉及多部门")}


def test_key_supervision_with_leaders(flow):
    proposal = services.proposal_mark_key_supervision(
        actor=flow.staff, proposal=flow.assigned(), leaders="主任会议成员 王某；副市长 李某"
    )
    assert proposal.is_key_supervised
    with pytest.raises(ApplicationError) as exc:
        services.proposal_mark_key_supervision(actor=flow.staff, proposal=flow.submitted(), leaders="王某")
    assert (exc.value.code, exc.value.message) == ("not_accepted", "只有已立案的建议可以列为重点督办。")


# ---------------------------------------------------------------- 办


def test_reply_requires_the_before_contact(flow):
    proposal = flow.assigned()
    with pytest.raises(ApplicationError) as exc:
        services.proposal_reply(actor=flow.unit_user, proposal=proposal, reply_class="A", text="已解决")
    assert (exc.value.code, exc.value.message) == ("before_contact_missing", "答复前须先与代表进行办前沟通并登记。")


def test_b_reply_needs_a_promised_date(flow):
    proposal = flow.contacted()
    with pytest.raises(ApplicationError) as exc:
        services.proposal_reply(actor=flow.unit_user, proposal=proposal, reply_class="B", text="列入计划")
    assert (exc.value.code, exc.value.message) == ("promise_required", "B类答复须填写承诺解决日期。")
    proposal = flow.replied(reply_class="B", proposal=proposal)
    assert (proposal.status, proposal.reply_class) == (S.REPLIED, "B")
    assert Reply.objects.get(proposal=proposal).on_time is True


def test_only_the_lead_unit_replies_and_only_assigned_units_act(flow, unit_hy):
    proposal = flow.contacted()
    with pytest.raises(PermissionDenied) as exc:
        services.proposal_reply(actor=flow.co_unit_user, proposal=proposal, reply_class="A", text="x")
    assert (exc.value.code, exc.value.message) == ("not_lead_unit", "只有主办单位可以答复。")
    with pytest.raises(PermissionDenied) as exc:
        services.proposal_reply(actor=unit_hy, proposal=proposal, reply_class="A", text="x")
    assert (exc.value.code, exc.value.message) == ("not_assigned", "该建议未交办给本单位。")


def test_co_unit_sends_opinion_to_lead(flow):
    proposal = flow.assigned()
    assignment = services.co_unit_send_opinion(
        actor=flow.co_unit_user, proposal=proposal, opinion="同意列入学校改造计划"
    )
    assert assignment.completed_at is not None
    with pytest.raises(PermissionDenied) as exc:
        services.co_unit_send_opinion(actor=flow.unit_user, proposal=proposal, opinion="x")
    assert (exc.value.code, exc.value.message) == ("not_co_unit", "只有协办单位可以提出协办意见。")


def test_contact_refused_outside_handling(flow):
    proposal = flow.accepted()
    with pytest.raises(PermissionDenied) as exc:
        services.contact_record(
            actor=flow.unit_user, proposal=proposal, stage="before", way="phone", contacted_on=TODAY(), summary="x"
        )
    assert exc.value.code == "not_assigned"


# ---------------------------------------------------------------- 督


def test_unsatisfied_sends_back_for_rehandling_and_counts(flow):
    proposal = flow.rated(rating="unsatisfied", reply_class="B")
    assert (proposal.status, proposal.rehandle_count) == (S.REHANDLING, 1)
    assert Assignment.objects.filter(proposal=proposal, completed_at__isnull=True).count() == 2
    proposal = flow.replied(reply_class="A", proposal=proposal)
    assert Reply.objects.filter(proposal=proposal).count() == 2
    proposal = services.proposal_rate(actor=flow.deputy_user, proposal=proposal, rating="satisfied")
    assert proposal.status == S.SATISFIED
    flow.contact(proposal, Contact.Stage.AFTER)
    proposal = services.proposal_close(actor=flow.staff, proposal=proposal)
    assert proposal.status == S.CLOSED and proposal.closed_at is not None


def test_unsatisfied_needs_a_reason(flow):
    proposal = flow.replied()
    with pytest.raises(ApplicationError) as exc:
        services.proposal_rate(actor=flow.deputy_user, proposal=proposal, rating="unsatisfied", comment="")
    assert (exc.value.code, exc.value.message) == ("comment_required", "评价不满意时请写明理由。")


def test_only_the_lead_deputy_rates_unless_setting_allows_cosigners(flow, other_deputy_user, settings):
    draft = flow.draft()
    services.cosigner_add(actor=flow.deputy_user, proposal=draft, deputy=other_deputy_user.deputy)
    services.cosigner_confirm(actor=other_deputy_user, proposal=draft)
    services.proposal_submit(actor=flow.deputy_user, proposal=draft)
    services.proposal_accept(actor=flow.staff, proposal=draft)
    services.proposal_assign(actor=flow.staff, proposal=draft, lead_unit=flow.unit_user.organization)
    proposal = flow.replied(proposal=flow.contacted(proposal=draft))
    settings.PROPOSALS_COSIGNERS_MAY_RATE = False
    with pytest.raises(PermissionDenied) as exc:
        services.proposal_rate(actor=other_deputy_user, proposal=proposal, rating="satisfied")
    assert (exc.value.code, exc.value.message) == ("not_allowed_to_rate", "只有领衔代表可以评价答复。")
    with pytest.raises(PermissionDenied):
        services.proposal_rate(actor=flow.staff, proposal=proposal, rating="satisfied")
    settings.PROPOSALS_COSIGNERS_MAY_RATE = True
    assert services.proposal_rate(actor=other_deputy_user, proposal=proposal, rating="basic").status == S.SATISFIED


def test_rating_without_a_reply_is_refused(flow):
    with pytest.raises(InvalidTransition) as exc:
        services.proposal_rate(actor=flow.deputy_user, proposal=flow.assigned(), rating="satisfied")
    assert (exc.value.code, exc.value.message) == ("no_reply_to_rate", "当前没有待评价的答复。")


def test_b_class_goes_on_ledger_until_promise_met(flow):
    proposal = flow.rated(rating="basic", reply_class="B")
    assert proposal.status == S.TRACKING
    with pytest.raises(InvalidTransition) as exc:
        services.proposal_close(actor=flow.staff, proposal=proposal)
    assert exc.value.message == "当前状态“跟踪督办”不能转为“已办结”。"
    proposal = services.proposal_report_promise_met(actor=flow.unit_user, proposal=proposal, note="人行天桥已建成")
    assert (proposal.status, proposal.reply_class) == (S.SATISFIED, "A")


def test_promise_met_only_from_tracking(flow):
    with pytest.raises(InvalidTransition) as exc:
        services.proposal_report_promise_met(actor=flow.unit_user, proposal=flow.replied(), note="x")
    assert (exc.value.code, exc.value.message) == ("not_tracking", "只有跟踪督办中的B类建议可以报告承诺落实。")


def test_staff_close_b_ledger_then_close(flow):
    proposal = services.proposal_staff_close(
        actor=flow.staff, proposal=flow.rated(reply_class="B"), reason="上级政策调整"
    )
    assert proposal.status == S.STAFF_CLOSED
    flow.contact(proposal, Contact.Stage.AFTER)
    assert services.proposal_close(actor=flow.staff, proposal=proposal).status == S.CLOSED


def test_closed_proposal_is_read_only(flow, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    proposal = flow.closed()
    for call in (
        lambda: services.contact_record(
            actor=flow.unit_user, proposal=proposal, stage="after", way="phone", contacted_on=TODAY(), summary="x"
        ),
        lambda: services.proposal_reply(actor=flow.unit_user, proposal=proposal, reply_class="A", text="x"),
        lambda: services.proposal_rate(actor=flow.deputy_user, proposal=proposal, rating="satisfied"),
        lambda: services.proposal_mark_key_supervision(actor=flow.staff, proposal=proposal, leaders="王某"),
        lambda: services.attachment_add(
            actor=flow.unit_user, proposal=proposal, uploaded_file=SimpleUploadedFile("a.pdf", b"x"), purpose="reply"
        ),
    ):
        with pytest.raises(ApplicationError) as exc:
            call()
        assert (exc.value.code, exc.value.message) == ("proposal_closed", "建议已办结，不能再修改。")
    with pytest.raises(InvalidTransition):
        services.proposal_close(actor=flow.staff, proposal=proposal)


def test_joint_supervision_with_site_visits(flow, committee):
    proposal = flow.assigned()
    supervision = services.joint_supervision_create(
        actor=flow.staff, committee=committee, title="城市公园建设联合督办", proposals=[proposal]
    )
    visit = services.site_visit_record(
        actor=flow.staff, supervision=supervision, visited_on=TODAY(), place="神农公园", summary="察看改造进度"
    )
    assert list(supervision.proposals.all()) == [proposal] and visit.place == "神农公园"
    with pytest.raises(ApplicationError) as exc:
        services.joint_supervision_create(
            actor=flow.staff, committee=flow.unit_user.organization, title="x", proposals=[proposal]
        )
    assert (exc.value.code, exc.value.message) == ("not_special_committee", "联合督办须由专门委员会牵头。")


def test_every_step_writes_a_status_row_with_actor(flow):
    proposal = flow.closed()
    rows = list(ProposalStatusChange.objects.filter(proposal=proposal).values_list("to_status", "actor__username"))
    assert rows == [
        ("draft", "deputy_zz"),
        ("submitted", "deputy_zz"),
        ("accepted", "staff_zz"),
        ("assigned", "staff_zz"),
        ("replied", "unit_zz"),
        ("satisfied", "deputy_zz"),
        ("closed", "staff_zz"),
    ]
    assert Contact.objects.filter(assignment__proposal=proposal).count() == 3  # 办前、办中、办后


def test_transition_table_has_no_exit_from_final_states():
    from proposals.models import TRANSITIONS

    for final in (S.MERGED, S.TRANSFERRED, S.RETURNED, S.WITHDRAWN, S.CLOSED):
        assert final not in TRANSITIONS
    assert S.CLOSED in TRANSITIONS[S.SATISFIED] and S.CLOSED in TRANSITIONS[S.STAFF_CLOSED]


# ---------------------------------------------------------------- holiday schedules and the statutory deadline


@pytest.mark.parametrize(
    ("entered", "assigned_on", "deadline"),
    [
        ("", datetime.date(2026, 10, 1), datetime.date(2027, 1, 1)),  # nothing entered: Friday counts
        ("2027-01-01至2027-01-03 元旦", datetime.date(2026, 10, 1), datetime.date(2027, 1, 4)),
        ("", datetime.date(2026, 11, 6), datetime.date(2027, 2, 8)),  # a Saturday: the Monday after
        ("2027-02-06 上班 春节调休", datetime.date(2026, 11, 6), datetime.date(2027, 2, 6)),
    ],
)
def test_statutory_deadline_follows_the_entered_holiday_schedule(flow, entered, assigned_on, deadline):
    from liaison import holidays

    holidays.forget_year(2027)
    if entered:
        holidays.holiday_schedule_enter(actor=flow.staff, year=2027, text=entered)
    try:
        proposal = services.proposal_assign(
            actor=flow.staff,
            proposal=flow.accepted(),
            lead_unit=flow.unit_user.organization,
            assigned_on=assigned_on,
        )
        assert Assignment.objects.get(proposal=proposal, role="lead").deadline == deadline
    finally:
        holidays.forget_year(2027)
