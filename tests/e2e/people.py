"""One user of each role with enough records for their pages to show something; used by the a11y and screenshot
tests (and any later browser test that needs "a typical user of role X")."""

import datetime

from django.utils import timezone

from deputies import services
from deputies.models import DutyKind
from liaison.models import User
from tests.factories import CongressFactory, DutyRecordFactory, MembershipFactory, OrganizationFactory, UserFactory


def make_people(regions):
    zhuzhou = regions["zhuzhou"]
    staff = UserFactory(
        username="staff_zz", display_name="株洲市人大代表工委 李娟", role=User.Role.STAFF, region=zhuzhou, is_staff=True
    )
    org = OrganizationFactory(region=zhuzhou, name="株洲市住房和城乡建设局")
    unit = UserFactory(username="unit_zz", display_name="株洲市住建局 办理专员", role=User.Role.UNIT, organization=org)
    manager = UserFactory(
        username="manager_zz",
        display_name="嵩山路街道联络站 刘芳",
        role=User.Role.STATION_MANAGER,
        region=regions["tianyuan"],
    )
    admin = UserFactory(
        username="admin", display_name="系统管理员", is_staff=True, is_superuser=True, region=regions["province"]
    )
    congress = CongressFactory(region=zhuzhou, name="株洲市第十六届人民代表大会")
    deputy_user = UserFactory(username="deputy_zz", display_name="张建国", role=User.Role.DEPUTY)
    mine = MembershipFactory(
        congress=congress, deputy__name="张建国", deputy__user=deputy_user, electoral_unit="天元区"
    )
    for name in ("王志强", "李秀英", "陈红梅"):
        MembershipFactory(congress=congress, deputy__name=name, electoral_unit="芦淞区")
    year = timezone.localdate().year
    services.point_rule_set(
        actor=None, congress=congress, kind=DutyKind.INSPECTION, points=4, valid_from=datetime.date(year, 1, 1)
    )
    DutyRecordFactory(
        membership=mine, kind=DutyKind.INSPECTION, occurred_on=datetime.date(year, 1, 2), description="视察老旧小区改造"
    )
    return {"staff": staff, "unit": unit, "manager": manager, "admin": admin, "deputy": deputy_user}
