"""Demo proposals in 株洲: several states, assigned to 株洲市住房和城乡建设局 and 教育局; 张建国 leads some."""

import datetime

from django.utils import timezone

from deputies.models import Congress, Deputy
from liaison.models import Organization, User
from proposals import services
from proposals.models import Contact, Proposal

# title, content, lead deputy code, target state, lead unit, reply class
PROPOSALS = [
    (
        "关于加快嵩山路老旧小区改造的建议",
        "嵩山路街道多个小区建于上世纪九十年代，建议加快改造、增设电梯和停车位。",
        "ZZ16-001",
        "closed",
        "株洲市住房和城乡建设局",
        "A",
    ),
    (
        "关于增加城区中小学学位供给的建议",
        "天元区学位紧张，建议新建、扩建中小学。",
        "ZZ16-001",
        "tracking",
        "株洲市教育局",
        "B",
    ),
    (
        "关于规范住宅小区物业管理的建议",
        "部分小区物业服务不到位，建议加强监管。",
        "ZZ16-001",
        "replied",
        "株洲市住房和城乡建设局",
        "B",
    ),
    (
        "关于完善校园周边交通安全设施的建议",
        "建议在学校周边增设减速带和护学岗。",
        "ZZ16-002",
        "assigned",
        "株洲市教育局",
        "",
    ),
    (
        "关于推进城镇燃气管道更新改造的建议",
        "老旧燃气管道存在隐患，建议加快更新。",
        "ZZ16-003",
        "rehandling",
        "株洲市住房和城乡建设局",
        "C",
    ),
    ("关于加强农村学校教师队伍建设的建议", "建议提高乡村教师待遇。", "ZZ16-001", "accepted", "", ""),
    ("关于加快推进老旧小区改造工作的建议", "建议加快老旧小区改造进度，增设电梯。", "ZZ16-004", "submitted", "", ""),
    ("关于建设社区嵌入式养老服务设施的建议", "（草稿）建议在社区配建养老服务设施。", "ZZ16-001", "draft", "", ""),
]

ORDER = ["draft", "submitted", "accepted", "assigned", "replied", "rehandling", "tracking", "closed"]


def load(stdout):
    congress = Congress.objects.filter(name="株洲市第十六届人民代表大会").first()
    staff = User.objects.filter(username="staff_zz").first()
    if congress is None or staff is None or Proposal.objects.filter(congress=congress).exists():
        stdout.write("proposals: skipped (no 株洲 congress, or already loaded)")
        return
    units = {u.organization.name: u for u in User.objects.filter(role=User.Role.UNIT).select_related("organization")}
    for title, content, code, target, unit_name, reply_class in PROPOSALS:
        deputy = (
            Deputy.objects.filter(code=code, user__isnull=False).first()
            or Deputy.objects.filter(user__username="deputy_zz").first()
        )
        if deputy is None:
            continue
        deputy_user = deputy.user
        proposal = services.proposal_create_draft(
            actor=deputy_user,
            lead_deputy=deputy,
            congress=congress,
            title=title,
            content=content,
            session="第十六届人大四次会议",
        )
        step = ORDER.index(target)
        if step < 1:
            continue
        proposal = services.proposal_submit(actor=deputy_user, proposal=proposal)
        if step < 2:
            continue
        proposal = services.proposal_accept(actor=staff, proposal=proposal)
        if step < 3:
            continue
        unit = units.get(unit_name)
        co = Organization.objects.filter(
            name="株洲市教育局" if unit_name != "株洲市教育局" else "株洲市住房和城乡建设局"
        )
        proposal = services.proposal_assign(
            actor=staff,
            proposal=proposal,
            lead_unit=unit.organization,
            co_units=list(co),
            assigned_on=timezone.localdate() - datetime.timedelta(days=80),
        )
        if target == "assigned":
            continue
        services.contact_record(
            actor=unit,
            proposal=proposal,
            stage=Contact.Stage.BEFORE,
            way=Contact.Way.VISIT,
            contacted_on=timezone.localdate() - datetime.timedelta(days=60),
            summary="登门走访代表，听取意见建议",
        )
        services.contact_record(
            actor=unit,
            proposal=proposal,
            stage=Contact.Stage.DURING,
            way=Contact.Way.SITE,
            contacted_on=timezone.localdate() - datetime.timedelta(days=30),
            summary="邀请代表现场察看办理进展",
        )
        promised = timezone.localdate() + datetime.timedelta(days=180) if reply_class == "B" else None
        proposal = services.proposal_reply(
            actor=unit, proposal=proposal, reply_class=reply_class, text="经研究，答复如下……", promised_on=promised
        )
        if target == "replied":
            continue
        if target == "rehandling":
            services.proposal_rate(actor=deputy_user, proposal=proposal, rating="unsatisfied", comment="答复过于笼统")
            continue
        services.contact_record(
            actor=unit,
            proposal=proposal,
            stage=Contact.Stage.AFTER,
            way=Contact.Way.PHONE,
            contacted_on=timezone.localdate(),
            summary="电话回访代表，听取对答复的意见",
        )
        proposal = services.proposal_rate(actor=deputy_user, proposal=proposal, rating="satisfied")
        if target == "tracking":
            services.proposal_mark_key_supervision(actor=staff, proposal=proposal, leaders="市人大常委会副主任、副市长")
            continue
        services.proposal_close(actor=staff, proposal=proposal)
    stdout.write(f"proposals: {Proposal.objects.filter(congress=congress).count()}")
