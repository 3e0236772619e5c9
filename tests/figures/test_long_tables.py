"""A figure table with more rows than a page can show (a province has ~1,700 units with overdue work): the page,
its chart and the report show the first rows and say how many more the download holds; the .xlsx has them all."""

import io

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook

from reports.figures.tables import Table, table_xlsx


def _units(n):
    return Table(
        "overdue_units",
        "逾期未办结（按承办单位）",
        ["承办单位", "逾期件数"],
        [[f"单位{i:02d}", 100 - i] for i in range(n)],
        chart="hbar",
        limit=20,
    )


def test_page_chart_and_note_show_the_first_rows_of_a_long_table():
    table = _units(25)
    assert [row[0] for row in table.shown_rows] == [f"单位{i:02d}" for i in range(20)]
    assert table.more_rows == 5
    assert table.chart_spec()["categories"] == [f"单位{i:02d}" for i in range(20)]
    with translation.override("zh-hans"):
        html = render_to_string("dashboard/_table.html", {"table": table})
        assert table.limit_note == "显示前 20 行（共 25 行），完整数据请下载表格。"
    assert html.count("<tr>") == 1 + 20  # the heading and twenty rows
    assert "单位19" in html and "单位20" not in html
    assert "显示前 20 行（共 25 行），完整数据请下载表格。" in html


def test_download_holds_every_row():
    sheet = load_workbook(io.BytesIO(table_xlsx(_units(25), heading="株洲市 · 2024年"))).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [f"单位{i:02d}" for i in range(25)]


def test_a_short_table_shows_everything_and_no_note():
    table = _units(12)
    assert table.more_rows == 0 and table.limit_note == ""
    html = render_to_string("dashboard/_table.html", {"table": table})
    assert html.count("<tr>") == 13 and "完整数据" not in html
