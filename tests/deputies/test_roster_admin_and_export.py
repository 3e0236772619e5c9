"""The roster through the admin (import preview, confirm, export with filters) and the staff page export."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import Deputy, Membership
from liaison.models import AuditLog
from tests.deputies.conftest import read_xlsx, roster_row, xlsx_bytes
from tests.factories import MembershipFactory
from tests.security.helpers import password_just_entered

IMPORT_URL = "/admin/deputies/membership/import/"
EXPORT_URL = "/admin/deputies/membership/export/"
ALL_EXPORT_FIELDS = {
    f"rosterresource_{key}": "on"
    for key in [
        "code",
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "party",
        "education",
        "occupation",
        "workplace",
        "sector",
        "congress",
        "electoral_unit",
        "group",
        "professional_groups",
        "mobile",
        "status",
        "terminated_on",
        "termination_reason",
    ]
}


def download(response):
    """The body of the page's export, which streams from a temporary file."""
    assert response.streaming
    return b"".join(response.streaming_content)


def upload(client, content, name="名册.xlsx"):
    return client.post(
        IMPORT_URL,
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile(name, content)},
    )


def test_admin_preview_shows_every_bad_row_and_writes_nothing(client, staff_zz, congresses):
    client.force_login(staff_zz)
    bad = [
        roster_row(**{"性别": "X"}),
        roster_row(**{"代表编号": "ZZ16-002", "人民代表大会": "衡阳市第十六届人民代表大会"}),
    ]
    response = upload(client, xlsx_bytes(bad))

    assert response.status_code == 200
    page = response.content.decode()
    assert "文件中有 2 行数据有误，未导入任何数据" in page
    assert "第 2 行" in page and "性别应为“男”或“女”，不能是“X”。" in page
    assert "第 3 行" in page and "“衡阳市第十六届人民代表大会”不在您的管辖范围内，不能导入。" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Deputy.objects.count() == 0


def test_admin_preview_then_confirm_imports_and_reimport_does_not_duplicate(client, staff_zz, congresses):
    client.force_login(staff_zz)
    content = xlsx_bytes([roster_row(), roster_row(**{"代表编号": "ZZ16-002", "姓名": "李秀英", "性别": "女"})])
    for expected_new in (2, 0):
        preview = upload(client, content)
        assert preview.status_code == 200
        assert Membership.objects.count() == (0 if expected_new else 2)  # the preview writes nothing
        confirm = preview.context["confirm_form"]
        response = client.post(
            "/admin/deputies/membership/process_import/",
            {name: confirm.initial.get(name, "") for name in confirm.fields},
        )
        assert response.status_code == 302
        assert Membership.objects.count() == 2
        assert AuditLog.objects.filter(action="roster.import").order_by("pk").last().data.get("new", 0) == expected_new
    assert Deputy.objects.count() == 2


def test_admin_export_honours_the_changelist_filters_and_masks_mobiles(client, staff_zz, congresses):
    MembershipFactory(congress=congresses["zz"], deputy__name="在任甲", deputy__mobile="13812345678")
    MembershipFactory(
        congress=congresses["zz"],
        deputy__name="终止乙",
        status=Membership.Status.TERMINATED,
        terminated_on="2024-01-02",
        termination_reason="辞职",
    )
    client.force_login(staff_zz)
    response = client.post(
        f"{EXPORT_URL}?status__exact=in_office", {"format": "0", "resource": "0", **ALL_EXPORT_FIELDS}
    )
    assert response.status_code == 200
    rows = read_xlsx(response.content)
    assert [(r["姓名"], r["手机号"], r["状态"]) for r in rows] == [("在任甲", "138****5678", "在任")]


def test_staff_cannot_export_another_citys_deputies_from_admin_or_page(client, staff_zz, congresses):
    MembershipFactory(congress=congresses["zz"], deputy__name="株洲代表")
    MembershipFactory(congress=congresses["hy"], deputy__name="衡阳代表")
    client.force_login(staff_zz)

    admin_rows = read_xlsx(client.post(EXPORT_URL, {"format": "0", "resource": "0", **ALL_EXPORT_FIELDS}).content)
    assert [r["姓名"] for r in admin_rows] == ["株洲代表"]
    asked_for_hy = f"{EXPORT_URL}?congress__id__exact={congresses['hy'].pk}"
    response = client.post(asked_for_hy, {"format": "0", "resource": "0", **ALL_EXPORT_FIELDS})
    assert response.status_code == 200
    assert "衡阳代表" not in [r["姓名"] for r in read_xlsx(response.content)]

    password_just_entered(client)
    page_rows = read_xlsx(download(client.get(reverse("deputies:roster_export"))))
    assert [r["姓名"] for r in page_rows] == ["株洲代表"]
    hy_rows = read_xlsx(download(client.get(reverse("deputies:roster_export"), {"congress": congresses["hy"].pk})))
    assert hy_rows == []


def test_roster_page_export_link_uses_the_page_filters(client, staff_zz, congresses):
    MembershipFactory(congress=congresses["zz"], deputy__name="市代表", deputy__mobile="13912345678")
    MembershipFactory(congress=congresses["ty"], deputy__name="区代表")
    client.force_login(staff_zz)

    page = client.get(reverse("deputies:roster"), {"congress": congresses["zz"].pk, "page": "1"})
    html = page.content.decode()  # the export runs in the background with the page's filters (liaison.jobs)
    assert 'action="/notifications/jobs/start/deputies.roster/"' in html
    assert f'name="query" value="congress={congresses["zz"].pk}"' in html

    password_just_entered(client)
    response = client.get(reverse("deputies:roster_export"), {"congress": congresses["zz"].pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(download(response))
    assert [(r["姓名"], r["手机号"], r["人民代表大会"]) for r in rows] == [
        ("市代表", "139****5678", "株洲市第十六届人民代表大会")
    ]
    assert AuditLog.objects.filter(action="roster.export", actor=staff_zz).count() == 1


def test_exported_roster_reimports_without_changes(client, staff_zz, congresses):
    client.force_login(staff_zz)
    content = xlsx_bytes([roster_row(), roster_row(**{"人民代表大会": "天元区第五届人民代表大会"})])
    preview = upload(client, content)
    confirm = preview.context["confirm_form"]
    client.post("/admin/deputies/membership/process_import/", {n: confirm.initial.get(n, "") for n in confirm.fields})

    password_just_entered(client)
    exported = download(client.get(reverse("deputies:roster_export")))
    again = upload(client, exported, name="导出.xlsx")
    assert again.status_code == 200
    assert "共 0 行新增，0 行更新，2 行无变化" in again.content.decode()


def test_scoping_zhuzhou_staff_cannot_see_hengyang_deputies_on_page_or_api(client, staff_zz, congresses):
    MembershipFactory(congress=congresses["zz"], deputy__name="株洲代表")
    hy = MembershipFactory(congress=congresses["hy"], deputy__name="衡阳代表")
    client.force_login(staff_zz)

    page = client.get(reverse("deputies:roster")).content.decode()
    assert "株洲代表" in page and "衡阳代表" not in page
    api = client.get("/api/v1/memberships/").json()
    assert [row["name"] for row in api["results"]] == ["株洲代表"]
    assert [row["name"] for row in client.get("/api/v1/deputies/").json()["results"]] == ["株洲代表"]
    assert client.get(f"/api/v1/memberships/{hy.pk}/").status_code == 404
    assert client.get(f"/api/v1/deputies/{hy.deputy_id}/").status_code == 404
    assert client.get(f"/admin/deputies/membership/{hy.pk}/change/").status_code == 302  # "does not exist" redirect
    assert client.get(reverse("deputies:ranking", args=[congresses["hy"].pk])).status_code == 404


def test_import_page_lists_the_chinese_columns(client, staff_zz, congresses):
    client.force_login(staff_zz)
    page = client.get(IMPORT_URL).content.decode()
    for header in ("代表编号", "人民代表大会", "原选举单位/选区", "代表专业小组", "终止原因"):
        assert header in page
