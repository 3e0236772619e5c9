"""Staff import a roster through the admin in Chromium: a bad file shows every bad row, a good file lands."""

import pytest

from deputies.models import Level, Membership
from tests.conftest import login
from tests.deputies.conftest import roster_row, xlsx_bytes
from tests.factories import CongressFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_file_and_submit(page, path):
    page.set_input_files("input[name=import_file]", str(path))
    page.select_option("select[name=format]", label="xlsx")
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")


def test_staff_imports_a_bad_roster_sees_row_errors_then_imports_a_good_one(page, live_server, regions, tmp_path):
    CongressFactory(region=regions["zhuzhou"], level=Level.CITY, term=16, name="株洲市第十六届人民代表大会")
    CongressFactory(region=regions["hengyang"], level=Level.CITY, term=16, name="衡阳市第十六届人民代表大会")
    UserFactory(username="staff_zz", role="staff", region=regions["zhuzhou"], is_staff=True)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx_bytes(
            [
                roster_row(),
                roster_row(**{"代表编号": "ZZ16-002", "姓名": "李秀英", "性别": "不详"}),
                roster_row(**{"代表编号": "ZZ16-003", "姓名": "王志强", "人民代表大会": "衡阳市第十六届人民代表大会"}),
                roster_row(**{"代表编号": "ZZ16-004", "姓名": "刘海燕", "手机号": "12345"}),
            ]
        )
    )
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes([roster_row(), roster_row(**{"代表编号": "ZZ16-002", "姓名": "李秀英", "性别": "女"})]))

    login(page, live_server, "staff_zz")
    page.goto(f"{live_server.url}/admin/deputies/membership/")
    page.click("a.import_link")
    choose_file_and_submit(page, bad)

    errors = page.locator("[data-testid=import-errors] tbody tr")
    assert errors.count() == 3
    rows = [errors.nth(i).inner_text().split("\t") for i in range(3)]
    assert [cells[:3] for cells in rows] == [
        ["第 3 行", "性别", "性别应为“男”或“女”，不能是“不详”。"],
        ["第 4 行", "人民代表大会", "“衡阳市第十六届人民代表大会”不在您的管辖范围内，不能导入。"],
        ["第 5 行", "手机号", "手机号“12345”不是有效的 11 位手机号码。"],
    ]
    assert "文件中有 3 行数据有误，未导入任何数据" in page.content()
    assert page.locator("input[name=confirm]").count() == 0
    assert Membership.objects.count() == 0

    choose_file_and_submit(page, good)
    assert "共 2 行新增，0 行更新，0 行无变化" in page.locator("[data-testid=import-totals]").inner_text()
    page.click("input[name=confirm]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/admin/deputies/membership/")
    changelist = page.locator("#result_list").inner_text()
    assert "张建国" in changelist and "李秀英" in changelist
    assert "139****0001" in changelist

    page.goto(f"{live_server.url}/deputies/roster/")
    roster = page.locator("table").inner_text()
    assert "张建国" in roster and "李秀英" in roster
    page.screenshot(path=str(tmp_path / "roster.png"), full_page=True)
