"""The .xlsx writer of the exports: what goes in comes back out, through openpyxl and through calamine (the
reader our own imports use), with Chinese text, dates, numbers, empty cells and hostile characters."""

import datetime  # naive datetimes on purpose: a spreadsheet cell has no zone
import decimal
import io

import openpyxl
from python_calamine import CalamineWorkbook

from liaison.xlsx import workbook_bytes

ROWS = [
    ["张建国", datetime.date(1968, 3, 1), 12, decimal.Decimal("3.50"), True],
    ['A&B <公司> "引号"', None, 0, 2.25, False],
    ["控制符\x07\x1b被去掉", datetime.datetime(2024, 6, 18, 9, 30), "", None, "=1+1"],  # noqa: DTZ001,
]


def test_a_workbook_reads_back_the_same_in_openpyxl():
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes("代表名册", ["姓名", "出生日期", "数", "分", "是否"], ROWS))
    )
    sheet = book.active
    assert sheet.title == "代表名册"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["姓名", "出生日期", "数", "分", "是否"]
    assert all(c.font.b for c in sheet[1]) and not sheet["A2"].font.b
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == ["张建国", datetime.datetime(1968, 3, 1), 12, 3.5, True]  # noqa: DTZ001
    assert rows[1] == ['A&B <公司> "引号"', None, 0, 2.25, False]
    assert rows[2][0] == "控制符被去掉"
    assert rows[2][1] == datetime.datetime(2024, 6, 18, 9, 30)  # noqa: DTZ001
    assert rows[2][4] == "=1+1"  # text, never a formula
    assert sheet["B2"].number_format == "yyyy-mm-dd"


def test_a_workbook_reads_back_in_calamine():
    content = workbook_bytes("台账", ["编号", "日期"], [["430200-2024-00001", datetime.date(2024, 6, 18)]] * 3)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["编号", "日期"]
    assert rows[1:] == [["430200-2024-00001", datetime.date(2024, 6, 18)]] * 3


def test_sheet_names_are_cut_to_excels_limit_and_escaped():
    content = workbook_bytes("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", ["a"], [])
    assert len(openpyxl.load_workbook(io.BytesIO(content)).active.title) == 31
    assert openpyxl.load_workbook(io.BytesIO(workbook_bytes("A&B", ["a"], []))).active.title == "A&B"


def test_wide_rows_beyond_z_get_the_right_column_letters():
    content = workbook_bytes("宽表", [f"c{i}" for i in range(30)], [list(range(30))])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["Z2"].value == 25 and sheet["AA2"].value == 26 and sheet["AD1"].value == "c29"
