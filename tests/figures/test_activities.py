"""The activities figures (issue 20): 代表小组活动次数 and 活动参加人次, per region and period, on the dashboard, in
the yearly report and its PDF; another region's activities are never counted."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from activities.models import Activity, Attendance
from activities.selectors import figure_activities
from reports.figures import selectors
from reports.figures.period import Period
from tests.factories import CongressFactory, MembershipFactory
from tests.figures.conftest import at

pytestmark = pytest.mark.django_db
Q = "?period=year&year=2024"
K = Activity.Kind


def activity(congress, when, *, kind=K.GROUP, status=Activity.Status.CLOSED, present=0):
    row = Activity.objects.create(
        congress=congress,
        kind=kind,
        title=f"{congress.name}活动",
        place="会议室",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        status=status,
    )
    for _ in range(present):
        seat = MembershipFactory(congress=congress)
        Attendance.objects.create(activity=row, membership=seat, signed_in_at=when, how=Attendance.How.STAFF)
    return row


@pytest.fixture
def done(regions):
    """2024: 株洲市 congress — 2 group activities held (3 + 2 present), 1 inspection (4), 1 group cancelled (1 signed
    in before it was called off) and 1 still planned; 天元区 congress — 1 group activity (2), 2023 another one (5);
    衡阳市 congress — 2 group activities (7 + 1)."""
    zz = CongressFactory(region=regions["zhuzhou"], level=3, term=16, name="株洲市第十六届人民代表大会")
    ty = CongressFactory(region=regions["tianyuan"], level=4, term=5, name="天元区第五届人民代表大会")
    hy = CongressFactory(region=regions["hengyang"], level=3, term=16, name="衡阳市第十六届人民代表大会")
    activity(zz, at(2024, 3, 5), present=3)
    activity(zz, at(2024, 9, 10), status=Activity.Status.HELD, present=2)
    activity(zz, at(2024, 5, 20), kind=K.INSPECTION, present=4)
    activity(zz, at(2024, 6, 1), status=Activity.Status.CANCELLED, present=1)
    activity(zz, at(2024, 12, 30), status=Activity.Status.PLANNED)
    activity(ty, at(2024, 4, 2), present=2)
    activity(ty, at(2023, 11, 2), present=5)
    activity(hy, at(2024, 4, 8), present=7)
    activity(hy, at(2024, 10, 8), present=1)
    return {"zz": zz, "ty": ty, "hy": hy}


@pytest.fixture
def staff_client(client, staff_zz):
    client.force_login(staff_zz)
    return client


def figures(region, period, congress=None):
    return selectors.compute_figures(region=region, congress=congress, period=period)["current"]["activities"]


def test_counts_per_region_and_period(done, regions):
    zhuzhou = figures(regions["zhuzhou"], Period.year(2024))
    assert (zhuzhou["group_activities"], zhuzhou["activities"], zhuzhou["attendances"]) == (3, 4, 11)
    assert zhuzhou["by_region"] == [
        {"region": "株洲市", "own": True, "group_activities": 2, "attendances": 9},
        {"region": "天元区", "own": False, "group_activities": 1, "attendances": 2},
    ]
    tianyuan = figures(regions["tianyuan"], Period.year(2024))
    assert (tianyuan["group_activities"], tianyuan["attendances"]) == (1, 2)
    assert figures(regions["tianyuan"], Period.year(2023))["attendances"] == 5
    quarter = figures(regions["zhuzhou"], Period.quarter(2024, 3))
    assert (quarter["group_activities"], quarter["attendances"]) == (1, 2)
    assert figures(regions["hengnan"], Period.year(2024)) == {
        "group_activities": 0,
        "activities": 0,
        "attendances": 0,
        "trained_deputies": 0,
        "training_attendances": 0,
        "by_region": [],
    }


def test_a_province_splits_per_city_and_a_congress_narrows(done, regions):
    province = figures(regions["province"], Period.year(2024))
    assert (province["group_activities"], province["attendances"]) == (5, 19)
    assert province["by_region"] == [
        {"region": "株洲市", "own": False, "group_activities": 3, "attendances": 11},
        {"region": "衡阳市", "own": False, "group_activities": 2, "attendances": 8},
    ]
    narrowed = figures(regions["zhuzhou"], Period.year(2024), congress=done["ty"])
    assert (narrowed["group_activities"], narrowed["attendances"]) == (1, 2)


def test_another_regions_activities_are_not_counted(done, regions):
    hengyang = figures(regions["hengyang"], Period.year(2024))
    assert (hengyang["group_activities"], hengyang["attendances"]) == (2, 8)
    zhuzhou = figures(regions["zhuzhou"], Period.year(2024))
    assert "衡阳市" not in {row["region"] for row in zhuzhou["by_region"]}


def test_the_previous_period_is_beside(done, regions):
    result = selectors.compute_figures(region=regions["tianyuan"], period=Period.year(2024))
    assert result["previous"]["activities"]["group_activities"] == 1  # 2023
    assert result["previous"]["activities"]["attendances"] == 5


def test_dashboard_and_yearly_report_show_the_activity_figures(done, staff_client):
    html = staff_client.get(f"/dashboard/{Q}").content.decode()
    assert "代表小组活动次数" in html and "活动参加人次" in html
    assert 'data-chart="activities_by_region"' in html and 'data-chart="activities"' in html and "天元区" in html
    report = staff_client.get(f"/dashboard/report/{Q}").content.decode()
    assert "各代表小组开展活动3次，代表活动共4次，代表参加活动11人次" in report
    sheet = load_workbook(io.BytesIO(staff_client.get(f"/dashboard/export/activities_by_region.xlsx{Q}").content))
    assert ["天元区", 1, 2] in [list(row) for row in sheet.active.iter_rows(values_only=True)]
    pdf = staff_client.get(f"/dashboard/report.pdf{Q}").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "代表参加活动11人次" in text and "代表小组活动次数" in text


def test_another_regions_staff_cannot_ask_for_it(done, client, staff_hy, regions):
    client.force_login(staff_hy)
    response = client.get(f"/dashboard/{Q}&region={regions['zhuzhou'].pk}")
    assert response.status_code == 404
    assert "天元区" not in response.content.decode()


def test_figure_statements_do_not_grow_with_the_data(done, regions):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            figure_activities(selectors.SYSTEM, region=regions["province"], date_from=None, date_to=None)
        return len(ctx.captured_queries)

    small = count()
    for i in range(20):
        activity(done["ty" if i % 2 else "hy"], at(2024, 2, 1 + i), present=2)
    assert count() == small <= 7


def test_deputies_trained_count_each_deputy_once_and_every_attendance(done, regions, staff_client):
    zz, hy = done["zz"], done["hy"]
    first = activity(zz, at(2024, 7, 1), kind=K.TRAINING, present=3)
    second = activity(zz, at(2024, 8, 1), kind=K.TRAINING)
    for attendance in first.attendances.all()[:2]:  # two of the three come to the second session too
        Attendance.objects.create(
            activity=second, membership=attendance.membership, signed_in_at=at(2024, 8, 1), how=Attendance.How.QR
        )
    activity(zz, at(2024, 9, 1), kind=K.TRAINING, status=Activity.Status.CANCELLED, present=4)
    activity(hy, at(2024, 7, 1), kind=K.TRAINING, present=6)  # another region's
    zhuzhou = figures(regions["zhuzhou"], Period.year(2024))
    assert (zhuzhou["trained_deputies"], zhuzhou["training_attendances"]) == (3, 5)
    assert figures(regions["hengyang"], Period.year(2024))["trained_deputies"] == 6
    assert figures(regions["province"], Period.year(2024))["training_attendances"] == 11
    assert figures(regions["zhuzhou"], Period.year(2023))["trained_deputies"] == 0
    html = staff_client.get(f"/dashboard/{Q}").content.decode()
    assert "参加培训代表（人）" in html and "培训（人次）" in html
    assert "代表参加培训3人、5人次" in staff_client.get(f"/dashboard/report/{Q}").content.decode()
