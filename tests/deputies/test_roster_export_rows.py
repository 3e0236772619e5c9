"""The roster export's rows (deputies.exports): the same cells as the library's row-by-row export, in the .xlsx
download, the CSV stream and the background job alike, scoped to the clerk's region, with a fixed number of
queries however many seats there are."""

import csv
import datetime
import io

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from python_calamine import CalamineWorkbook

from deputies import exports, selectors
from deputies.jobs import deputy_roster
from deputies.models import DeputyGroup, Membership, ProfessionalGroup
from deputies.resources import RosterResource
from liaison.models import AuditLog
from liaison.xlsx import workbook_file
from tests.deputies.conftest import HEADERS
from tests.factories import MembershipFactory
from tests.security.helpers import password_just_entered

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIZES = [5, 200]

# The seats of ``roster`` below, as every export must show them (株洲市 congress first, then 天元区, by name).
EXPECTED = [
    [
        "ZZ16-001",
        "张建国",
        "男",
        "汉族",
        "1972-05-01",
        "中共党员",
        "大学",
        "社区党委书记",
        "天元区嵩山路街道",
        "基层",
        "株洲市第十六届人民代表大会",
        "天元区",
        "天元区代表小组",
        "城建环资、财政经济",
        "139****0001",
        "在任",
        "",
        "",
    ],
    [
        "ZZ16-002",
        "李秀英",
        "女",
        "回族",
        "",
        "",
        "",
        "",
        "",
        "",
        "株洲市第十六届人民代表大会",
        "",
        "",
        "",
        "",
        "资格终止",
        "2024-01-02",
        "调离本行政区域",
    ],
    [
        "ZZ16-001",
        "张建国",
        "男",
        "汉族",
        "1972-05-01",
        "中共党员",
        "大学",
        "社区党委书记",
        "天元区嵩山路街道",
        "基层",
        "天元区第五届人民代表大会",
        "嵩山路街道",
        "",
        "教科文卫",
        "139****0001",
        "在任",
        "",
        "",
    ],
]


@pytest.fixture
def roster(congresses):
    """Two seats of one deputy (城市 and 区), a terminated seat with empty optional cells, and a 衡阳 seat."""
    zz, ty, hy = congresses["zz"], congresses["ty"], congresses["hy"]
    zhang = MembershipFactory(
        congress=zz,
        electoral_unit="天元区",
        group=DeputyGroup.objects.create(congress=zz, name="天元区代表小组"),
        deputy__code="ZZ16-001",
        deputy__name="张建国",
        deputy__gender="M",
        deputy__birth_date=datetime.date(1972, 5, 1),
        deputy__party="中共党员",
        deputy__education="大学",
        deputy__occupation="社区党委书记",
        deputy__workplace="天元区嵩山路街道",
        deputy__sector="基层",
        deputy__mobile="13900000001",
    )
    zhang.professional_groups.set(
        [
            ProfessionalGroup.objects.create(congress=zz, name="财政经济"),
            ProfessionalGroup.objects.create(congress=zz, name="城建环资"),
        ]
    )
    MembershipFactory(
        congress=zz,
        electoral_unit="",
        status=Membership.Status.TERMINATED,
        terminated_on=datetime.date(2024, 1, 2),
        termination_reason="调离本行政区域",
        deputy__code="ZZ16-002",
        deputy__name="李秀英",
        deputy__gender="F",
        deputy__ethnicity="回族",
        deputy__mobile="",
    )
    district = MembershipFactory(congress=ty, deputy=zhang.deputy, electoral_unit="嵩山路街道")
    district.professional_groups.set([ProfessionalGroup.objects.create(congress=ty, name="教科文卫")])
    hy_seat = MembershipFactory(congress=hy, deputy__name="衡阳代表", deputy__code="HY16-001")
    hy_seat.professional_groups.set([ProfessionalGroup.objects.create(congress=hy, name="财政经济")])
    return congresses


def xlsx_rows(content):
    """Every row of the first sheet as strings, read by calamine (the reader of our own import)."""
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.to_python(skip_empty_area=False)]


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def export(client, **params):
    password_just_entered(client)
    return client.get(reverse("deputies:roster_export"), params)


def test_rows_are_the_cells_of_the_row_by_row_resource_export(roster, staff_zz):
    queryset = selectors.membership_list(user=staff_zz)
    library = RosterResource(user=staff_zz).export(queryset=queryset)

    rows = list(exports.roster_rows(queryset))

    assert exports.HEADERS == HEADERS == library.headers
    assert rows == [tuple(row) for row in library]
    assert [list(row) for row in rows] == EXPECTED


def test_professional_groups_stay_with_their_seat_across_chunks(roster, staff_zz, django_assert_num_queries):
    queryset = selectors.membership_list(user=staff_zz)
    with django_assert_num_queries(3):  # the seats, then the professional groups of each of the two chunks
        chunks = list(exports.roster_row_chunks(queryset, chunk_size=2))
    assert [len(chunk) for chunk in chunks] == [2, 1]
    assert [list(row) for chunk in chunks for row in chunk] == EXPECTED


def test_xlsx_download_has_the_expected_cells_in_a_streamed_file(client, roster, staff_zz):
    client.force_login(staff_zz)
    response = export(client)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == content_disposition_header(
        True, f"代表名册-{timezone.localdate().isoformat()}.xlsx"
    )
    content = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(content)
    assert xlsx_rows(content) == [HEADERS, *EXPECTED]
    audit = AuditLog.objects.get(action="roster.export", actor=staff_zz)
    assert audit.data == {"rows": 3, "filters": {}}


def test_csv_stream_has_the_expected_cells(client, roster, staff_zz):
    client.force_login(staff_zz)
    response = export(client, format="csv", status="terminated")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response) == [HEADERS, EXPECTED[1]]
    audit = AuditLog.objects.get(action="roster.export", actor=staff_zz)
    assert audit.data == {"rows": 1, "format": "csv", "filters": {"status": "terminated"}}


def test_background_job_writes_the_same_cells(roster, staff_zz):
    class Reporter:
        def __init__(self):
            self.calls = []

        def __call__(self, done, total=None, message=""):
            self.calls.append((done, total, str(message)))

        def counting(self, rows, total):
            yield from rows
            self.calls.append(("counted", total, ""))

    reporter = Reporter()
    result = deputy_roster(user=staff_zz, params=QueryDict("level=3"), report=reporter)

    assert result.filename == f"代表名册-{timezone.localdate().isoformat()}.xlsx"
    assert result.content_type == XLSX_TYPE
    assert xlsx_rows(result.content) == [HEADERS, *EXPECTED[:2]]  # the city congress only (level 3)
    assert reporter.calls == [(0, 2, "正在读取名册"), ("counted", 2, ""), (2, 2, "正在生成文件")]
    audit = AuditLog.objects.get(action="roster.export", actor=staff_zz)
    assert audit.data == {"rows": 2, "filters": {"level": 3}, "background": True}  # parsed, not raw


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_city_clerk_never_gets_another_citys_seats(client, roster, staff_zz, staff_hy, fmt):
    params = {"format": "csv"} if fmt == "csv" else {}

    def names(response):
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(b"".join(response.streaming_content))
        return [row[1] for row in rows[1:]]

    client.force_login(staff_zz)
    assert names(export(client, **params)) == ["张建国", "李秀英", "张建国"]
    assert names(export(client, congress=roster["hy"].pk, **params)) == []
    assert names(export(client, q="HY16-001", **params)) == []
    client.force_login(staff_hy)
    assert names(export(client, **params)) == ["衡阳代表"]


def seats(congress, count):
    groups = [ProfessionalGroup.objects.create(congress=congress, name=f"专业小组{i}") for i in range(3)]
    memberships = MembershipFactory.create_batch(count, congress=congress, deputy__mobile="13812345678")
    through = Membership.professional_groups.through
    through.objects.bulk_create(
        [through(membership_id=m.pk, professionalgroup_id=g.pk) for m in memberships for g in groups[: m.pk % 3]]
    )


@pytest.mark.parametrize("rows", SIZES)
def test_xlsx_download_runs_a_fixed_number_of_queries(client, congresses, staff_zz, rows, django_assert_num_queries):
    seats(congresses["zz"], rows)
    client.force_login(staff_zz)
    password_just_entered(client)
    client.get(reverse("deputies:roster"))  # session bookkeeping happens once, outside the count

    # the verified TOTP device (django-otp's middleware, as production with STAFF_REQUIRE_OTP), the seats, their
    # professional groups, the audit row; the session and the user come from Redis (liaison.sessions, liaison.auth)
    with django_assert_num_queries(4):
        response = client.get(reverse("deputies:roster_export"))
        content = b"".join(response.streaming_content)
    assert len(xlsx_rows(content)) == rows + 1


@pytest.mark.parametrize("rows", SIZES)
def test_csv_stream_runs_a_fixed_number_of_queries(client, congresses, staff_zz, rows, django_assert_num_queries):
    seats(congresses["zz"], rows)
    client.force_login(staff_zz)
    password_just_entered(client)
    client.get(reverse("deputies:roster"))

    # the verified TOTP device, the count for the audit row, the audit row, the seats, their groups (the session and
    # the user come from Redis)
    with django_assert_num_queries(5):
        response = client.get(reverse("deputies:roster_export"), {"format": "csv"})
        lines = csv_rows(response)
    assert len(lines) == rows + 1


def test_workbook_file_moves_a_large_workbook_to_disk_and_rewinds_it():
    rows = ([f"代表{i}", "138****5678", "2024-01-02"] for i in range(3000))

    file, written = workbook_file("代表名册", ["姓名", "手机号", "日期"], rows, max_memory=10_000)

    with file:
        assert written == 3000
        assert file._rolled  # past max_memory the workbook lives in a temporary file, not in the worker
        assert file.tell() == 0
        sheet = xlsx_rows(file.read())
    assert sheet[0] == ["姓名", "手机号", "日期"]
    assert sheet[-1] == ["代表2999", "138****5678", "2024-01-02"]
    assert len(sheet) == 3001
