import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import DutyKind, DutyRecord
from liaison.errors import ApplicationError
from liaison.models import User
from tests.factories import MembershipFactory, UserFactory
from tests.votes.factories import cast_electronic, deputy_user, make_congress, make_session
from votes import selectors, services
from votes.models import ListItem, Project

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _published(staff, congress, seats, title="票决", meeting_date=datetime.date(2024, 4, 26)):
    session = make_session(actor=staff, congress=congress, title=title, meeting_date=meeting_date)
    services.session_open(actor=staff, session=session)
    for seat in seats[: len(seats) // 2 + 1]:
        cast_electronic(session, seat, "for", "for", "against")
    services.session_close(actor=staff, session=session)
    services.session_publish(actor=staff, session=session)
    return session


@pytest.fixture
def projects(congress_ty, staff_zz):
    congress, seats = congress_ty
    session = _published(staff_zz, congress, seats)
    return list(session.projects.order_by("title"))


def _rate(project, seats, ratings):
    for seat, rating in zip(seats, ratings, strict=False):
        user = seat.deputy.user or deputy_user(seat)
        services.rating_submit(actor=user, project=project, rating=rating)


def test_satisfaction_rate_matches_hand_counted_fixtures(regions, staff_zz):
    # 永安镇 2022: 安全饮水 96.7% (29 of 30 satisfied or basically satisfied), 交通设施完善 97.8% (44 of 45).
    congress, seats = make_congress(regions["tianyuan"], deputies=45)
    session = _published(staff_zz, congress, seats, meeting_date=datetime.date(2021, 4, 28))
    water, road = sorted(session.projects.all(), key=lambda p: p.title != "安全饮水巩固提升工程")
    for project in (water, road):
        services.project_finish(actor=staff_zz, project=project, finished_on=datetime.date(2021, 12, 20))
    _rate(water, seats[:30], ["satisfied"] * 20 + ["basically"] * 9 + ["unsatisfied"])
    _rate(road, seats, ["satisfied"] * 40 + ["basically"] * 4 + ["unsatisfied"])
    rates = {
        p.title: selectors.satisfaction_rate(p.ratings_satisfied, p.ratings_total)
        for p in selectors.project_list(public=True)
    }
    assert rates == {"安全饮水巩固提升工程": Decimal("96.7"), "交通设施完善工程": Decimal("97.8")}
    # per year: (29 + 44) / (30 + 45) = 73 / 75 = 97.33…%
    assert selectors.yearly_satisfaction() == [{"year": 2021, "total": 75, "satisfied": 73, "rate": Decimal("97.3")}]
    figures = selectors.project_figures(region=regions["zhuzhou"], year=2021)
    assert figures == {
        "projects": 2,
        "finished": 2,
        "budget_total": Decimal("770.00"),
        "average_progress": 100.0,
        "ratings": 75,
        "satisfaction_rate": Decimal("97.3"),
    }
    assert selectors.project_figures(region=regions["hengyang"], year=2021)["projects"] == 0
    assert [(row["year"], row["projects"]) for row in selectors.project_figures_by_year(region=regions["zhuzhou"])] == [
        (2021, 2)
    ]


def test_deputy_rates_a_finished_project_once(projects, congress_ty, staff_zz):
    _, seats = congress_ty
    project = projects[0]
    user = seats[0].deputy.user
    with pytest.raises(ApplicationError, match="项目完成后才能进行满意度测评。"):
        services.rating_submit(actor=user, project=project, rating="satisfied")
    services.project_finish(actor=staff_zz, project=project, finished_on=datetime.date(2024, 12, 1))
    services.rating_submit(actor=user, project=project, rating="satisfied")
    with pytest.raises(ApplicationError) as exc:
        services.rating_submit(actor=user, project=project, rating="unsatisfied")
    assert (exc.value.status_code, str(exc.value.message)) == (409, "您已经对该项目进行过满意度测评。")


def test_department_reports_progress_with_photos(client, projects, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = projects[0]
    unit = UserFactory(role=User.Role.UNIT, organization=project.department)
    client.force_login(unit)
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    response = client.post(
        reverse("votes:progress_report", args=[project.pk]),
        {"text": "管网铺设完成一半", "percent": 50, "photos": [photo]},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.progress == 50
    report = project.reports.get()
    assert report.photos.count() == 1
    page = client.get(project.get_absolute_url()).content.decode()
    assert "管网铺设完成一半" in page
    api = client.get(f"/api/v1/vote-projects/{project.pk}/").json()
    assert api["progress"] == 50 and api["reports"][0]["photos"][0].endswith(".png")


def test_progress_photo_type_and_size_are_checked(projects):
    project = projects[0]
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ApplicationError, match="“virus.png”的内容与文件类型不符"):
        services.progress_report_add(actor=None, project=project, text="x", percent=10, photos=[fake])
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ApplicationError, match="照片不能超过 5 MB：big.png"):
        services.progress_report_add(actor=None, project=project, text="x", percent=10, photos=[big])
    assert not project.reports.exists()


def test_other_department_cannot_report_progress(projects):
    other = UserFactory(role=User.Role.UNIT, organization=projects[1].department)
    other.organization_id = other.organization_id + 999
    with pytest.raises(ApplicationError, match="只有项目责任单位或联络工作人员可以报告进展。"):
        services.progress_report_add(actor=other, project=projects[0], text="x", percent=10)


def test_inspection_by_the_supervision_group_adds_supervision_duty_records(client, projects, congress_ty, staff_zz):
    _, seats = congress_ty
    project = projects[0]
    services.project_set_supervisors(actor=staff_zz, project=project, memberships=seats[:2])
    client.force_login(seats[0].deputy.user)
    response = client.post(
        reverse("votes:inspect", args=[project.pk]),
        {
            "occurred_on": "2024-07-10",
            "place": "永安镇",
            "findings": "进度正常",
            "participants": [seats[0].pk, seats[1].pk],
        },
    )
    assert response.status_code == 302
    records = DutyRecord.objects.filter(kind=DutyKind.SUPERVISION)
    assert sorted(r.membership_id for r in records) == sorted([seats[0].pk, seats[1].pk])
    outsider = MembershipFactory(congress=seats[0].congress)
    with pytest.raises(ApplicationError, match="不是本项目监督小组成员"):
        services.inspection_log(
            actor=staff_zz,
            project=project,
            occurred_on=datetime.date(2024, 8, 1),
            findings="x",
            participants=[outsider],
        )


def test_three_lists_and_milestones_show_on_the_public_page(client, projects, staff_zz):
    project = projects[0]
    services.list_item_add(actor=staff_zz, project=project, kind=ListItem.Kind.CONGRESS_WORK, content="组织代表视察")
    services.list_item_add(
        actor=staff_zz, project=project, kind=ListItem.Kind.GOVERNMENT_RESPONSIBILITY, content="完成招投标"
    )
    services.list_item_add(actor=staff_zz, project=project, kind=ListItem.Kind.DEPUTY_DUTY, content="收集群众意见")
    milestone = services.milestone_add(actor=staff_zz, project=project, title="开工", due_on=datetime.date(2024, 6, 1))
    services.milestone_complete(actor=staff_zz, milestone=milestone, done_on=datetime.date(2024, 6, 3))
    html = client.get(project.get_absolute_url()).content.decode()
    for text in ("人大工作清单", "组织代表视察", "政府责任清单", "完成招投标", "代表履职清单", "收集群众意见", "开工"):
        assert text in html


def test_finishing_a_project_is_a_recorded_transition(projects, staff_zz):
    project = services.project_finish(actor=staff_zz, project=projects[0], finished_on=datetime.date(2024, 12, 1))
    assert (project.status, project.progress) == (Project.Status.FINISHED, 100)
    assert project.status_changes.get().to_status == "finished"
    with pytest.raises(ApplicationError, match="不能变更为「已完成」"):
        services.project_finish(actor=staff_zz, project=project, finished_on=datetime.date(2024, 12, 2))


@pytest.mark.parametrize("rows", [5, 200])
def test_project_lists_run_a_constant_number_of_queries(client, regions, staff_zz, rows, django_assert_max_num_queries):
    from votes.models import Candidate

    congress, _ = make_congress(regions["tianyuan"], deputies=1)
    session = make_session(actor=staff_zz, congress=congress)
    candidate = session.candidates.first()
    Project.objects.bulk_create(
        [
            Project(
                candidate=Candidate.objects.create(
                    session=session,
                    title=f"项目{i}",
                    description="x",
                    budget=1,
                    department=candidate.department,
                    timeline="2024",
                    beneficiaries="x",
                    source="citizen",
                ),
                session=session,
                title=f"项目{i}",
                year=2024,
                budget=1,
                department=candidate.department,
            )
            for i in range(rows)
        ]
    )
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/vote-projects/?page_size=100").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("votes:project_list")).status_code == 200
