"""Every figure narrowed by region, congress, session, lead handling unit and period, against hand counts on top of
the conftest fixture; the dashboard, its .xlsx export and the API honour the same filters from the URL."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from liaison.models import AuditLog
from proposals import selectors as proposal_selectors
from proposals.models import JointSupervision, Proposal, SiteVisit
from reports.figures import selectors
from reports.figures.period import Period
from tests.factories import OrganizationFactory
from tests.proposals.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

Y2024 = Period.year(2024)
SESSION = "株洲市第十六届人大三次会议"


@pytest.fixture
def narrowed(counted, regions, staff_zz):
    """On top of ``counted``: the 2024 A-satisfied (3-01) and B-unsatisfied (5-01) proposals were submitted at
    the session SESSION, the 2023 A-satisfied one (2023-03-01) too; 住建局 leads the A-satisfied one besides the
    late key-supervised one it already leads; 教育局 leads the A-basic one (4-01). A 城建委 joint supervision
    follows the B one and the late one, with two site visits."""
    zz = Proposal.objects.filter(congress=counted["zz"])
    by_day = {p.submitted_at.date(): p for p in zz}
    d = datetime.date
    Proposal.objects.filter(
        pk__in=[by_day[d(2024, 3, 1)].pk, by_day[d(2024, 5, 1)].pk, by_day[d(2023, 3, 1)].pk]
    ).update(session=SESSION)
    jy = OrganizationFactory(region=regions["zhuzhou"], name="株洲市教育局")
    AssignmentFactory(proposal=by_day[d(2024, 3, 1)], unit=counted["unit"])
    AssignmentFactory(proposal=by_day[d(2024, 4, 1)], unit=jy)
    committee = OrganizationFactory(region=regions["zhuzhou"], name="城建环资委", kind="special_committee")
    item = JointSupervision.objects.create(committee=committee, title="停车收费联合督办", created_by=staff_zz)
    item.proposals.set([by_day[d(2024, 5, 1)], by_day[d(2024, 7, 1)]])
    for day in (d(2024, 8, 1), d(2024, 9, 1)):
        SiteVisit.objects.create(supervision=item, visited_on=day, place="现场", summary="察看")
    return {**counted, "jy": jy, "by_day": by_day}


def proposals(region, period=Y2024, **narrow):
    return selectors.compute_figures(region=region, period=period, **narrow)["current"]["proposals"]


def test_session_narrows_every_proposal_figure(narrowed, regions):
    figures = proposals(regions["zhuzhou"], session=SESSION)
    assert figures["review"] == {"submitted": 2, "accepted": 2, "merged": 0, "returned": 0}
    assert figures["classes"] == {"a": 1, "b": 1, "c": 0, "total": 2, "ab_share": 100.0}
    assert figures["satisfaction"] == {"satisfied": 1, "basic": 0, "unsatisfied": 1, "rated": 2, "rate": 50.0}
    assert figures["key_supervision"]["count"] == 0
    assert figures["joint_supervision"] == {
        "count": 1,
        "closed": 0,
        "by_status": {"已答复待评价": 1},
        "items": 1,
        "visits": 2,
    }
    previous = selectors.compute_figures(region=regions["zhuzhou"], period=Y2024, session=SESSION)["previous"]
    assert previous["proposals"]["review"]["submitted"] == 1  # 2023: only the A-satisfied one was at SESSION


def test_the_recess_choice_counts_the_proposals_made_between_sessions(narrowed, regions, staff_client):
    whole = proposals(regions["zhuzhou"])["review"]["submitted"]
    at_session = proposals(regions["zhuzhou"], session=SESSION)["review"]["submitted"]
    recess = proposals(regions["zhuzhou"], session=proposal_selectors.RECESS_SESSION)["review"]["submitted"]
    assert (at_session, recess) == (2, whole - 2)  # every 2024 proposal is at SESSION or between sessions
    html = staff_client.get("/dashboard/?period=year&year=2024&session=-").content.decode()
    assert '<option value="-" selected>闭会期间</option>' in html
    sheet = load_workbook(
        io.BytesIO(staff_client.get("/dashboard/export/reply_classes.xlsx?period=year&year=2024&session=-").content)
    ).active
    assert sheet["A1"].value.startswith("株洲市 · 闭会期间 · 2024年")


def test_lead_unit_narrows_every_proposal_figure(narrowed, regions):
    zj = proposals(regions["zhuzhou"], unit=narrowed["unit"])
    assert zj["review"] == {"submitted": 2, "accepted": 2, "merged": 0, "returned": 0}
    assert zj["classes"] == {"a": 1, "b": 0, "c": 0, "total": 1, "ab_share": 100.0}
    assert zj["key_supervision"] == {"count": 1, "closed": 0, "by_status": {"办理中": 1}}
    assert zj["joint_supervision"]["count"] == 1 and zj["joint_supervision"]["by_status"] == {"办理中": 1}
    jy = proposals(regions["zhuzhou"], unit=narrowed["jy"])
    assert jy["classes"] == {"a": 1, "b": 0, "c": 0, "total": 1, "ab_share": 100.0}
    assert jy["satisfaction"] == {"satisfied": 0, "basic": 1, "unsatisfied": 0, "rated": 1, "rate": 100.0}
    assert jy["key_supervision"]["count"] == 0 and jy["joint_supervision"]["count"] == 0
    both = proposals(regions["zhuzhou"], unit=narrowed["unit"], session=SESSION)
    assert both["review"]["submitted"] == 1 and both["classes"]["a"] == 1


def test_whole_region_joint_supervision_counts(narrowed, regions):
    figures = proposals(regions["zhuzhou"])
    assert figures["joint_supervision"] == {
        "count": 2,
        "closed": 0,
        "by_status": {"办理中": 1, "已答复待评价": 1},
        "items": 1,
        "visits": 2,
    }


@pytest.mark.parametrize(
    ("region", "period", "narrow"),
    [
        ("zhuzhou", Y2024, {"session": "不存在的会议"}),
        ("zhuzhou", Period.year(2020), {"session": SESSION}),
        ("hengnan", Y2024, {}),
        ("tianyuan", Y2024, {"session": SESSION}),
    ],
)
def test_empty_selections_give_zeros_and_no_shares(narrowed, regions, region, period, narrow):
    figures = proposals(regions[region], period=period, **narrow)
    assert figures["review"] == {"submitted": 0, "accepted": 0, "merged": 0, "returned": 0}
    assert figures["classes"]["ab_share"] is None and figures["satisfaction"]["rate"] is None
    assert figures["on_time"]["rate"] is None
    assert figures["joint_supervision"] == {"count": 0, "closed": 0, "by_status": {}, "items": 0, "visits": 0}


def test_unit_and_session_choices_stay_in_the_region(narrowed, regions):
    assert selectors.unit_for(regions["zhuzhou"], narrowed["unit"].pk) == narrowed["unit"]
    assert selectors.unit_for(regions["hengyang"], narrowed["unit"].pk) is None
    assert selectors.unit_for(regions["zhuzhou"], "x") is None
    assert selectors.sessions_in(regions["zhuzhou"]) == [SESSION]
    assert selectors.sessions_in(regions["hengyang"]) == []
    assert selectors.session_for("  ") is None


def test_livelihood_projects_honour_the_congress(narrowed, regions):
    """The two 2024 projects were chosen by the 天元区 congress's session: none belongs to the 株洲市 congress."""
    city = selectors.compute_figures(region=regions["zhuzhou"], congress=narrowed["zz"], period=Y2024)
    assert city["current"]["projects"]["projects"] == 0
    assert city["current"]["projects"]["satisfaction_rate"] is None
    district = selectors.compute_figures(region=regions["zhuzhou"], congress=narrowed["ty"], period=Y2024)
    assert district["current"]["projects"]["projects"] == 2
    assert district["current"]["projects"]["satisfaction_rate"] == 75.0


def test_filters_are_cached_separately(narrowed, regions):
    keys = {
        selectors.cache_key(regions["zhuzhou"], None, Y2024),
        selectors.cache_key(regions["zhuzhou"], None, Y2024, SESSION, None),
        selectors.cache_key(regions["zhuzhou"], None, Y2024, None, narrowed["unit"]),
    }
    assert len(keys) == 3


def test_proposal_selectors_take_the_same_filters_directly(narrowed, regions, staff_zz):
    """The proposals figures page reads the app's selector with the same filters (staff scope, region subtree)."""
    result = proposal_selectors.figures(
        staff_zz,
        region=regions["zhuzhou"],
        session=SESSION,
        date_from=datetime.date(2024, 1, 1),
        date_to=datetime.date(2024, 12, 31),
    )
    assert result["classes"]["ab_share"] == 100.0 and result["joint_supervision"]["items"] == 1


# ---------------------------------------------------------------- pages, export and API read the URL


@pytest.fixture
def staff_client(client, staff_zz):
    client.force_login(staff_zz)
    return client


def test_dashboard_keeps_session_and_unit_in_the_export_links(narrowed, staff_client, regions):
    unit = narrowed["unit"].pk
    html = staff_client.get(f"/dashboard/?period=year&year=2024&session={SESSION}&unit={unit}").content.decode()
    assert f'<option value="{SESSION}" selected>' in html
    assert f'<option value="{unit}" selected>' in html
    assert f"unit={unit}" in html.split('data-testid="xlsx-reply_classes"')[0].rsplit("href=", 1)[1]


def test_xlsx_export_honours_session_and_unit(narrowed, staff_client, regions):
    url = "/dashboard/export/reply_classes.xlsx?period=year&year=2024"
    whole = load_workbook(io.BytesIO(staff_client.get(url).content)).active
    assert [list(r) for r in whole.iter_rows(min_row=3, values_only=True)] == [["A类", 2], ["B类", 1], ["C类", 1]]
    response = staff_client.get(f"{url}&session={SESSION}&unit={narrowed['unit'].pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == f"株洲市 · {SESSION} · 株洲市住房和城乡建设局 · 2024年 · 答复类别（A+B类占比 100.0%）"
    assert [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)] == [["A类", 1], ["B类", 0], ["C类", 0]]
    log = AuditLog.objects.filter(action="figures.export").latest("id")
    assert (log.data["session"], log.data["unit"]) == (SESSION, narrowed["unit"].pk)


def test_joint_supervision_table_and_headline_on_the_dashboard(narrowed, staff_client):
    html = staff_client.get("/dashboard/?period=year&year=2024").content.decode()
    assert "联合督办进展（1 项督办，现场督办 2 次）" in html
    response = staff_client.get("/dashboard/export/joint_supervision.xlsx?period=year&year=2024")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sorted(list(r) for r in sheet.iter_rows(min_row=3, values_only=True)) == [["办理中", 1], ["已答复待评价", 1]]


def test_api_honours_session_and_unit(narrowed, staff_client, regions):
    body = staff_client.get(
        f"/api/v1/figures/?region={regions['zhuzhou'].pk}&period=year&year=2024&session={SESSION}"
    ).json()
    assert body["session"] == SESSION and body["unit"] is None
    assert body["current"]["proposals"]["classes"]["ab_share"] == 100.0
    body = staff_client.get(f"/api/v1/figures/?period=year&year=2024&unit={narrowed['jy'].pk}").json()
    assert body["unit"] == {"id": narrowed["jy"].pk, "name": "株洲市教育局"}
    assert body["current"]["proposals"]["satisfaction"]["rate"] == 100.0


def test_proposals_figures_page_and_api_filter_by_region(narrowed, staff_client, regions):
    html = staff_client.get(f"/proposals/figures/?region={regions['tianyuan'].pk}").content.decode()
    assert 'data-testid="ab-share">—<' in html
    html = staff_client.get(f"/proposals/figures/?region={regions['zhuzhou'].pk}&session={SESSION}").content.decode()
    assert 'data-testid="ab-share">100.0%<' in html
    body = staff_client.get(f"/api/v1/proposals/figures/?region={regions['zhuzhou'].pk}").json()
    assert body["joint_supervision"]["items"] == 1
    assert staff_client.get(f"/api/v1/proposals/figures/?region={regions['hengyang'].pk}").status_code == 404


def test_narrowed_period_custom_range(narrowed, regions):
    spring = Period("range", datetime.date(2024, 3, 1), datetime.date(2024, 4, 30))
    assert proposals(regions["zhuzhou"], period=spring)["review"]["submitted"] == 2
    assert proposals(regions["zhuzhou"], period=spring, session=SESSION)["review"]["submitted"] == 1
