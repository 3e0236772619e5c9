#!/usr/bin/env python
"""Seed a whole province into PostgreSQL for the benchmark, with COPY (psycopg 3 ``cursor.copy``), never row by row.

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python scripts/bench/seed.py --scale 1.0

At scale 1.0: 14 cities, 120 counties, 1,900 townships; 130,000 deputies holding 150,000 seats in five levels of
congresses; 2,000,000 duty records; 300,000 proposals with assignments, contacts, replies and ratings; 2,000 vote
sessions; and, when the stations app has its models, 12,000 stations and 1,000,000 citizens' opinions. The region
tree keeps its size at every scale (it is the province); everything below it scales. The data are skewed the way
real ones are: a few deputies propose a lot, a few handling units receive thousands of proposals, most few.

Rows get explicit ids (counted from the table's current maximum), so children reference parents without a
round trip; the identity sequences are moved past them at the end. Fields the seeder does not name get their
model default (or '' / NULL), so a new column with a default does not break the seeder.

Logins for every role (password ``liaison-bench-2024``) are written to the database and their names returned:
bench_staff (province staff), bench_staff_city (one city's staff; its roster is ~10,000 rows at scale 1),
bench_unit (the busiest handling unit), bench_deputy (a deputy with many proposals), bench_manager (a station).
"""

import argparse
import bisect
import datetime
import itertools
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "liaison-bench-2024"

# ---------------------------------------------------------------------------------------------------- vocabulary

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾"
    "夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "建国华明丽军伟芳敏静强磊洋艳勇杰娟涛超秀英霞平刚桂兰红玲志文斌辉鹏飞宇浩晨欣怡婷子涵梓轩雨萱思远德海春梅金凤秋菊国庆卫东"
CITIES = [
    ("430100", "长沙市", 16),
    ("430200", "株洲市", 9),
    ("430300", "湘潭市", 6),
    ("430400", "衡阳市", 10),
    ("430500", "邵阳市", 10),
    ("430600", "岳阳市", 8),
    ("430700", "常德市", 8),
    ("430800", "张家界市", 4),
    ("430900", "益阳市", 6),
    ("431000", "郴州市", 9),
    ("431100", "永州市", 8),
    ("431200", "怀化市", 9),
    ("431300", "娄底市", 6),
    ("433100", "湘西土家族苗族自治州", 11),
]
PLACE_CHARS = (
    "安宁平和兴隆丰泰新华阳春桃源东西南北山湖江河石桥塘岭坪溪田家洲湾城龙凤金玉青云白马长乐永福清水荷花松柏竹林"
)
DEPARTMENTS = [
    "住房和城乡建设局",
    "交通运输局",
    "教育局",
    "卫生健康委员会",
    "自然资源和规划局",
    "生态环境局",
    "农业农村局",
    "水利局",
    "民政局",
    "人力资源和社会保障局",
    "城市管理和综合执法局",
    "发展和改革委员会",
    "财政局",
    "公安局",
    "市场监督管理局",
    "文化旅游广电体育局",
    "工业和信息化局",
    "应急管理局",
    "医疗保障局",
    "林业局",
]
TOPICS = [
    ("道路", "加快{p}至{q}公路提质改造", "交通"),
    ("教育", "解决{p}片区学位紧张问题", "教育"),
    ("医疗", "提升{p}乡镇卫生院服务能力", "卫健"),
    ("饮水", "推进{p}农村安全饮水巩固提升工程", "水利"),
    ("养老", "建设{p}社区居家养老服务中心", "民政"),
    ("停车", "缓解{p}老城区停车难问题", "城建"),
    ("环境", "加强{p}河道黑臭水体治理", "环资"),
    ("就业", "支持{p}返乡创业和稳岗就业", "人社"),
    ("农业", "扶持{p}特色农产品品牌建设", "农业"),
    ("旧改", "加快{p}老旧小区改造进度", "城建"),
    ("电网", "改造{p}农村电网提高供电质量", "能源"),
    ("安全", "完善{p}学校周边交通安全设施", "公安"),
]
SENTENCES = [
    "近年来，{p}常住人口持续增加，群众对此反映强烈。",
    "经代表实地走访调研，发现存在基础设施老化、管理责任不清等问题。",
    "建议有关部门统筹资金，制定分年度实施计划，明确责任单位和完成时限。",
    "同时加强日常巡查和维护管理，建立长效机制，防止问题反弹。",
    "群众在{p}代表联络站多次反映，希望尽快得到解决。",
    "该问题涉及多个部门，建议由政府牵头召开专题协调会议。",
    "建议将此项工作纳入年度民生实事项目，接受人大代表监督。",
    "据不完全统计，受影响群众约{n}户，其中老人和儿童占比较高。",
    "建议加大财政投入力度，积极争取上级专项资金支持。",
    "希望相关部门定期向代表通报进展情况，做到事事有回音、件件有落实。",
]
REPLY_SENTENCES = [
    "收到您提出的建议后，我局高度重视，主要负责同志专门作出批示。",
    "我局组织专人进行实地调研，并多次与代表沟通交流办理意见。",
    "目前该项目已列入年度工作计划，预计年底前完成主体工程。",
    "受资金和用地条件限制，该项工作需分步实施，我们将持续跟踪推进。",
    "下一步，我局将进一步加强与相关部门的协调配合，确保建议落到实处。",
    "感谢您对我市{t}工作的关心和支持，欢迎继续提出宝贵意见。",
]
OCCUPATIONS = ["村党支部书记", "社区居委会主任", "企业负责人", "教师", "医生", "农民", "个体工商户", "工人", "乡镇干部"]
PARTIES = ["中共党员", "中共党员", "中共党员", "群众", "民盟盟员", "九三学社社员", "无党派人士"]
EDUCATIONS = ["研究生", "大学本科", "大学本科", "大专", "高中", "初中"]
DUTY_PLACES = ["代表联络站", "镇政府会议室", "村委会", "社区服务中心", "人大常委会会议室", "项目现场"]


def person_name(rng):
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
    return surname + given


def place_name(rng, used, suffixes):
    while True:
        name = rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS) + rng.choice(suffixes)
        if name not in used:
            used.add(name)
            return name


def paragraph(rng, place, sentences=SENTENCES, low=3, high=10, **extra):
    count = rng.randint(low, high)
    return "".join(rng.choice(sentences).format(p=place, n=rng.randint(50, 3000), **extra) for _ in range(count))


def mobile(rng):
    return f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"


def protected_mobile(rng):
    """(token, keyed hash) of a random mobile, as the encrypted columns store them (liaison.crypto)."""
    from liaison import crypto

    key = crypto.keys()[0]  # cached per key tuple
    value = mobile(rng)
    return crypto.encrypt(value, key=key), crypto.lookup_hash(value, key=key)


def zipf_cum_weights(count, exponent=1.1):
    total, cum = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank**exponent
        cum.append(total)
    return cum


def pick(rng, items, cum):
    return items[bisect.bisect_left(cum, rng.random() * cum[-1])]


# ---------------------------------------------------------------------------------------------------- COPY plumbing


class Copier:
    """COPY rows of one model: the caller names some fields (attnames) in order, the rest get their defaults."""

    def __init__(self, model, names, now):
        from django.db import models
        from psycopg.types.json import Jsonb

        opts = model._meta
        given = list(names)
        tail_fields = [
            f
            for f in opts.concrete_fields
            if f.attname not in given and not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))
        ]
        tail = []
        for f in tail_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                tail.append(now)
            elif f.has_default():
                value = f.get_default()
                tail.append(Jsonb(value) if isinstance(f, models.JSONField) else value)
            elif f.null:
                tail.append(None)
            elif isinstance(f, models.CharField | models.TextField | models.FileField):
                tail.append("")
            else:
                raise ValueError(f"{opts.label}.{f.name} needs a value: name it in the seeder")
        self.model = model
        self.tail = tuple(tail)
        columns = [_column(opts, n) for n in given] + [f.column for f in tail_fields]
        self.sql = f"COPY {opts.db_table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN"

    def write(self, cursor, rows):
        count = 0
        tail = self.tail
        with cursor.copy(self.sql) as copy:
            for row in rows:
                copy.write_row(row + tail)
                count += 1
        return count


def _column(opts, attname):
    for f in opts.concrete_fields:
        if f.attname == attname:
            return f.column
    raise ValueError(f"{opts.label} has no field {attname}")


def next_id(cursor, model):
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0] + 1


def reset_sequence(cursor, model):
    table = model._meta.db_table
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
    )


# ---------------------------------------------------------------------------------------------------- the seeder


@dataclass
class Seeded:
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    logins: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)


class Seeder:
    def __init__(self, scale=1.0, seed=20240618, out=None):
        from django.db import connection
        from django.utils import timezone

        self.scale = scale
        self.rng = random.Random(seed)
        self.out = out or sys.stdout
        self.connection = connection
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.result = Seeded()

    def n(self, full, minimum=1):
        return max(minimum, round(full * self.scale))

    def log(self, message):
        print(message, file=self.out, flush=True)

    def copy(self, label, model, names, rows):
        started = time.monotonic()
        with self.connection.cursor() as cursor:
            count = Copier(model, names, self.now).write(cursor.cursor, rows)
        seconds = time.monotonic() - started
        self.result.counts[label] = self.result.counts.get(label, 0) + count
        self.result.seconds[label] = self.result.seconds.get(label, 0) + seconds
        self.log(f"  {label:<24} {count:>10,} rows {seconds:7.1f} s")
        return count

    def ids(self, model, count):
        with self.connection.cursor() as cursor:
            start = next_id(cursor, model)
        return range(start, start + count)

    def run(self):
        started = time.monotonic()
        self.log(f"seeding at scale {self.scale}")
        self.seed_regions()
        self.seed_organizations()
        self.seed_deputies()
        self.seed_duty_records()
        self.seed_proposals()
        self.seed_votes()
        self.seed_stations()
        self.seed_logins()
        self.finish()
        self.result.seconds["total"] = time.monotonic() - started
        self.log(f"seeded in {self.result.seconds['total']:.1f} s")
        return self.result

    # ------------------------------------------------------------------ regions and units

    def seed_regions(self):
        from liaison.models import Region

        rng = self.rng
        ids = iter(self.ids(Region, 1 + 14 + 120 + 1900))
        rows = []
        province = (next(ids), "430000", "湖南省", 1, None, "430000/")
        rows.append(province)
        self.province = province
        self.cities, self.counties, self.townships = [], [], []
        used = set()
        county_total = sum(c[2] for c in CITIES)
        township_quota = 1900
        counties_left = county_total
        for code, name, county_count in CITIES:
            city = (next(ids), code, name, 2, province[0], f"{province[5]}{code}/")
            rows.append(city)
            self.cities.append(city)
            for i in range(1, county_count + 1):
                county_code = f"{code[:4]}{i:02d}"
                county = (
                    next(ids),
                    county_code,
                    place_name(rng, used, "县区市" if i > 1 else "区"),
                    3,
                    city[0],
                    f"{city[5]}{county_code}/",
                )
                rows.append(county)
                self.counties.append(county)
                towns = round(township_quota / counties_left)
                township_quota -= towns
                counties_left -= 1
                for j in range(1, towns + 1):
                    town_code = f"{county_code}{j:03d}"
                    town = (
                        next(ids),
                        town_code,
                        place_name(rng, used, ["镇", "乡", "街道"]),
                        4,
                        county[0],
                        f"{county[5]}{town_code}/",
                    )
                    rows.append(town)
                    self.townships.append(town)
        self.region_by_id = {r[0]: r for r in rows}
        self.copy("regions", Region, ["id", "code", "name", "level", "parent_id", "path"], rows)

    def seed_organizations(self):
        from liaison.models import Organization

        regions = [self.province, *self.cities, *self.counties]
        ids = iter(self.ids(Organization, len(regions) * (len(DEPARTMENTS) + 1)))
        rows = []
        self.units_by_region = {}
        self.unit_names = {}
        for region in regions:
            units = []
            for dept in DEPARTMENTS:
                uid = next(ids)
                name = f"{region[2]}{dept}"
                rows.append((uid, region[0], "handling_unit", name, dept[:8], True))
                units.append(uid)
                self.unit_names[uid] = name
            rows.append((next(ids), region[0], "special_committee", f"{region[2]}人大常委会城建环资工委", "", True))
            self.units_by_region[region[0]] = units
        self.unit_cum = zipf_cum_weights(len(DEPARTMENTS), 1.3)
        self.copy("organizations", Organization, ["id", "region_id", "kind", "name", "short_name", "is_active"], rows)

    # ------------------------------------------------------------------ deputies

    def seed_deputies(self):
        from deputies.models import Congress, Deputy, DeputyGroup, Membership

        rng = self.rng
        # Seats per congress at scale 1: national 120 and provincial 1,800 (both at the province), 12,000 in the
        # cities, 36,000 in the counties, 100,080 in the townships: 150,000 seats.
        plan = [(self.province, 1, 120), (self.province, 2, 1800)]
        city_weights = [c[2] for c in CITIES]
        plan += [(c, 3, 12000 * w / sum(city_weights)) for c, w in zip(self.cities, city_weights, strict=True)]
        plan += [(c, 4, 36000 / len(self.counties)) for c in self.counties]
        plan += [(t, 5, 100080 / len(self.townships)) for t in self.townships]
        congress_ids = iter(self.ids(Congress, len(plan)))
        congresses, seats = [], []
        for region, level, full in plan:
            cid = next(congress_ids)
            term = {1: 14, 2: 14, 3: 16, 4: 18, 5: 19}[level]
            level_name = {1: "全国人民代表大会湖南代表团", 2: "湖南省第十四届人民代表大会"}.get(
                level, f"{region[2]}第{term}届人民代表大会"
            )
            congresses.append((cid, region[0], level, term, level_name, datetime.date(2021, 10, 1), True))
            seats.append((cid, region, level, max(1, round(full * self.scale))))
        self.copy(
            "congresses", Congress, ["id", "region_id", "level", "term", "name", "started_on", "is_current"], congresses
        )
        self.congress_region = {c[0]: c[1] for c in congresses}
        self.congress_level = {c[0]: c[2] for c in congresses}

        groups, group_of = [], {}
        group_ids = iter(self.ids(DeputyGroup, len(congresses) * 3))
        for cid, _region, _level, count in seats:
            group_of[cid] = []
            for g in range(1, min(3, max(1, count // 20)) + 1):
                gid = next(group_ids)
                groups.append((gid, cid, f"第{g}代表小组"))
                group_of[cid].append(gid)
        self.copy("deputy groups", DeputyGroup, ["id", "congress_id", "name"], groups)

        total_seats = sum(s[3] for s in seats)
        people = self.n(130000)
        deputy_ids = list(self.ids(Deputy, min(people, total_seats)))
        # Each person takes a seat; the remaining seats go to people who already sit in another congress
        # (a county deputy who is also a township deputy).
        membership_rows, seat_list = [], []
        mids = iter(self.ids(Membership, total_seats))
        person_iter = iter(deputy_ids)
        taken = set()
        for cid, region, _level, count in seats:
            for _ in range(count):
                did = next(person_iter, None)
                if did is None or (did, cid) in taken:
                    did = rng.choice(deputy_ids)
                    while (did, cid) in taken:
                        did = rng.choice(deputy_ids)
                taken.add((did, cid))
                mid = next(mids)
                terminated = rng.random() < 0.02
                membership_rows.append(
                    (
                        mid,
                        did,
                        cid,
                        f"{region[2]}第{rng.randint(1, 30)}选区",
                        rng.choice(group_of[cid]),
                        "terminated" if terminated else "in_office",
                        datetime.date(2023, rng.randint(1, 12), rng.randint(1, 28)) if terminated else None,
                        "调离本行政区域" if terminated else "",
                    )
                )
                seat_list.append((mid, did, cid))
        self.deputy_ids = deputy_ids
        self.seats = seat_list
        # Duty records: a Zipf skew over the seats in random order (a few very active deputies, a long tail).
        self.active_seats = rng.sample(seat_list, len(seat_list))
        self.seat_cum = zipf_cum_weights(len(seat_list), 0.6)

        def deputies():
            for did in deputy_ids:
                yield (
                    did,
                    f"HN{did:08d}",
                    person_name(rng),
                    rng.choice("MMF"),
                    "汉族" if rng.random() < 0.9 else rng.choice(["土家族", "苗族", "侗族", "瑶族"]),
                    datetime.date(rng.randint(1955, 1995), rng.randint(1, 12), rng.randint(1, 28)),
                    rng.choice(PARTIES),
                    rng.choice(EDUCATIONS),
                    rng.choice(OCCUPATIONS),
                    f"{rng.choice(PLACE_CHARS)}{rng.choice(PLACE_CHARS)}{rng.choice(['公司', '学校', '医院', '村委会'])}",
                    *protected_mobile(rng),
                )

        self.copy(
            "deputies",
            Deputy,
            [
                "id",
                "code",
                "name",
                "gender",
                "ethnicity",
                "birth_date",
                "party",
                "education",
                "occupation",
                "workplace",
                "mobile",
                "mobile_hash",
            ],
            deputies(),
        )
        self.copy(
            "memberships",
            Membership,
            [
                "id",
                "deputy_id",
                "congress_id",
                "electoral_unit",
                "group_id",
                "status",
                "terminated_on",
                "termination_reason",
            ],
            membership_rows,
        )

    def seed_duty_records(self):
        from deputies.models import DutyKind, DutyRecord

        rng = self.rng
        kinds = [k for k in DutyKind.values if k not in ("absence", "other")]
        total = self.n(2000000)
        seats = self.active_seats
        cum = self.seat_cum
        start = datetime.date(2022, 1, 1).toordinal()
        span = self.today.toordinal() - start
        descriptions = [
            "参加代表联络站集中接待选民活动，收集意见建议{n}条",
            "参加专题视察调研，形成调研报告",
            "参加代表履职学习培训班",
            "向原选区选民报告履职情况",
            "参加代表小组活动，围绕民生实事开展调研",
        ]
        ids = self.ids(DutyRecord, total)

        def rows():
            for rid in ids:
                seat = pick(rng, seats, cum)
                yield (
                    rid,
                    seat[0],
                    rng.choice(kinds),
                    datetime.date.fromordinal(start + rng.randrange(span)),
                    rng.choice(DUTY_PLACES),
                    rng.choice(descriptions).format(n=rng.randint(1, 20)),
                )

        self.copy(
            "duty records", DutyRecord, ["id", "membership_id", "kind", "occurred_on", "place", "description"], rows()
        )

    # ------------------------------------------------------------------ proposals

    def seed_proposals(self):
        from proposals.models import Assignment, Contact, Proposal, ProposalStatusChange, Reply

        rng = self.rng
        total = self.n(300000)
        statuses = [
            ("closed", 52),
            ("assigned", 15),
            ("replied", 8),
            ("tracking", 6),
            ("satisfied", 5),
            ("rehandling", 1),
            ("submitted", 4),
            ("accepted", 2),
            ("draft", 2),
            ("returned", 2),
            ("merged", 1),
            ("withdrawn", 1),
            ("revision", 1),
        ]
        status_values = [s for s, _w in statuses]
        status_cum = list(itertools.accumulate(w for _s, w in statuses))
        handled = {"assigned", "replied", "tracking", "satisfied", "rehandling", "closed"}
        replied = {"replied", "tracking", "satisfied", "closed"}
        # Proposals come from the city and county congresses above all, some from the province and townships.
        proposing = [s for s in self.seats if self.congress_level[s[2]] in (2, 3, 4, 5)]
        level_weight = {2: 4.0, 3: 2.5, 4: 1.2, 5: 0.05}
        proposing_cum = list(
            itertools.accumulate(
                level_weight[self.congress_level[s[2]]] / (1 + i % 97) for i, s in enumerate(proposing)
            )
        )
        pids = list(self.ids(Proposal, total))
        now = self.now
        start = now - datetime.timedelta(days=4 * 365)
        span_seconds = int((now - start).total_seconds())
        topic_places = [t[2] for t in self.townships] or ["城区"]
        proposals, facts = [], []
        lead_counts = {}
        for number, pid in enumerate(pids, 1):
            seat = pick(rng, proposing, proposing_cum)
            cid = seat[2]
            region_id = self.congress_region[cid]
            status = status_values[bisect.bisect_left(status_cum, rng.random() * status_cum[-1])]
            if status == "merged" and number == 1:
                status = "submitted"  # the first proposal has nothing to be merged into
            topic = rng.choice(TOPICS)
            place = rng.choice(topic_places)
            title = f"关于{topic[1].format(p=place, q=rng.choice(topic_places))}的建议"
            submitted = None if status == "draft" else start + datetime.timedelta(seconds=rng.randrange(span_seconds))
            assigned_on = None
            if status in handled:
                assigned_on = (submitted + datetime.timedelta(days=rng.randint(10, 40))).date()
                if status in ("assigned", "rehandling"):
                    # Open work: deadlines from two months overdue to three months ahead.
                    assigned_on = self.today - datetime.timedelta(days=rng.randint(0, 150))
            reply_class = ""
            rating = ""
            promised = None
            if status in replied:
                reply_class = rng.choices("ABC", weights=(55, 30, 15))[0]
                if status == "tracking":
                    reply_class = "B"
                if reply_class == "B":
                    promised = self.today + datetime.timedelta(days=rng.randint(-30, 365))
                if status != "replied":
                    rating = rng.choices(["satisfied", "basic", "unsatisfied"], weights=(80, 17, 3))[0]
            region_path = self.region_by_id[region_id][5]
            proposals.append(
                (
                    pid,
                    f"{region_path[:4]}-{number:06d}",
                    cid,
                    region_id,
                    "第十六届人大三次会议" if rng.random() < 0.7 else "",
                    "suggestion" if rng.random() < 0.97 else "bill",
                    topic[2],
                    title[:200],
                    paragraph(rng, place),
                    seat[1],
                    status,
                    submitted,
                    submitted + datetime.timedelta(days=5) if submitted and status in handled else None,
                    assigned_on,
                    now if status == "closed" else None,
                    pids[number - 2] if status == "merged" and number > 1 else None,
                    reply_class,
                    promised,
                    rating,
                    1 if status == "rehandling" else 0,
                    rng.random() < 0.0005,
                    submitted or now,
                )
            )
            lead_counts[seat[1]] = lead_counts.get(seat[1], 0) + 1
            facts.append((pid, status, region_id, assigned_on, reply_class, promised, rating, seat[1], topic[0]))
        self.copy(
            "proposals",
            Proposal,
            [
                "id",
                "number",
                "congress_id",
                "region_id",
                "session",
                "kind",
                "category",
                "title",
                "content",
                "lead_deputy_id",
                "status",
                "submitted_at",
                "accepted_at",
                "assigned_on",
                "closed_at",
                "merged_into_id",
                "reply_class",
                "promised_on",
                "rating",
                "rehandle_count",
                "is_key_supervised",
                "created_at",
            ],
            proposals,
        )
        del proposals
        self.busiest_deputy = max(lead_counts, key=lead_counts.get)
        self.result.facts["busiest_deputy_proposals"] = lead_counts[self.busiest_deputy]

        self.copy(
            "status changes",
            ProposalStatusChange,
            ["proposal_id", "from_status", "to_status", "note"],
            ((f[0], "draft", "submitted", "") for f in facts if f[1] != "draft"),
        )

        # Assignments: a lead unit of the proposal's region (townships: their county), chosen with a Zipf skew;
        # a co-unit for about a third.
        assignment_rows, lead_of, unit_load = [], {}, {}
        aids = iter(self.ids(Assignment, 2 * len(facts)))
        for pid, status, region_id, assigned_on, *_rest in facts:
            if assigned_on is None:
                continue
            region = self.region_by_id[region_id]
            if region[3] == 4:
                region = self.region_by_id[region[4]]
            units = self.units_by_region[region[0]]
            lead = pick(rng, units, self.unit_cum)
            deadline = assigned_on + datetime.timedelta(days=90)
            done = status not in ("assigned", "rehandling")
            aid = next(aids)
            assignment_rows.append((aid, pid, lead, "lead", assigned_on, deadline, now if done else None, assigned_on))
            lead_of[pid] = (aid, lead, assigned_on, done)
            unit_load[lead] = unit_load.get(lead, 0) + 1
            if rng.random() < 0.33:
                co = rng.choice(units)
                if co != lead:
                    assignment_rows.append(
                        (next(aids), pid, co, "co", assigned_on, deadline, now if done else None, assigned_on)
                    )
        self.copy(
            "assignments",
            Assignment,
            ["id", "proposal_id", "unit_id", "role", "assigned_on", "deadline", "completed_at", "created_at"],
            (
                row[:7] + (datetime.datetime.combine(row[7], datetime.time(9), tzinfo=now.tzinfo),)
                for row in assignment_rows
            ),
        )
        self.busiest_unit = max(unit_load, key=unit_load.get)
        self.result.facts["busiest_unit"] = self.unit_names[self.busiest_unit]
        self.result.facts["busiest_unit_assignments"] = unit_load[self.busiest_unit]
        self.result.facts["assignments_per_unit_median"] = sorted(unit_load.values())[len(unit_load) // 2]

        stages = ["before", "during", "after"]
        ways = ["visit", "meeting", "site", "phone"]

        # The three contacts rule: 办前 and 办中 before the reply (replies come 40 days or more after assignment),
        # 办后 after the last reply (at most 160 days after assignment). A re-handled proposal was replied once.
        def contacts():
            for pid, status, *_rest in facts:
                lead = lead_of.get(pid)
                if lead is None:
                    continue
                aid, _unit, assigned_on, done = lead
                count = 3 if done else (2 if status == "rehandling" else rng.randint(0, 2))
                for k in range(count):
                    yield (
                        aid,
                        stages[k],
                        rng.choice(ways),
                        assigned_on + datetime.timedelta(days=(10, 25, 170)[k]),
                        "与领衔代表当面沟通办理思路，代表对办理工作提出具体意见。",
                    )

        self.copy("contacts", Contact, ["assignment_id", "stage", "way", "contacted_on", "summary"], contacts())

        def replies():
            for pid, status, _region, assigned_on, reply_class, promised, rating, *_rest in facts:
                if status not in replied and status != "rehandling":
                    continue
                aid, unit, _assigned, _done = lead_of[pid]
                rounds = 2 if rating == "unsatisfied" and rng.random() < 0.5 else 1
                for r in range(1, rounds + 1):
                    last = r == rounds and status != "rehandling"  # a re-handled proposal awaits round 2
                    klass = reply_class if last else rng.choice("BC")
                    replied_on = assigned_on + datetime.timedelta(days=rng.randint(40, 100) + 60 * (r - 1))
                    yield (
                        pid,
                        unit,
                        r,
                        klass,
                        paragraph(rng, "", REPLY_SENTENCES, 3, 6, t=_rest[1]),
                        promised
                        if klass == "B" and last
                        else (replied_on + datetime.timedelta(days=180) if klass == "B" else None),
                        replied_on,
                        replied_on <= assigned_on + datetime.timedelta(days=90),
                        rating if last else "unsatisfied",
                        self.now if (rating if last else "unsatisfied") else None,
                    )

        self.copy(
            "replies",
            Reply,
            [
                "proposal_id",
                "unit_id",
                "round",
                "reply_class",
                "text",
                "promised_on",
                "replied_on",
                "on_time",
                "rating",
                "rated_at",
            ],
            replies(),
        )
        self.proposal_facts = facts

    # ------------------------------------------------------------------ votes

    def seed_votes(self):
        from votes.models import Candidate, VoteSession

        rng = self.rng
        township_congresses = [cid for cid, level in self.congress_level.items() if level in (4, 5)]
        total = self.n(2000)
        sids = list(self.ids(VoteSession, total))
        sessions, candidates = [], []
        cand_ids = iter(self.ids(Candidate, total * 5))
        projects = ["农村安全饮水提质", "老旧小区改造", "乡村道路硬化", "敬老院改扩建", "农贸市场升级", "学校食堂改造"]
        for sid in sids:
            cid = rng.choice(township_congresses)
            region = self.region_by_id[self.congress_region[cid]]
            county = region if region[3] == 3 else self.region_by_id[region[4]]
            year = rng.randint(2022, self.today.year)
            seats = rng.randint(2, 3)
            sessions.append(
                (
                    sid,
                    cid,
                    f"{region[2]}{year}年民生实事项目票决",
                    f"{region[2]}第十九届人民代表大会第{year - 2021}次会议",
                    datetime.date(year, rng.randint(1, 3), rng.randint(1, 28)),
                    year,
                    seats,
                    "published",
                    rng.randint(30, 60),
                )
            )
            for position in range(1, seats + 2):
                candidates.append(
                    (
                        next(cand_ids),
                        sid,
                        position,
                        f"{position}. {rng.choice(projects)}（{region[2]}）",
                        paragraph(rng, region[2], low=2, high=4),
                        round(rng.uniform(20, 900), 2),
                        rng.choice(self.units_by_region[county[0]]),
                        f"{year}年12月底前完成",
                        f"{region[2]}群众约{rng.randint(1000, 30000)}人",
                        rng.choice(["citizen", "deputy", "department"]),
                        "passed" if position <= seats else "failed",
                    )
                )
        self.copy(
            "vote sessions",
            VoteSession,
            ["id", "congress_id", "title", "meeting", "meeting_date", "year", "seats", "status", "electorate_size"],
            sessions,
        )
        self.copy(
            "vote candidates",
            Candidate,
            [
                "id",
                "session_id",
                "position",
                "title",
                "description",
                "budget",
                "department_id",
                "timeline",
                "beneficiaries",
                "source",
                "outcome",
            ],
            candidates,
        )

    # ------------------------------------------------------------------ stations (when the app has its models)

    def seed_stations(self):
        try:
            from stations.models import Opinion, OpinionCategory, ReceptionDay, Station, StationAssignment
        except ImportError:
            self.log("  stations                 not available (no stations app)")
            self.result.facts["stations"] = "not available"
            return
        rng = self.rng
        total = self.n(12000)
        # Every township has its central station (中心联络站); the rest are 联络点 under them, placed with a skew
        # (towns near the cities have many), and a few sector stations in the counties.
        centers = self.townships[:total] if total < len(self.townships) else self.townships
        station_ids = iter(self.ids(Station, total))
        stations, used_names = [], set()
        center_of = {}
        for town in centers:
            sid = next(station_ids)
            stations.append(
                (
                    sid,
                    town[0],
                    f"{town[2]}人大代表中心联络站",
                    "fixed",
                    "",
                    None,
                    f"{town[2]}人民政府一楼",
                    "每月15日 9:00-12:00",
                )
            )
            center_of[town[0]] = sid
            used_names.add((town[0], stations[-1][2]))
        town_cum = zipf_cum_weights(len(centers), 0.8)
        while len(stations) < total:
            town = pick(rng, centers, town_cum)
            name = f"{town[2]}{rng.choice(PLACE_CHARS)}{rng.choice(PLACE_CHARS)}{rng.choice(['村', '社区'])}联络点"
            if (town[0], name) in used_names:
                continue
            used_names.add((town[0], name))
            stations.append(
                (
                    next(station_ids),
                    town[0],
                    name,
                    rng.choice(["fixed", "fixed", "fixed", "mobile", "cloud"]),
                    "",
                    center_of[town[0]],
                    f"{name[:-3]}综合服务平台",
                    "每周三 14:30-17:30",
                )
            )
        self.copy(
            "stations",
            Station,
            ["id", "region_id", "name", "kind", "sector", "parent_id", "address", "opening_hours"],
            stations,
        )
        self.stations = stations
        self.result.facts["station_id"] = stations[0][0]

        # Deputies in stations (编入): every county and township seat in a station of its region.
        stations_by_region = {}
        for st in stations:
            stations_by_region.setdefault(st[1], []).append(st[0])
        for county in self.counties:
            stations_by_region.setdefault(county[0], [])
        county_towns = {}
        for town in self.townships:
            if town[0] in stations_by_region:
                county_towns.setdefault(town[4], []).append(town[0])

        def placements():
            seen = set()
            for _mid, did, cid in self.seats:
                region_id = self.congress_region[cid]
                candidates = stations_by_region.get(region_id)
                if not candidates:
                    towns = county_towns.get(region_id)
                    if not towns:
                        continue
                    candidates = stations_by_region[rng.choice(towns)]
                sid = rng.choice(candidates)
                if (sid, did) in seen:
                    continue
                seen.add((sid, did))
                yield (sid, did, datetime.date(2022, 1, 1))

        self.copy("station assignments", StationAssignment, ["station_id", "deputy_id", "since"], placements())

        def reception_days():
            for sid in center_of.values():
                for month in range(1, 13):
                    year = self.today.year - (1 if month > self.today.month else 0)
                    day = datetime.date(year, month, 15)
                    held = day < self.today
                    yield (
                        sid,
                        day,
                        "regular",
                        "每月定期接待选民",
                        "held" if held else "scheduled",
                        rng.randint(5, 40) if held else 0,
                        rng.randint(1, 15) if held else 0,
                    )

        self.copy(
            "reception days",
            ReceptionDay,
            ["station_id", "date", "kind", "topic", "status", "citizens_received", "opinions_taken"],
            reception_days(),
        )

        categories = [
            ("roads", "道路交通"),
            ("water", "供水排水"),
            ("education", "教育"),
            ("health", "医疗卫生"),
            ("elderly", "养老服务"),
            ("environment", "生态环境"),
            ("housing", "住房物业"),
            ("other", "其他"),
        ]
        category_ids = []
        for order, (code, name) in enumerate(categories):
            category, _created = OpinionCategory.objects.get_or_create(
                code=code, defaults={"name": name, "sort_order": 10 * (order + 1)}
            )
            category_ids.append(category.pk)
        self.result.facts["category_id"] = category_ids[0]
        # The end of the seeded history: the Open311 scenario polls the day before it, so what it reads does not
        # grow with the work orders the benchmark itself pushes.
        self.result.facts["opinions_until"] = self.now.isoformat()

        total_opinions = self.n(1000000)
        station_cum = zipf_cum_weights(len(stations), 0.9)
        shuffled = rng.sample(stations, len(stations))
        statuses = ["handled"] * 55 + ["untriaged"] * 15 + ["proposal"] * 8 + ["hotline"] * 12 + ["unfeasible"] * 10
        # About one in eleven arrives from the 12345 hotline (Open311 publishes those): ~80 a day across the province.
        sources = ["qr"] * 6 + ["reception"] * 3 + ["paper", "hotline"]
        start = self.now - datetime.timedelta(days=3 * 365)
        span = int((self.now - start).total_seconds())
        opinion_texts = [
            "{p}路段路灯损坏多日，晚上出行不便，希望尽快修复。",
            "{p}小区雨污管网堵塞，下雨天污水倒灌，请有关部门处理。",
            "{p}学校门口上下学高峰拥堵，建议增设交通协管。",
            "{p}卫生院缺少儿科医生，孩子看病要跑很远。",
            "{p}老旧小区没有电梯，老年人上下楼困难，希望加装电梯。",
            "{p}河道有人倾倒垃圾，影响周边环境。",
        ]
        ids = self.ids(Opinion, total_opinions)

        def opinions():
            for oid in ids:
                st = shuffled[bisect.bisect_left(station_cum, rng.random() * station_cum[-1])]
                status = rng.choice(statuses)
                created = start + datetime.timedelta(seconds=rng.randrange(span))
                text = rng.choice(opinion_texts).format(p=self.region_by_id[st[1]][2])
                yield (
                    oid,
                    f"B{oid:011d}",
                    rng.choice(sources),
                    st[0],
                    st[1],
                    rng.choice(category_ids),
                    text + ("请相关部门重视。" * rng.randint(0, 6)),
                    person_name(rng) if rng.random() < 0.6 else "",
                    *protected_mobile(rng),
                    status,
                    "已转交相关部门处理并电话回复群众。" if status != "untriaged" else "",
                    created + datetime.timedelta(days=3) if status != "untriaged" else None,
                    created,
                )

        self.copy(
            "opinions",
            Opinion,
            [
                "id",
                "tracking_code",
                "source",
                "station_id",
                "region_id",
                "category_id",
                "content",
                "citizen_name",
                "mobile",
                "mobile_hash",
                "status",
                "outcome_note",
                "triaged_at",
                "created_at",
            ],
            opinions(),
        )

    # ------------------------------------------------------------------ logins and finishing

    def seed_logins(self):
        from django.contrib.auth.hashers import PBKDF2PasswordHasher

        from deputies.models import Deputy
        from liaison.models import User

        hasher = PBKDF2PasswordHasher()  # the bench server's hasher, whatever the seeding process's settings say
        password = hasher.encode(BENCH_PASSWORD, hasher.salt())
        city_seats = {}
        for _mid, _did, cid in self.seats:
            region = self.region_by_id[self.congress_region[cid]]
            parts = region[5].split("/")
            if len(parts) > 2:
                city_seats[parts[1]] = city_seats.get(parts[1], 0) + 1
        target = 10000 * self.scale
        city_code = min(city_seats, key=lambda code: abs(city_seats[code] - target))
        city = next(c for c in self.cities if c[1] == city_code)
        self.result.facts["roster_city"] = city[2]
        self.result.facts["roster_rows"] = city_seats[city_code]
        logins = {
            "bench_staff": {
                "role": "staff",
                "region_id": self.province[0],
                "is_staff": True,
                "display_name": "省人大联工委",
            },
            "bench_staff_city": {"role": "staff", "region_id": city[0], "is_staff": True, "display_name": city[2]},
            "bench_unit": {"role": "unit", "organization_id": self.busiest_unit, "display_name": "承办单位"},
            "bench_deputy": {"role": "deputy", "display_name": "代表"},
            "bench_manager": {"role": "station_manager", "region_id": self.townships[0][0], "display_name": "站长"},
        }
        for username, fields in logins.items():
            user, _created = User.objects.update_or_create(username=username, defaults={"password": password, **fields})
            self.result.logins[fields["role"] if username != "bench_staff_city" else "staff_city"] = username
        if hasattr(self, "stations"):
            from stations.models import Station

            Station.objects.get(pk=self.stations[0][0]).managers.set([User.objects.get(username="bench_manager")])
        deputy_user = User.objects.get(username="bench_deputy")
        Deputy.objects.filter(user=deputy_user).update(user=None)
        Deputy.objects.filter(pk=self.busiest_deputy).update(user=deputy_user)
        self.result.facts["deputy_proposals"] = self.result.facts.pop("busiest_deputy_proposals")

    def finish(self):
        from django.apps import apps

        started = time.monotonic()
        with self.connection.cursor() as cursor:
            for model in apps.get_models():
                pk = model._meta.pk
                auto = pk.get_internal_type() in ("AutoField", "BigAutoField")
                if auto and model._meta.managed and not model._meta.proxy:
                    reset_sequence(cursor, model)
            cursor.execute("ANALYZE")
        self.log(f"  sequences + ANALYZE      {time.monotonic() - started:18.1f} s")


def seed(scale=1.0, out=None):
    """Seed at ``scale`` into the default database and return a :class:`Seeded` summary."""
    from django.db import connection, transaction

    with transaction.atomic():
        _skip_foreign_key_checks()
        result = Seeder(scale=scale, out=out).run()
    if not connection.in_atomic_block:
        # As autovacuum would after a bulk load: the visibility map lets COUNT(*) use index-only scans.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        result.seconds["vacuum"] = time.monotonic() - started
        print(f"  VACUUM (ANALYZE)         {result.seconds['vacuum']:18.1f} s", file=out or sys.stdout, flush=True)
    return result


def _skip_foreign_key_checks():
    """The seeder writes consistent ids by construction; checking millions of deferred foreign keys at COMMIT took
    longer than the whole COPY. As a superuser (the bench's own server), switch the checks off for this
    transaction only (``SET LOCAL``); otherwise check them as each row arrives rather than all at COMMIT."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = seed(scale=args.scale)
    facts = {**result.facts, "logins": result.logins, "counts": result.counts, "seconds": result.seconds}
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-facts.json").write_text(json.dumps(facts, ensure_ascii=False, indent=1))
    print(json.dumps({k: v for k, v in facts.items() if k not in ("counts", "seconds")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
