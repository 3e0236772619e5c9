import datetime

import pytest
from django.utils import timezone

from deputies import services
from deputies.models import DutyKind
from liaison.models import User
from tests.conftest import login
from tests.factories import CongressFactory, DutyRecordFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_logs_in_and_sees_points_and_rank(page, live_server, regions):
    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    user = UserFactory(username="deputy_li", role=User.Role.DEPUTY, display_name="李秀英")
    mine = MembershipFactory(congress=congress, deputy__name="李秀英", deputy__user=user)
    other = MembershipFactory(congress=congress, deputy__name="王志强")
    year = timezone.localdate().year
    services.point_rule_set(
        actor=None, congress=congress, kind=DutyKind.INSPECTION, points=4, valid_from=datetime.date(year, 1, 1)
    )
    DutyRecordFactory(
        membership=mine, kind=DutyKind.INSPECTION, occurred_on=datetime.date(year, 1, 2), description="视察老旧小区改造"
    )
    DutyRecordFactory(membership=mine, kind=DutyKind.INSPECTION, occurred_on=datetime.date(year, 1, 3))
    DutyRecordFactory(membership=other, kind=DutyKind.INSPECTION, occurred_on=datetime.date(year, 1, 3))

    login(page, live_server, "deputy_li")
    assert page.url.endswith("/deputies/portal/")
    assert page.locator("[data-testid=points]").first.inner_text().startswith("8")
    assert "第 1 / 2 名" in page.locator("[data-testid=rank]").first.inner_text()
    assert "视察老旧小区改造" in page.content()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
