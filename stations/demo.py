"""Demo stations (株洲 天元区 嵩山路街道, 益阳 赫山区), reception days and citizens' opinions in several states."""

import datetime

from django.utils import timezone

from deputies.models import Deputy
from liaison.models import Region, User
from stations import services
from stations.models import Opinion, OpinionCategory, ReceptionDay, Station, StationAssignment

CATEGORIES = [
    ("road", "道路交通", 10),
    ("water", "供水供电", 20),
    ("environment", "环境卫生", 30),
    ("education", "教育", 40),
    ("health", "医疗卫生", 50),
    ("housing", "住房与物业", 60),
    ("rural", "乡村振兴", 70),
    ("other", "其他", 900),
]

# region code, name, kind, sector, parent name, address, lat, lng, manager username, deputy codes
STATIONS = [
    (
        "430211004",
        "嵩山路街道人大代表中心联络站",
        Station.Kind.FIXED,
        "",
        None,
        "株洲市天元区嵩山路街道办事处一楼",
        "27.826100",
        "113.082900",
        "manager_zz",
        ["ZZ16-001", "ZZ16-002"],
    ),
    (
        "430211004",
        "泰山路社区代表联络点",
        Station.Kind.FIXED,
        "",
        "嵩山路街道人大代表中心联络站",
        "株洲市天元区泰山路社区服务中心",
        "27.830200",
        "113.079100",
        "manager_zz",
        ["ZZ16-001"],
    ),
    (
        "430211",
        "天元区云端代表联络站",
        Station.Kind.CLOUD,
        "",
        None,
        "线上",
        None,
        None,
        "manager_zz",
        ["ZZ16-001", "ZZ16-003"],
    ),
    (
        "430903001",
        "赫山街道人大代表中心联络站",
        Station.Kind.FIXED,
        "",
        None,
        "益阳市赫山区赫山街道办事处",
        "28.553600",
        "112.370900",
        "manager_hs",
        ["HS4-001"],
    ),
    (
        "430903001",
        "赫山区园区代表联络站",
        Station.Kind.MOBILE,
        Station.Sector.PARK,
        None,
        "益阳高新区",
        None,
        None,
        "manager_hs",
        ["HS4-001"],
    ),
]

OPINIONS = [
    # station name, category, content, mobile, outcome, note
    (
        "嵩山路街道人大代表中心联络站",
        "road",
        "泰山路与黄河路口红绿灯时间太短，老人过马路来不及。",
        "13711110001",
        None,
        "",
    ),
    (
        "嵩山路街道人大代表中心联络站",
        "environment",
        "小区旁边垃圾站夏天气味很大，希望增加清运次数。",
        "13711110002",
        "handled",
        "已协调环卫所每日清运两次。",
    ),
    (
        "嵩山路街道人大代表中心联络站",
        "education",
        "希望学校周边增设护学岗，上下学时段车辆太多。",
        "13711110003",
        "hotline",
        "",
    ),
    (
        "嵩山路街道人大代表中心联络站",
        "road",
        "嵩山路公交站没有候车亭，雨天老人孩子淋雨等车。",
        "13711110007",
        "proposal",
        "关于在嵩山路公交站增设候车亭的建议",
    ),
    (
        "泰山路社区代表联络点",
        "housing",
        "老旧小区加装电梯需要的资金补贴政策是什么？",
        "13711110004",
        "unfeasible",
        "补贴政策由市住建局统一制定，已转告申请渠道。",
    ),
    ("赫山街道人大代表中心联络站", "water", "龙岭社区自来水水质发黄，希望检测。", "13711110005", None, ""),
    (
        "赫山街道人大代表中心联络站",
        "health",
        "村卫生室晚上没人值班，看病不方便。",
        "13711110006",
        "handled",
        "已安排卫生室轮流值班至晚上九点。",
    ),
]


def load(stdout):
    for code, name, order in CATEGORIES:
        OpinionCategory.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    today = timezone.localdate()
    stations = {}
    for region_code, name, kind, sector, parent, address, lat, lng, manager, deputy_codes in STATIONS:
        region = Region.objects.get(code=region_code)
        station, _ = Station.objects.get_or_create(
            region=region,
            name=name,
            defaults={
                "kind": kind,
                "sector": sector,
                "parent": stations.get(parent),
                "address": address,
                "latitude": lat,
                "longitude": lng,
                "opening_hours": "每月 15 日 9:00–12:00；工作日 8:30–17:30",
                "contact_name": "联络员",
                "contact_phone": "0731-22000000" if region_code.startswith("4302") else "0737-4200000",
            },
        )
        stations[name] = station
        manager_user = User.objects.filter(username=manager).first()
        if manager_user is not None:
            station.managers.add(manager_user)
        for code in deputy_codes:
            deputy = Deputy.objects.filter(code=code).first()
            if deputy is not None:
                StationAssignment.objects.get_or_create(
                    station=station, deputy=deputy, defaults={"since": datetime.date(today.year, 1, 1)}
                )
    if ReceptionDay.objects.exists():
        stdout.write(f"stations: {Station.objects.count()}, opinions: {Opinion.objects.count()}")
        return
    admin = User.objects.filter(username="admin").first()
    for name, station in stations.items():
        deputies = list(station.deputies.all())
        past = services.reception_day_schedule(
            actor=None,
            station=station,
            date=today - datetime.timedelta(days=20),
            deputies_on_duty=deputies,
            topic="每月定期接待",
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
        )
        if "中心" in name:
            services.reception_day_log(
                actor=None,
                reception_day=past,
                deputies_present=deputies,
                citizens_received=12,
                opinions_taken=3,
                note="群众反映道路、环境卫生等问题。",
            )
        services.reception_day_schedule(
            actor=None,
            station=station,
            date=today + datetime.timedelta(days=10),
            deputies_on_duty=deputies,
            kind=ReceptionDay.Kind.CAMPAIGN if "中心" in name else ReceptionDay.Kind.REGULAR,
            topic="集中进站履职" if "中心" in name else "每月定期接待",
            starts_at=datetime.time(9),
            ends_at=datetime.time(11, 30),
        )
    for station_name, category, content, mobile, outcome, note in OPINIONS:
        station = stations[station_name]
        opinion = services.opinion_record(
            actor=None,
            station=station,
            category=OpinionCategory.objects.get(code=category),
            content=content,
            source=Opinion.Source.PAPER,
            mobile=mobile,
        )
        if outcome == Opinion.Status.PROPOSAL and not services.proposals_available():
            outcome = None
        if outcome:
            lead = Deputy.objects.filter(code="ZZ16-001").first() if outcome == Opinion.Status.PROPOSAL else None
            services.triage_opinion(actor=admin, opinion=opinion, outcome=outcome, note=note, lead_deputy=lead)
    stdout.write(f"stations: {Station.objects.count()}, opinions: {Opinion.objects.count()}")
