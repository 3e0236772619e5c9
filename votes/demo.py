"""Demo votes: 浏阳市永安镇 chose 2 of 3 livelihood projects (closed, tallied, published, under supervision, with
last year's projects rated), and an open 天元区 session where deputy_zz can check in and vote.

Everything goes through the services; running it again changes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from deputies.models import Congress, Deputy, Membership
from liaison.models import Organization, Region, User
from votes import services
from votes.models import Candidate, ListItem, Project, SatisfactionRating, VoteSession

SURNAMES = "罗刘陈李张王杨黄周吴徐孙胡朱高林何郭马"
GIVEN = ["建华", "秀兰", "志强", "海燕", "卫东", "丽华", "国平", "春梅", "文斌", "金凤", "德明", "桂英", "新民"]


class _Seat:
    """Acts for a demo deputy without a login (the services read ``actor.deputy``)."""

    is_authenticated = False
    is_superuser = False
    role = User.Role.DEPUTY

    def __init__(self, deputy):
        self.deputy = deputy


def _deputies(congress, prefix, count, first_code=2):
    for i in range(first_code, count + 1):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        deputy, _ = Deputy.objects.get_or_create(
            code=f"{prefix}-{i:03d}", defaults={"name": name, "gender": "MF"[i % 2], "occupation": "演示代表"}
        )
        Membership.objects.get_or_create(
            deputy=deputy, congress=congress, defaults={"electoral_unit": f"第{i % 9 + 1}选区"}
        )
    return list(
        Membership.objects.filter(congress=congress).in_office().select_related("deputy").order_by("deputy__code")
    )


def _org(region, name, short):
    org, _ = Organization.objects.get_or_create(
        region=region, name=name, defaults={"kind": Organization.Kind.HANDLING_UNIT, "short_name": short}
    )
    return org


def _session(staff, congress, title, meeting, date, seats, candidates, **options):
    session = VoteSession.objects.filter(congress=congress, title=title, round_number=1).first()
    if session is not None:
        return session, False
    session = services.session_create(
        actor=staff, congress=congress, title=title, meeting=meeting, meeting_date=date, seats=seats, **options
    )
    for ctitle, description, budget, department, timeline, beneficiaries, source in candidates:
        services.candidate_add(
            actor=staff,
            session=session,
            title=ctitle,
            description=description,
            budget=Decimal(budget),
            department=department,
            timeline=timeline,
            beneficiaries=beneficiaries,
            source=source,
        )
    return session, True


def _vote(staff, session, seats, patterns, paper_from):
    """Everyone present votes; seats before ``paper_from`` on the portal, the rest on paper."""
    services.session_open(actor=staff, session=session)
    ids = [str(pk) for pk in session.candidates.order_by("position").values_list("pk", flat=True)]
    for i, (seat, pattern) in enumerate(zip(seats, patterns, strict=False)):
        services.checkin_register(actor=staff, session=session, membership=seat)
        choices = dict(zip(ids, pattern, strict=True))
        if i < paper_from:
            services.ballot_cast(actor=_Seat(seat.deputy), session=session, choices=choices)
        else:
            services.paper_ballot_issue(actor=staff, session=session, membership=seat)
            services.paper_ballot_enter(actor=staff, session=session, serial=f"YA-{i + 1:03d}", choices=choices)
    services.session_close(actor=staff, session=session)
    services.session_publish(actor=staff, session=session)


def _patterns(total, spec):
    """``spec``: list of (count, pattern) filling ``total`` ballots."""
    rows = []
    for count, pattern in spec:
        rows.extend([pattern] * count)
    assert len(rows) == total
    return rows


def load(stdout):
    staff = User.objects.filter(username="admin").first()
    yongan = Region.objects.get(code="430181118")
    ya_congress = Congress.objects.get(region=yongan, level=5)
    ya_seats = _deputies(ya_congress, "YA19", 79)
    gov = _org(yongan, "永安镇人民政府", "镇政府")
    water_office = _org(yongan, "永安镇农业综合服务中心", "农服中心")
    C = Candidate.Source

    # 2023: two projects, finished and rated (the newsletter's 96.7% and 97.8%).
    last, created = _session(
        staff,
        ya_congress,
        "2023年民生实事项目票决",
        "永安镇第十九届人民代表大会第二次会议",
        datetime.date(2023, 4, 27),
        2,
        [
            (
                "安全饮水巩固提升工程",
                "新建加压泵站 1 座，改造主管网 12 公里",
                "360",
                water_office,
                "2023年5月至12月",
                "6个村约1.8万人",
                C.CITIZEN,
            ),
            (
                "交通设施完善工程",
                "新增路灯 300 盏、安防护栏 5 公里、公交候车亭 8 个",
                "240",
                gov,
                "2023年5月至11月",
                "全镇群众约4.6万人",
                C.DEPUTY,
            ),
            ("集镇停车场建设", "新建停车位 200 个", "180", gov, "2023年6月至12月", "集镇居民与商户", C.DEPARTMENT),
        ],
    )
    if created:
        _vote(
            staff,
            last,
            ya_seats[:78],
            _patterns(78, [(60, ("for", "for", "against")), (18, ("for", "against", "for"))]),
            0,
        )
        for project in last.projects.all():
            services.project_finish(actor=staff, project=project, finished_on=datetime.date(2023, 12, 28))
            if project.title.startswith("安全饮水"):
                ratings = ["satisfied"] * 52 + ["basically"] * 6 + ["unsatisfied"] * 2  # 58 / 60 = 96.7%
            else:
                ratings = ["satisfied"] * 40 + ["basically"] * 4 + ["unsatisfied"]  # 44 / 45 = 97.8%
            for seat, rating in zip(ya_seats, ratings, strict=False):
                if not SatisfactionRating.objects.filter(project=project, membership=seat).exists():
                    services.rating_submit(actor=_Seat(seat.deputy), project=project, rating=rating)

    # 2024: 79 deputies, 3 candidates for 2 — closed with a tally, published, under supervision.
    session, created = _session(
        staff,
        ya_congress,
        "2024年民生实事项目票决",
        "永安镇第十九届人民代表大会第三次会议",
        datetime.date(2024, 4, 26),
        2,
        [
            (
                "集镇污水管网建设",
                "铺设污水管网 8.6 公里，新建提升泵站 2 座",
                "520",
                gov,
                "2024年5月至2025年3月",
                "集镇居民约1.2万人",
                C.CITIZEN,
            ),
            (
                "农村公路安保工程",
                "县乡道危险路段安装波形护栏 18 公里",
                "310",
                gov,
                "2024年5月至12月",
                "全镇群众约4.6万人",
                C.DEPUTY,
            ),
            (
                "中心小学运动场改造",
                "塑胶跑道与灯光球场改造",
                "150",
                gov,
                "2024年7月至9月",
                "师生约1600人",
                C.DEPARTMENT,
            ),
        ],
    )
    if created:
        patterns = _patterns(
            77,
            [
                (52, ("for", "for", "against")),
                (14, ("for", "against", "for")),
                (6, ("against", "for", "for")),
                (3, ("abstain", "for", "abstain")),
                (2, ("for", "abstain", "abstain")),
            ],
        )
        _vote(staff, session, ya_seats[:77], patterns, paper_from=12)
        sewer = Project.objects.get(session=session, title="集镇污水管网建设")
        services.project_set_supervisors(actor=staff, project=sewer, memberships=ya_seats[:4])
        services.milestone_add(actor=staff, project=sewer, title="完成设计与招标", due_on=datetime.date(2024, 6, 30))
        services.milestone_add(actor=staff, project=sewer, title="主管网贯通", due_on=datetime.date(2024, 11, 30))
        services.list_item_add(
            actor=staff,
            project=sewer,
            kind=ListItem.Kind.CONGRESS_WORK,
            content="每季度组织代表视察一次",
            responsible="镇人大主席团",
        )
        services.list_item_add(
            actor=staff,
            project=sewer,
            kind=ListItem.Kind.GOVERNMENT_RESPONSIBILITY,
            content="2025年3月前完成管网铺设与验收",
            responsible="永安镇人民政府",
        )
        services.list_item_add(
            actor=staff,
            project=sewer,
            kind=ListItem.Kind.DEPUTY_DUTY,
            content="收集沿线群众意见并反馈",
            responsible="监督小组",
        )
        services.progress_report_add(
            actor=staff, project=sewer, text="已完成设计、招标，主管网铺设 3.2 公里。", percent=40
        )
        services.inspection_log(
            actor=staff,
            project=sewer,
            occurred_on=datetime.date(2024, 9, 12),
            place="永安镇集镇",
            findings="施工进度符合计划，建议加强路面恢复质量。",
            participants=ya_seats[:3],
        )

    # 天元区: an open session where deputy_zz (张建国) checks in on the portal and votes.
    tianyuan = Region.objects.get(code="430211")
    ty_congress = Congress.objects.get(region=tianyuan, level=4)
    _deputies(ty_congress, "TY5", 8)
    zj = _org(tianyuan, "天元区住房和城乡建设局", "区住建局")
    jy = _org(tianyuan, "天元区教育局", "区教育局")
    today = timezone.localdate()
    open_session, created = _session(
        staff,
        ty_congress,
        f"{today.year}年天元区民生实事项目票决",
        "天元区第五届人民代表大会第五次会议",
        today,
        3,
        [
            (
                "老旧小区改造提质",
                "改造小区 12 个，加装电梯 30 部",
                "4200",
                zj,
                f"{today.year}年全年",
                "居民约6800户",
                C.CITIZEN,
            ),
            (
                "城区学校扩容",
                "新增学位 1800 个",
                "5600",
                jy,
                f"{today.year}年3月至12月",
                "适龄儿童1800人",
                C.DEPARTMENT,
            ),
            (
                "社区嵌入式养老服务",
                "建设社区养老服务站 10 个",
                "1500",
                zj,
                f"{today.year}年4月至11月",
                "老年人约2万人",
                C.DEPUTY,
            ),
            ("背街小巷路灯亮化", "新增改造路灯 900 盏", "600", zj, f"{today.year}年4月至9月", "沿线居民", C.CITIZEN),
            (
                "农贸市场标准化改造",
                "改造农贸市场 4 个",
                "800",
                zj,
                f"{today.year}年5月至12月",
                "周边居民约5万人",
                C.CITIZEN,
            ),
        ],
        margin_ratio=20,
        allow_self_checkin=True,
    )
    if created:
        services.session_open(actor=staff, session=open_session)
    stdout.write(
        f"votes: sessions {VoteSession.objects.count()}, projects {Project.objects.count()}, "
        f"ratings {SatisfactionRating.objects.count()}"
    )
