#!/usr/bin/env python
"""Benchmark: import a generated roster of N rows (default 10,000) through the admin, as staff do.

    eval "$(scripts/services.sh start /tmp/bench)"
    .venv/bin/python manage.py migrate
    .venv/bin/python scripts/bench_import.py [--rows 10000]
    scripts/services.sh stop /tmp/bench

It writes a realistic .xlsx (Chinese names, several congresses of one city and its districts, some deputies
holding two seats, professional groups, mobiles), then runs the admin's two steps through Django's test client:
the upload with its preview (dry run) and the confirmation that writes. A second upload of the same file
measures the idempotent re-import (every row unchanged). It prints rows, seconds and rows per second, and removes
the generated rows afterwards (``--keep`` leaves them).
"""

import argparse
import datetime
import io
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # lets the test client see the admin's template context (the confirmation form)

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from deputies.models import Congress, Deputy, DeputyGroup, Level, Membership, ProfessionalGroup  # noqa: E402
from deputies.resources import COLUMNS  # noqa: E402
from liaison.models import Region, User  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国秀英志强海燕卫东丽华国平春梅文斌志明红霞伟明晓峰桂兰玉珍德胜立新永红少华爱民家豪思远雨欣梓涵浩然俊杰"
PARTIES = ["中共党员"] * 7 + ["群众", "民盟盟员", "九三学社社员", "民进会员", "无党派人士"]
EDUCATION = ["大学", "研究生", "大专", "高中", "中专"]
JOBS = [
    ("村党支部书记", "{town}"),
    ("社区主任", "{town}社区居委会"),
    ("教师", "{district}第一中学"),
    ("医生", "{district}人民医院"),
    ("工程师", "中车株洲电力机车有限公司"),
    ("个体工商户", "{town}"),
    ("企业负责人", "{district}某农业合作社"),
    ("公务员", "{district}人民政府"),
]
SECTORS = ["工人", "农民", "专业技术人员", "党政干部", "企业负责人", "基层", "解放军"]
PRO_GROUPS = ["财政经济", "教育科学文化卫生", "城建环资", "农业农村", "立法", "社会建设"]
DISTRICTS = [
    ("430202", "荷塘区"),
    ("430203", "芦淞区"),
    ("430204", "石峰区"),
    ("430211", "天元区"),
    ("430212", "渌口区"),
]
PREFIX = "BENCH-"


def setup_scope():
    """A city, its districts, their congresses and a staff user of the city."""
    province, _ = Region.objects.get_or_create(code="430000", defaults={"name": "湖南省", "level": 1})
    city, _ = Region.objects.get_or_create(code="430200", defaults={"name": "株洲市", "level": 2, "parent": province})
    congresses = [
        Congress.objects.get_or_create(
            region=city, level=Level.CITY, term=16, defaults={"name": "株洲市第十六届人民代表大会"}
        )[0]
    ]
    for code, name in DISTRICTS:
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "level": 3, "parent": city})
        congresses.append(
            Congress.objects.get_or_create(
                region=region, level=Level.COUNTY, term=5, defaults={"name": f"{name}第五届人民代表大会"}
            )[0]
        )
    staff, created = User.objects.get_or_create(
        username="bench_staff", defaults={"role": "staff", "region": city, "is_staff": True, "display_name": "基准测试"}
    )
    return staff, congresses


def generate(rows, congresses, seed=2024):
    """Rows as lists in the file's column order: about 10% of people hold a second (city) seat."""
    rng = random.Random(seed)
    headers = [header for _key, header in COLUMNS]
    out = []
    person = 0
    while len(out) < rows:
        person += 1
        district_index = rng.randrange(len(DISTRICTS))
        district = DISTRICTS[district_index][1]
        town = f"{district}{rng.choice('东西南北中')}{rng.choice(['街道', '镇'])}"
        job, place = rng.choice(JOBS)
        common = [
            f"{PREFIX}{person:06d}",
            rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
            rng.choice(["男", "女"]),
            rng.choice(["汉族"] * 9 + ["土家族", "苗族", "瑶族"]),
            datetime.date(1960 + rng.randrange(40), rng.randrange(1, 13), rng.randrange(1, 29)),
            rng.choice(PARTIES),
            rng.choice(EDUCATION),
            job,
            place.format(town=town, district=district),
            rng.choice(SECTORS),
        ]
        mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        seats = [congresses[1 + district_index]]
        if rng.random() < 0.1:
            seats.append(congresses[0])
        for congress in seats:
            if len(out) == rows:
                break
            out.append(
                [
                    *common,
                    congress.name,
                    town,
                    f"{town}代表小组",
                    "、".join(rng.sample(PRO_GROUPS, rng.randrange(0, 3))),
                    mobile,
                    "在任",
                    "",
                    "",
                ]
            )
    return headers, out


def write_xlsx(headers, rows):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("代表名册")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def admin_import(client, content):
    """The admin's two steps; returns (preview seconds, confirm seconds, totals message)."""
    started = time.perf_counter()
    preview = client.post(
        "/admin/deputies/membership/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("名册.xlsx", content)},
    )
    previewed = time.perf_counter()
    if preview.status_code != 200 or not preview.context.get("confirm_form"):
        result = preview.context.get("result") if preview.context else None
        bad = result.invalid_rows[:5] if result else []
        raise SystemExit(f"preview refused the file: status {preview.status_code}, first errors {bad}")
    confirm = preview.context["confirm_form"]
    response = client.post(
        "/admin/deputies/membership/process_import/", {name: confirm.initial.get(name, "") for name in confirm.fields}
    )
    finished = time.perf_counter()
    if response.status_code != 302:
        raise SystemExit(f"confirmation failed: status {response.status_code}")
    totals = preview.context["result"].totals
    return previewed - started, finished - previewed, dict(totals)


def cleanup(congresses):
    Membership.professional_groups.through.objects.filter(membership__deputy__code__startswith=PREFIX).delete()
    Membership.objects.filter(deputy__code__startswith=PREFIX).delete()
    Deputy.objects.filter(code__startswith=PREFIX).delete()
    DeputyGroup.objects.filter(congress__in=congresses, memberships__isnull=True).delete()
    ProfessionalGroup.objects.filter(congress__in=congresses, memberships__isnull=True).delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="leave the imported rows in the database")
    args = parser.parse_args()

    staff, congresses = setup_scope()
    cleanup(congresses)
    headers, rows = generate(args.rows, congresses)
    content = write_xlsx(headers, rows)
    client = Client()
    client.force_login(staff)

    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    print(f"machine: {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores")
    print(f"file: {len(rows)} rows, {len(content) / 1024:.0f} KiB .xlsx")
    preview_s, commit_s, totals = admin_import(client, content)
    total_s = preview_s + commit_s
    print(f"first import : preview {preview_s:.1f} s + confirm {commit_s:.1f} s = {total_s:.1f} s", end="")
    print(f" ({len(rows) / total_s:.0f} rows/s); new {totals['new']}, updated {totals['update']}")
    assert Membership.objects.filter(deputy__code__startswith=PREFIX).count() == len(rows)
    preview_s, commit_s, totals = admin_import(client, content)
    again_s = preview_s + commit_s
    print(f"re-import    : preview {preview_s:.1f} s + confirm {commit_s:.1f} s = {again_s:.1f} s", end="")
    print(f" ({len(rows) / again_s:.0f} rows/s); unchanged {totals['skip']}, new {totals['new']}")
    assert Membership.objects.filter(deputy__code__startswith=PREFIX).count() == len(rows)
    print(f"RESULT rows={len(rows)} seconds={total_s:.1f} rows_per_s={len(rows) / total_s:.0f}")
    if not args.keep:
        cleanup(congresses)


if __name__ == "__main__":
    main()
