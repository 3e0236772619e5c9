"""One object of each kind in 株洲 (and a few in 衡阳), and one login of each role, for the security tests.

Everything is created through the services where a workflow is involved, so the objects are in the states a
real user would leave them in.
"""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from deputies.models import DutyStory
from liaison.models import Organization, Region, User
from liaison.notifications.models import Notification
from tests.factories import DutyRecordFactory, OrganizationFactory, UserFactory
from tests.proposals.conftest import Flow
from tests.stations.factories import (
    OpinionCategoryFactory,
    ReceptionDayFactory,
    StationAssignmentFactory,
    StationFactory,
)
from tests.votes.factories import cast_electronic, deputy_user, make_congress, make_session

CITIZEN_MOBILE = "13812345678"
ROLES = ("anonymous", "deputy", "manager", "unit", "other_staff", "staff", "superuser")


class World(dict):
    """Objects by name (``world["proposal"]``) and the user of each role (``world.users["deputy"]``)."""

    users: dict


@pytest.fixture
def world(regions, staff_zz, staff_hy, settings):
    from django.core.cache import cache

    from proposals import services as proposal_services
    from stations import services as station_services
    from votes import services as vote_services

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the citizen's SMS and notifications run in the test process
    cache.clear()  # the QR form's rate-limit counters

    w = World()
    superuser = UserFactory(username="root", role=User.Role.STAFF, is_superuser=True, is_staff=True)
    unit_org = OrganizationFactory(region=regions["zhuzhou"], name="株洲市住房和城乡建设局")
    unit = UserFactory(username="unit_zz", role=User.Role.UNIT, organization=unit_org)
    other_unit_org = OrganizationFactory(region=regions["zhuzhou"], name="株洲市教育局")
    other_unit = UserFactory(username="unit_jy", role=User.Role.UNIT, organization=other_unit_org)
    township = Region.objects.create(
        code="430211004", name="嵩山路街道", level=Region.Level.TOWNSHIP, parent=regions["tianyuan"]
    )
    manager = UserFactory(username="manager_zz", role=User.Role.STATION_MANAGER, region=township)
    station = StationFactory(region=township, name="嵩山路街道代表联络站")
    station.managers.add(manager)
    category = OpinionCategoryFactory(code="road", name="道路交通")

    congress, seats = make_congress(regions["zhuzhou"], deputies=5, name="株洲市第十六届人民代表大会")
    deputy = deputy_user(seats[0])
    deputy.username = "deputy_zz"
    deputy.save(update_fields=["username"])
    other_deputy = deputy_user(seats[1])

    flow = Flow(congress, deputy, staff_zz, unit, other_unit)
    proposal = flow.contacted(title="关于加快老旧小区改造的建议")
    draft = flow.draft(title="关于增设公交线路的建议")
    other_flow = Flow(congress, other_deputy, staff_zz, other_unit)
    other_proposal = other_flow.assigned(title="关于改善校园周边交通的建议")

    session = make_session(actor=staff_zz, congress=congress, department=unit_org)
    vote_services.session_open(actor=staff_zz, session=session)
    for seat in seats[:3]:
        cast_electronic(session, seat, "for", "for", "against")
    vote_services.session_close(actor=staff_zz, session=session)
    vote_services.session_publish(actor=staff_zz, session=session)
    open_session = make_session(actor=staff_zz, congress=congress, title="2025年民生实事项目票决", department=unit_org)
    vote_services.session_open(actor=staff_zz, session=open_session)

    StationAssignmentFactory(station=station, deputy=seats[0].deputy, since=datetime.date(2023, 1, 1))
    opinion, _created = station_services.opinion_submit_public(
        station=station, category=category, content="小区门口的路灯坏了两个月，晚上出行不便。", mobile=CITIZEN_MOBILE
    )
    reception_day = ReceptionDayFactory(station=station, date=datetime.date(2024, 3, 15))
    hy_congress, _hy_seats = make_congress(regions["hengyang"], deputies=2, name="衡阳市第十六届人民代表大会")
    committee = OrganizationFactory(
        region=regions["zhuzhou"], name="株洲市人大常委会城建环资工作委员会", kind=Organization.Kind.SPECIAL_COMMITTEE
    )
    joint_supervision = proposal_services.joint_supervision_create(
        actor=staff_zz, committee=committee, title="老旧小区改造联合督办", proposals=[proposal]
    )

    from activities import services as activity_services

    starts_at = timezone.now() + datetime.timedelta(days=2)
    activity = activity_services.activity_plan(
        actor=staff_zz,
        congress=congress,
        kind="inspection",
        title="视察城区老旧小区改造",
        place="天元区泰山社区",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        memberships=[seats[0]],
    )

    w.update(
        region=regions["zhuzhou"],
        activity=activity,
        invitation=activity.invitations.get(),
        organization=unit_org,
        other_organization=other_unit_org,
        congress=congress,
        hy_congress=hy_congress,
        membership=seats[0],
        deputy=seats[0].deputy,
        other_deputy=seats[1].deputy,
        duty_record=DutyRecordFactory(membership=seats[0], description="参加市人大常委会组织的视察"),
        # the deputy's own registration, returned to them (they may correct it; staff may look at it)
        self_duty_record=DutyRecordFactory(
            membership=seats[0],
            description="自主登记的走访",
            status="returned",
            self_registered=True,
            return_reason="请补充照片",
        ),
        proposal=proposal,
        draft=draft,
        other_proposal=other_proposal,
        assignment=proposal.assignments.get(unit=unit_org),
        other_assignment=other_proposal.assignments.get(unit=other_unit_org),
        vote_session=session,
        open_session=open_session,
        project=session.projects.order_by("pk").first(),
        notification=Notification.objects.create(recipient=deputy, title="测试消息", created_at=timezone.now()),
        story=DutyStory.objects.create(
            deputy=seats[0].deputy,
            region=regions["zhuzhou"],
            title="为老旧小区加装电梯奔走",
            body="张代表走访了12个小区。",
            status=DutyStory.Status.PUBLISHED,
            published_at=timezone.now(),
        ),
        station=station,
        category=category,
        opinion=opinion,
        reception_day=reception_day,
        other_unit=other_unit,
        other_deputy_user=other_deputy,
        joint_supervision=joint_supervision,
    )
    TOTPDevice.objects.create(user=staff_zz, name="工作手机", confirmed=True)
    w.users = {
        "anonymous": None,
        "deputy": deputy,
        "manager": manager,
        "unit": unit,
        "other_staff": staff_hy,
        "staff": staff_zz,
        "superuser": superuser,
    }
    assert Organization.objects.filter(region=regions["zhuzhou"]).count() >= 2
    return w


@pytest.fixture
def login_as(client):
    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login
