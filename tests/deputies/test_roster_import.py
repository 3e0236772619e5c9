import datetime

import pytest
from import_export.formats.base_formats import CSV

from deputies.models import Deputy, DeputyGroup, Membership, ProfessionalGroup
from deputies.resources import RosterResource, RosterXLSX
from liaison.models import AuditLog
from tests.deputies.conftest import HEADERS, csv_bytes, roster_row, xlsx_bytes
from tests.factories import MembershipFactory


def run_import(user, content, *, fmt=RosterXLSX, dry_run=False):
    """The import as the admin runs it: the library's format reads the file, the resource imports the dataset."""
    file_format = fmt(encoding="utf-8-sig") if fmt is CSV else fmt()
    if fmt is CSV:
        content = content.decode("utf-8-sig")
    dataset = file_format.create_dataset(content)
    return RosterResource(user=user).import_data(dataset, dry_run=dry_run, raise_errors=False, user=user)


def errors_of(result):
    return {(row.number, column): reasons for row in result.invalid_rows for column, reasons in row.error_dict.items()}


def test_good_file_creates_people_seats_and_groups_on_demand(staff_zz, congresses):
    rows = [
        roster_row(),
        roster_row(
            **{"人民代表大会": "天元区第五届人民代表大会", "代表小组": "嵩山路街道代表小组", "代表专业小组": ""}
        ),
        roster_row(
            **{
                "代表编号": "ZZ16-002",
                "姓名": "李秀英",
                "性别": "女",
                "出生日期": datetime.date(1980, 3, 8),
                "手机号": 13900000002,
                "代表专业小组": "教育科学文化卫生, 财政经济",
            }
        ),
    ]
    result = run_import(staff_zz, xlsx_bytes(rows))

    assert not result.has_validation_errors()
    assert result.totals["new"] == 3
    zhang = Deputy.objects.get(code="ZZ16-001")
    assert (zhang.name, zhang.gender, zhang.birth_date, zhang.mobile) == (
        "张建国",
        "M",
        datetime.date(1972, 5, 1),
        "13900000001",
    )
    assert sorted(zhang.memberships.values_list("congress__name", "group__name")) == [
        ("天元区第五届人民代表大会", "嵩山路街道代表小组"),
        ("株洲市第十六届人民代表大会", "天元区代表小组"),
    ]
    li_seat = Membership.objects.get(deputy__code="ZZ16-002")
    assert li_seat.deputy.birth_date == datetime.date(1980, 3, 8)
    assert li_seat.deputy.mobile == "13900000002"
    assert sorted(li_seat.professional_groups.values_list("name", flat=True)) == ["教育科学文化卫生", "财政经济"]
    assert set(ProfessionalGroup.objects.values_list("congress__name", "name")) == {
        ("株洲市第十六届人民代表大会", "财政经济"),
        ("株洲市第十六届人民代表大会", "城建环资"),
        ("株洲市第十六届人民代表大会", "教育科学文化卫生"),
    }
    assert DeputyGroup.objects.count() == 2
    log = AuditLog.objects.get(action="roster.import")
    assert (log.actor, log.data["rows"], log.data["new"]) == (staff_zz, 3, 3)


def test_reimporting_the_same_file_updates_instead_of_duplicating(staff_zz, congresses):
    rows = [roster_row(), roster_row(**{"代表编号": "ZZ16-002", "姓名": "李秀英", "性别": "女"})]
    run_import(staff_zz, xlsx_bytes(rows))

    again = run_import(staff_zz, xlsx_bytes(rows))
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 2)

    rows[1]["工作单位"] = "株洲市第二中学"
    rows[1]["代表专业小组"] = "教育科学文化卫生"
    changed = run_import(staff_zz, xlsx_bytes(rows))
    assert (changed.totals["new"], changed.totals["update"], changed.totals["skip"]) == (0, 1, 1)
    assert Deputy.objects.count() == 2
    assert Membership.objects.count() == 2
    li = Membership.objects.get(deputy__code="ZZ16-002")
    assert li.deputy.workplace == "株洲市第二中学"
    assert list(li.professional_groups.values_list("name", flat=True)) == ["教育科学文化卫生"]


def test_preview_lists_every_bad_row_with_line_column_and_reason_and_nothing_is_written(staff_zz, congresses):
    rows = [
        roster_row(),  # line 2: good
        roster_row(**{"代表编号": "ZZ16-002", "性别": "未知"}),  # 3
        roster_row(**{"代表编号": "ZZ16-003", "出生日期": "1972-13-45"}),  # 4
        roster_row(**{"代表编号": "ZZ16-004", "人民代表大会": "株洲市第九十九届人民代表大会"}),  # 5
        roster_row(**{"代表编号": "ZZ16-005", "人民代表大会": "衡阳市第十六届人民代表大会"}),  # 6
        roster_row(**{"代表编号": "ZZ16-006", "手机号": "1390000"}),  # 7
        roster_row(**{"代表编号": "ZZ16-007", "姓名": ""}),  # 8
        roster_row(),  # 9: the seat of line 2 again
        roster_row(**{"代表编号": "ZZ16-009", "状态": "资格终止"}),  # 10
    ]
    for dry_run in (True, False):
        result = run_import(staff_zz, xlsx_bytes(rows), dry_run=dry_run)
        assert errors_of(result) == {
            (3, "性别"): ["性别应为“男”或“女”，不能是“未知”。"],
            (4, "出生日期"): ["日期“1972-13-45”无法识别，应写作 1970-01-31。"],
            (5, "人民代表大会"): ["没有名为“株洲市第九十九届人民代表大会”的人民代表大会。"],
            (6, "人民代表大会"): ["“衡阳市第十六届人民代表大会”不在您的管辖范围内，不能导入。"],
            (7, "手机号"): ["手机号“1390000”不是有效的 11 位手机号码。"],
            (8, "姓名"): ["必填项不能为空。"],
            (9, "代表编号"): ["与第 2 行重复：同一代表在同一人民代表大会只能有一行。"],
            (10, "终止日期"): ["资格终止的代表必须填写终止日期。"],
            (10, "终止原因"): ["资格终止的代表必须填写终止原因。"],
        }
        assert result.totals["invalid"] == 8
    assert Deputy.objects.count() == 0
    assert Membership.objects.count() == 0
    assert DeputyGroup.objects.count() == 0


def test_missing_required_column_is_reported_on_the_header_line(staff_zz, congresses):
    headers = [h for h in HEADERS if h != "性别"] + ["备注"]
    result = run_import(staff_zz, xlsx_bytes([roster_row()], headers=headers))
    assert errors_of(result) == {(1, "性别"): ["缺少必填列“性别”。"], (1, "备注"): ["无法识别的列“备注”。"]}
    assert Deputy.objects.count() == 0


def test_csv_file_imports_like_xlsx(staff_zz, congresses):
    result = run_import(staff_zz, csv_bytes([roster_row(**{"代表专业小组": "财政经济，农业农村"})]), fmt=CSV)
    assert not result.has_validation_errors()
    seat = Membership.objects.get()
    assert sorted(seat.professional_groups.values_list("name", flat=True)) == ["农业农村", "财政经济"]


def test_terminated_row_with_date_and_reason_imports_as_terminated(staff_zz, congresses):
    row = roster_row(**{"状态": "资格终止", "终止日期": "2024/03/01", "终止原因": "调离本行政区域"})
    assert not run_import(staff_zz, xlsx_bytes([row])).has_validation_errors()
    seat = Membership.objects.get()
    assert (seat.status, seat.terminated_on, seat.termination_reason) == (
        Membership.Status.TERMINATED,
        datetime.date(2024, 3, 1),
        "调离本行政区域",
    )
    back = run_import(staff_zz, xlsx_bytes([roster_row()]))
    assert errors_of(back) == {(2, "状态"): ["该代表资格已经终止，不能通过导入恢复为在任。"]}


def test_same_code_with_a_different_name_in_one_file_is_an_error(staff_zz, congresses):
    rows = [roster_row(), roster_row(**{"人民代表大会": "天元区第五届人民代表大会", "姓名": "张建华"})]
    result = run_import(staff_zz, xlsx_bytes(rows))
    assert errors_of(result) == {(3, "姓名"): ["与第 2 行同一代表编号的“姓名”不一致。"]}


def test_masked_mobile_of_an_exported_file_keeps_the_stored_number(staff_zz, congresses):
    run_import(staff_zz, xlsx_bytes([roster_row()]))
    result = run_import(staff_zz, xlsx_bytes([roster_row(**{"手机号": "139****0001", "学历": "研究生"})]))
    assert result.totals["update"] == 1
    assert Deputy.objects.get().mobile == "13900000001"
    wrong = run_import(staff_zz, xlsx_bytes([roster_row(**{"手机号": "138****0001"})]))
    assert errors_of(wrong) == {(2, "手机号"): ["手机号“138****0001”是脱敏号码，请填写完整号码。"]}


def test_existing_seat_of_another_region_is_untouched_when_a_person_gains_a_seat(staff_zz, staff_hy, congresses):
    MembershipFactory(congress=congresses["hy"], deputy__code="ZZ16-001", deputy__name="张建国")
    result = run_import(staff_zz, xlsx_bytes([roster_row()]))
    assert result.totals["new"] == 1
    assert sorted(Membership.objects.values_list("congress__name", flat=True)) == [
        "株洲市第十六届人民代表大会",
        "衡阳市第十六届人民代表大会",
    ]


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        ({"状态": "停职"}, "状态", "状态应为“在任”或“资格终止”，不能是“停职”。"),
        ({"出生日期": "2999-01-01"}, "出生日期", "出生日期不能晚于今天。"),
        ({"人民代表大会": ""}, "人民代表大会", "必填项不能为空。"),
        ({"终止日期": "2024-01-01"}, "终止日期", "状态为“在任”时不应填写终止日期和终止原因。"),
    ],
)
def test_single_bad_cell_is_named(staff_zz, congresses, values, column, reason):
    result = run_import(staff_zz, xlsx_bytes([roster_row(**values)]))
    assert errors_of(result) == {(2, column): [reason]}
