"""Fixtures of the activities tests: a city congress with a deputy group, deputies with logins, a point rule."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from activities import services
from activities.models import Activity
from deputies.models import DeputyGroup, DutyKind, Level, PointRule
from liaison.models import User
from tests.factories import CongressFactory, MembershipFactory, UserFactory


def deputy_user(membership, username=None):
    user = UserFactory(
        role=User.Role.DEPUTY, display_name=membership.deputy.name, **({"username": username} if username else {})
    )
    membership.deputy.user = user
    membership.deputy.save(update_fields=["user"])
    return user


@pytest.fixture
def congress(regions):
    return CongressFactory(region=regions["zhuzhou"], level=Level.CITY, term=16, name="株洲市第十六届人民代表大会")


@pytest.fixture
def other_congress(regions):
    return CongressFactory(region=regions["hengyang"], level=Level.CITY, term=16, name="衡阳市第十六届人民代表大会")


@pytest.fixture
def group(congress):
    return DeputyGroup.objects.create(congress=congress, name="天元区代表小组")


@pytest.fixture
def seats(congress, group):
    """Three seats of the group, each deputy with a login, and one seat outside the group."""
    in_group = [MembershipFactory(congress=congress, group=group) for _ in range(3)]
    for seat in in_group:
        deputy_user(seat)
    outsider = MembershipFactory(congress=congress)
    deputy_user(outsider)
    return {"group": in_group, "outsider": outsider}


@pytest.fixture
def point_rule(congress):
    return PointRule.objects.create(
        congress=congress, kind=DutyKind.GROUP_ACTIVITY, points=Decimal("3.00"), valid_from=datetime.date(2020, 1, 1)
    )


def plan(actor, congress, *, starts_in=datetime.timedelta(minutes=30), hours=2, **options):
    starts_at = timezone.now() + starts_in
    options.setdefault("kind", Activity.Kind.GROUP)
    options.setdefault("invite_by", services.InviteBy.GROUP)
    return services.activity_plan(
        actor=actor,
        congress=congress,
        title=options.pop("title", "天元区代表小组视察城区老旧小区改造"),
        place=options.pop("place", "天元区嵩山路街道"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        agenda="一、听取情况汇报；二、实地察看；三、座谈交流",
        **options,
    )


@pytest.fixture
def activity(staff_zz, congress, group, seats):
    return plan(staff_zz, congress, group=group)
