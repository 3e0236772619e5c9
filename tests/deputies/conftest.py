"""Fixtures of the deputies tests: the demo congresses of two cities and roster files built in memory."""

import csv
import io

import openpyxl
import pytest

from deputies.models import Level
from deputies.resources import COLUMNS
from tests.factories import CongressFactory

HEADERS = [header for _key, header in COLUMNS]


@pytest.fixture
def congresses(regions):
    return {
        "zz": CongressFactory(region=regions["zhuzhou"], level=Level.CITY, term=16, name="株洲市第十六届人民代表大会"),
        "ty": CongressFactory(region=regions["tianyuan"], level=Level.COUNTY, term=5, name="天元区第五届人民代表大会"),
        "hy": CongressFactory(region=regions["hengyang"], level=Level.CITY, term=16, name="衡阳市第十六届人民代表大会"),
    }


def roster_row(**values):
    """A good roster row (as the header -> cell dict), with keyword overrides by header."""
    row = {
        "代表编号": "ZZ16-001",
        "姓名": "张建国",
        "性别": "男",
        "民族": "汉族",
        "出生日期": "1972-05-01",
        "党派": "中共党员",
        "学历": "大学",
        "职务职业": "社区党委书记",
        "工作单位": "天元区嵩山路街道",
        "界别": "基层",
        "人民代表大会": "株洲市第十六届人民代表大会",
        "原选举单位/选区": "天元区",
        "代表小组": "天元区代表小组",
        "代表专业小组": "财政经济、城建环资",
        "手机号": "13900000001",
        "状态": "在任",
        "终止日期": "",
        "终止原因": "",
    }
    row.update(values)
    return row


def xlsx_bytes(rows, headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue().encode("utf-8-sig")


def read_xlsx(content):
    """The rows of an exported workbook as header -> value dicts."""
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]
