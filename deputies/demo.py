"""Demo congresses, deputies, point rules and duty records."""

import datetime

from django.utils import timezone

from deputies.models import (
    Congress,
    Deputy,
    DeputyGroup,
    DutyKind,
    DutyRecord,
    Membership,
    PointRule,
    ProfessionalGroup,
)
from liaison.demo import DEMO_PASSWORD
from liaison.models import Region, User

CONGRESSES = [
    ("430200", 3, 16, "株洲市第十六届人民代表大会"),
    ("430211", 4, 5, "天元区第五届人民代表大会"),
    ("430400", 3, 16, "衡阳市第十六届人民代表大会"),
    ("430903", 4, 4, "赫山区第四届人民代表大会"),
    ("431100", 3, 6, "永州市第六届人民代表大会"),
    ("430181118", 5, 19, "浏阳市永安镇第十九届人民代表大会"),
]

# code, name, gender, party, occupation, workplace, congress names (first = primary), group, mobile
DEPUTIES = [
    (
        "ZZ16-001",
        "张建国",
        "M",
        "中共党员",
        "社区党委书记",
        "天元区嵩山路街道",
        ["株洲市第十六届人民代表大会", "天元区第五届人民代表大会"],
        "天元区代表小组",
        "13900000001",
    ),
    (
        "ZZ16-002",
        "李秀英",
        "F",
        "中共党员",
        "教师",
        "株洲市第二中学",
        ["株洲市第十六届人民代表大会"],
        "天元区代表小组",
        "13900000002",
    ),
    (
        "ZZ16-003",
        "王志强",
        "M",
        "民盟盟员",
        "工程师",
        "中车株洲电力机车有限公司",
        ["株洲市第十六届人民代表大会"],
        "石峰区代表小组",
        "13900000003",
    ),
    (
        "ZZ16-004",
        "刘海燕",
        "F",
        "群众",
        "个体工商户",
        "渌口区渌口镇",
        ["株洲市第十六届人民代表大会"],
        "渌口区代表小组",
        "13900000004",
    ),
    (
        "ZZ16-005",
        "陈卫东",
        "M",
        "中共党员",
        "村党支部书记",
        "渌口区龙船镇",
        ["株洲市第十六届人民代表大会"],
        "渌口区代表小组",
        "13900000005",
    ),
    (
        "HY16-001",
        "周丽华",
        "F",
        "中共党员",
        "医生",
        "衡阳市中心医院",
        ["衡阳市第十六届人民代表大会"],
        "衡南县代表小组",
        "13900000011",
    ),
    (
        "HY16-002",
        "吴国平",
        "M",
        "九三学社社员",
        "企业负责人",
        "衡阳市某农业合作社",
        ["衡阳市第十六届人民代表大会"],
        "祁东县代表小组",
        "13900000012",
    ),
    (
        "HS4-001",
        "黄春梅",
        "F",
        "中共党员",
        "社区主任",
        "赫山街道",
        ["赫山区第四届人民代表大会"],
        "赫山街道代表小组",
        "13900000021",
    ),
    (
        "YZ6-001",
        "蒋文斌",
        "M",
        "中共党员",
        "局长",
        "零陵区",
        ["永州市第六届人民代表大会"],
        "零陵区代表小组",
        "13900000031",
    ),
    (
        "YA19-001",
        "罗志明",
        "M",
        "群众",
        "农民",
        "永安镇",
        ["浏阳市永安镇第十九届人民代表大会"],
        "永安镇第一代表小组",
        "13900000041",
    ),
]

RULES = {
    DutyKind.SESSION: 10,
    DutyKind.STATION_RECEPTION: 5,
    DutyKind.INSPECTION: 4,
    DutyKind.LAW_ENFORCEMENT: 4,
    DutyKind.TRAINING: 3,
    DutyKind.PROPOSAL: 5,
    DutyKind.VOTER_REPORT: 8,
    DutyKind.DUAL_CONTACT: 2,
    DutyKind.GROUP_ACTIVITY: 2,
    DutyKind.VOTE: 3,
    DutyKind.SUPERVISION: 3,
    DutyKind.ABSENCE: -5,
    DutyKind.OTHER: 1,
}


def load(stdout):
    year = timezone.localdate().year
    congresses = {}
    for region_code, level, term, name in CONGRESSES:
        congress, _ = Congress.objects.get_or_create(
            region=Region.objects.get(code=region_code),
            level=level,
            term=term,
            defaults={"name": name, "started_on": datetime.date(2021, 12, 1)},
        )
        congresses[name] = congress
        for kind, points in RULES.items():
            PointRule.objects.get_or_create(
                congress=congress, kind=kind, valid_from=datetime.date(2021, 1, 1), defaults={"points": points}
            )
        for pg in ("财政经济", "教育科学文化卫生", "城建环资", "农业农村"):
            ProfessionalGroup.objects.get_or_create(congress=congress, name=pg)
    for code, name, gender, party, occupation, workplace, congress_names, group, mobile in DEPUTIES:
        deputy, created = Deputy.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "gender": gender,
                "party": party,
                "occupation": occupation,
                "workplace": workplace,
                "mobile": mobile,
            },
        )
        for congress_name in congress_names:
            congress = congresses[congress_name]
            deputy_group, _ = DeputyGroup.objects.get_or_create(congress=congress, name=group)
            membership, _ = Membership.objects.get_or_create(
                deputy=deputy,
                congress=congress,
                defaults={"group": deputy_group, "electoral_unit": group.replace("代表小组", "")},
            )
            if created:
                for i, kind in enumerate(
                    [DutyKind.SESSION, DutyKind.STATION_RECEPTION, DutyKind.INSPECTION, DutyKind.TRAINING]
                ):
                    if (len(code) + i) % 3 == 0 and kind != DutyKind.SESSION:
                        continue
                    DutyRecord.objects.get_or_create(
                        membership=membership,
                        source_key=f"demo:{code}:{kind}",
                        defaults={
                            "kind": kind,
                            "occurred_on": datetime.date(year, 1 + i * 2, 10),
                            "description": f"{DutyKind(kind).label}（演示）",
                        },
                    )
    zz = Deputy.objects.get(code="ZZ16-001")
    if zz.user_id is None:
        user = User.objects.filter(username="deputy_zz").first()
        if user is None:
            user = User(username="deputy_zz", display_name=zz.name, role=User.Role.DEPUTY, mobile=zz.mobile)
            user.set_password(DEMO_PASSWORD)
            user.save()
        zz.user = user
        zz.save(update_fields=["user"])
    for code, username in (("HY16-001", "deputy_hy"), ("YA19-001", "deputy_ya")):
        deputy = Deputy.objects.get(code=code)
        if deputy.user_id is None:
            user = User(username=username, display_name=deputy.name, role=User.Role.DEPUTY, mobile=deputy.mobile)
            user.set_password(DEMO_PASSWORD)
            user.save()
            deputy.user = user
            deputy.save(update_fields=["user"])
    _self_registrations()
    stdout.write(f"deputies: {Deputy.objects.count()}, memberships: {Membership.objects.count()}")


# Duties the demo deputies registered themselves, waiting for staff review (issue 20).
SELF_REGISTRATIONS = [
    ("deputy_zz", DutyKind.INSPECTION, 12, "荷塘社区", "走访荷塘社区独居老人 8 户，收集加装电梯和助餐点意见 5 条。"),
    ("deputy_zz", DutyKind.DUAL_CONTACT, 5, "嵩山路街道", "参加双联活动，联系选民座谈，反映停车难问题。"),
    ("deputy_hy", DutyKind.GROUP_ACTIVITY, 8, "雁峰区代表小组", "参加代表小组活动，视察城区排水管网改造。"),
    ("deputy_ya", DutyKind.VOTER_REPORT, 3, "岳阳楼区选区", "向选区选民报告年度履职情况，答复选民提问 6 个。"),
]


def _self_registrations():
    from deputies.services import duty_record_submit

    today = timezone.localdate()
    for username, kind, days_ago, place, description in SELF_REGISTRATIONS:
        user = User.objects.filter(username=username).first()
        seat = (
            Membership.objects.filter(deputy__user=user, status=Membership.Status.IN_OFFICE).order_by("id").first()
            if user is not None
            else None
        )
        if seat is None or DutyRecord.objects.filter(membership=seat, description=description).exists():
            continue
        duty_record_submit(
            actor=user,
            membership=seat,
            kind=kind,
            occurred_on=today - datetime.timedelta(days=days_ago),
            place=place,
            description=description,
        )
