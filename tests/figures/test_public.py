"""Public 数字人大 pages: no login, figures from the shared selectors, stories only once approved, and not one
personal field in the HTML."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies import services
from deputies.models import DutyStory
from liaison.errors import InvalidTransition
from liaison.models import User
from tests.factories import DeputyFactory, MembershipFactory, UserFactory
from tests.stations.factories import StationAssignmentFactory

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


@pytest.fixture
def personal(counted, regions, staff_zz):
    """Every person in the fixture gets a mobile; some get ID numbers in free-text fields; a pending story
    carries both."""
    zhang = counted["seats"]["zhang"].deputy
    zhang.mobile = "13912345678"
    zhang.birth_date = datetime.date(1975, 6, 1)
    zhang.workplace = "身份证430202197506011234"
    zhang.occupation = "电话13800001111"
    zhang.public_profile = "长期关注老旧小区改造。"
    zhang.save()
    staff_zz.mobile = "13700002222"
    staff_zz.save()
    StationAssignmentFactory(station=counted["stations"]["centre"], deputy=zhang)
    published = services.duty_story_create(
        actor=staff_zz,
        deputy=zhang,
        region=regions["zhuzhou"],
        title="张建国代表走访栗雨社区",
        summary="收集群众意见12条",
        body="张建国代表在栗雨社区联络点接待群众，现场协调解决路灯维修问题。",
        happened_on=datetime.date(2024, 5, 1),
    )
    services.duty_story_approve(actor=staff_zz, story=published)
    pending = services.duty_story_create(
        actor=staff_zz,
        deputy=zhang,
        region=regions["zhuzhou"],
        title="待审核：联系电话13912345678",
        body="身份证号430202197506011234，手机13912345678",
    )
    return {"zhang": zhang, "published": published, "pending": pending}


def _public_urls(personal):
    zhang = personal["zhang"]
    return [
        "/public/",
        f"/public/?region={zhang.memberships.first().congress.region_id}",
        "/public/deputies/",
        "/public/deputies/?level=3",
        f"/public/deputies/{zhang.pk}/",
        "/public/stories/",
        f"/public/stories/{personal['published'].pk}/",
    ]


def test_every_public_page_answers_without_login(personal, client):
    for url in _public_urls(personal):
        assert client.get(url).status_code == 200, url


def test_public_pages_leak_no_mobile_or_id_number(personal, client):
    for url in _public_urls(personal):
        html = client.get(url).content.decode()
        assert not MOBILE.findall(html), (url, MOBILE.findall(html))
        assert not ID_NUMBER.findall(html), (url, ID_NUMBER.findall(html))
        assert "1975" not in html, url


def test_index_shows_the_shared_figures_and_links(personal, client, regions):
    html = client.get(f"/public/?region={regions['zhuzhou'].pk}").content.decode()
    assert "数字人大" in html
    assert "/votes/results/" in html and "/votes/projects/" in html and "/stations/directory/" in html
    assert 'data-testid="public-proposals"' in html and 'data-testid="public-stations"' in html
    assert "张建国代表走访栗雨社区" in html


def test_profile_shows_name_level_congress_group_and_station_only(personal, client):
    html = client.get(f"/public/deputies/{personal['zhang'].pk}/").content.decode()
    assert "张建国" in html and "株洲市第十六届人民代表大会" in html and "天元区第五届人民代表大会" in html
    assert "天元区中心联络站" in html and "长期关注老旧小区改造。" in html
    assert "身份证" not in html and "电话" not in html


def test_unknown_or_terminated_deputy_is_404(personal, client):
    gone = MembershipFactory(
        congress=personal["zhang"].memberships.first().congress,
        status="terminated",
        terminated_on=datetime.date(2024, 1, 1),
    )
    assert client.get(f"/public/deputies/{gone.deputy_id}/").status_code == 404
    assert client.get("/public/deputies/999999/").status_code == 404


def test_stories_appear_only_after_approval_and_leave_when_withdrawn(personal, client, staff_zz):
    pending = personal["pending"]
    assert client.get(f"/public/stories/{pending.pk}/").status_code == 404
    assert "待审核" not in client.get("/public/stories/").content.decode()
    services.duty_story_withdraw(actor=staff_zz, story=personal["published"])
    cache.clear()
    assert client.get(f"/public/stories/{personal['published'].pk}/").status_code == 404


def test_story_transitions_follow_the_table(personal, staff_zz):
    with pytest.raises(InvalidTransition) as exc:
        services.duty_story_approve(actor=staff_zz, story=personal["published"])
    assert (exc.value.current, exc.value.requested, exc.value.status_code) == ("published", "published", 409)
    story = services.duty_story_withdraw(actor=staff_zz, story=personal["pending"])
    assert story.status == DutyStory.Status.WITHDRAWN
    story = services.duty_story_approve(actor=staff_zz, story=story)
    assert story.status == DutyStory.Status.PUBLISHED and story.approved_by == staff_zz


def test_admin_action_approves_stories(personal, client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True, role=User.Role.STAFF)
    client.force_login(admin)
    response = client.post(
        "/admin/deputies/dutystory/",
        {"action": "approve", "_selected_action": [personal["pending"].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "已发布 1 篇。" in response.content.decode()
    assert DutyStory.objects.get(pk=personal["pending"].pk).status == DutyStory.Status.PUBLISHED


def _queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/public/", "/public/deputies/", "/public/stories/"])
def test_public_query_counts_do_not_grow_with_the_data(personal, client, regions, url):
    congress = personal["zhang"].memberships.first().congress
    small = _queries(client, url)
    for _ in range(40):
        deputy = DeputyFactory()
        MembershipFactory(congress=congress, deputy=deputy)
    large = _queries(client, url)
    assert small == large and large <= 40


def test_public_pages_are_served_from_the_cache(personal, client, django_assert_max_num_queries):
    client.get("/public/")
    with django_assert_max_num_queries(1):  # which region: the rest is cached
        assert client.get("/public/").status_code == 200


def test_percent_units_render_once(personal, client):
    html = client.get("/public/").content.decode()
    assert "单位：%" in html and "%%" not in html


@pytest.mark.parametrize(("first", "then"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_public_index_cached_in_one_language_is_shown_in_the_others_own(counted, client, regions, first, then):
    url = f"/public/?region={regions['zhuzhou'].pk}"
    pages = {}
    for language in (first, then):
        client.cookies["django_language"] = language
        response = client.get(url)
        assert response.status_code == 200
        pages[language] = response.content.decode()
    assert "接待群众（人次）" in pages["zh-hans"] and "Citizens received" not in pages["zh-hans"]
    assert "Citizens received" in pages["en"] and "接待群众" not in pages["en"]
