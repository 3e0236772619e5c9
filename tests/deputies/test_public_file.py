"""Issue 20: the public duty file on /public/deputies/<id>/ — approved, published records of the current term by year
and kind, the proposals the deputy led with their results, never personal data — and the deputy's own preview."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.models import DutyKind
from liaison.models import User
from proposals.models import Proposal
from tests.factories import CongressFactory, DeputyFactory, DutyRecordFactory, MembershipFactory, UserFactory
from tests.proposals.factories import ProposalFactory

MOBILE = "13912345678"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def deputy_user(db):
    return UserFactory(username="deputy_li", role=User.Role.DEPUTY, display_name="李秀英")


@pytest.fixture
def seat(congresses, deputy_user):
    return MembershipFactory(
        congress=congresses["zz"], deputy__name="李秀英", deputy__user=deputy_user, deputy__mobile=MOBILE
    )


def register(deputy_user, seat, day, description, kind=DutyKind.INSPECTION):
    return services.duty_record_submit(
        actor=deputy_user, membership=seat, kind=kind, occurred_on=day, place="栗雨社区", description=description
    )


def page(client, deputy):
    cache.clear()  # the public pages keep their data a few minutes
    response = client.get(reverse("public:deputy_profile", args=[deputy.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_public_file_shows_approved_published_records_only(client, deputy_user, seat, staff_zz, today):
    last_year = datetime.date(today.year - 1, 6, 1)
    approved = register(deputy_user, seat, today, "视察老旧小区改造进展")
    services.duty_record_approve(actor=staff_zz, record=approved)
    older = register(deputy_user, seat, last_year, "参加代表履职培训", kind=DutyKind.TRAINING)
    services.duty_record_approve(actor=staff_zz, record=older)
    hidden = register(deputy_user, seat, today, "内部座谈不宜公开")
    services.duty_record_approve(actor=staff_zz, record=hidden, public=False)
    register(deputy_user, seat, today, "尚在审核的调研")
    returned = register(deputy_user, seat, today, "被退回的走访")
    services.duty_record_return(actor=staff_zz, record=returned, reason="请补充材料")
    services.duty_record_create(
        actor=staff_zz, membership=seat, kind=DutyKind.SESSION, occurred_on=today, description="出席人代会"
    )

    html = page(client, seat.deputy)
    assert "视察老旧小区改造进展" in html and "参加代表履职培训" in html and "出席人代会" in html
    assert "内部座谈不宜公开" not in html
    assert "尚在审核的调研" not in html
    assert "被退回的走访" not in html and "请补充材料" not in html
    assert f'data-year="{today.year}"' in html and f'data-year="{today.year - 1}"' in html
    assert html.index(f'data-year="{today.year}"') < html.index(f'data-year="{today.year - 1}"')  # newest first
    assert 'data-kind="inspection"' in html and 'data-kind="training"' in html and 'data-kind="session"' in html
    assert html.count('data-testid="duty-file-record"') == 3
    assert MOBILE not in html and MOBILE[-4:] not in html and "电话" not in html
    assert seat.deputy.code not in html


def test_public_file_leaves_out_a_past_term(client, deputy_user, seat, regions, staff_zz, today):
    old_congress = CongressFactory(
        region=regions["zhuzhou"], term=15, name="株洲市第十五届人民代表大会", is_current=False
    )
    old_seat = MembershipFactory(congress=old_congress, deputy=seat.deputy)
    DutyRecordFactory(membership=old_seat, occurred_on=datetime.date(2020, 5, 1), description="上届的视察")
    DutyRecordFactory(membership=seat, occurred_on=today, description="本届的视察")
    html = page(client, seat.deputy)
    assert "本届的视察" in html
    assert "上届的视察" not in html


def test_public_page_lists_the_proposals_led_with_their_results(client, seat, congresses):
    ProposalFactory(
        congress=congresses["zz"],
        lead_deputy=seat.deputy,
        title="关于加快老旧小区加装电梯的建议",
        status=Proposal.Status.CLOSED,
        reply_class=Proposal.ReplyClass.A,
        rating=Proposal.Rating.SATISFIED,
        content="不公开的正文内容",
    )
    ProposalFactory(congress=congresses["zz"], lead_deputy=seat.deputy, title="草稿中的建议", status="draft")
    ProposalFactory(congress=congresses["zz"], lead_deputy=seat.deputy, title="已撤回的建议", status="withdrawn")
    ProposalFactory(congress=congresses["zz"], lead_deputy=DeputyFactory(), title="别人领衔的建议")
    html = page(client, seat.deputy)
    assert "关于加快老旧小区加装电梯的建议" in html
    assert "已办结" in html and "A类（已解决或基本解决）" in html and "满意" in html
    assert "不公开的正文内容" not in html
    assert "草稿中的建议" not in html and "已撤回的建议" not in html and "别人领衔的建议" not in html
    assert html.count('data-testid="led-proposal"') == 1


@pytest.mark.parametrize("rows", [3, 40])
def test_public_page_runs_a_constant_number_of_queries(
    client, seat, congresses, today, rows, django_assert_max_num_queries
):
    kinds = [DutyKind.INSPECTION, DutyKind.TRAINING, DutyKind.STATION_RECEPTION]
    for n in range(rows):
        DutyRecordFactory(
            membership=seat,
            kind=kinds[n % 3],
            occurred_on=today - datetime.timedelta(days=40 * n),
            description=f"履职 {n}",
        )
    ProposalFactory.create_batch(rows, congress=congresses["zz"], lead_deputy=seat.deputy)
    cache.clear()
    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:deputy_profile", args=[seat.deputy.pk]))
    html = response.content.decode()
    assert html.count('data-testid="duty-file-record"') == rows
    assert html.count('data-testid="led-proposal"') == rows


def test_deputy_previews_their_own_file(client, deputy_user, seat, staff_zz, today):
    record = register(deputy_user, seat, today, "走访辖区企业")
    client.force_login(deputy_user)
    cache.clear()
    html = client.get(reverse("public:deputy_profile", args=[seat.deputy.pk])).content.decode()  # cached now
    preview = client.get(reverse("public:deputy_file_preview")).content.decode()
    assert 'data-testid="file-preview"' in preview and "走访辖区企业" not in preview  # not approved yet
    services.duty_record_approve(actor=staff_zz, record=record)
    preview = client.get(reverse("public:deputy_file_preview")).content.decode()
    assert "走访辖区企业" in preview  # the preview is never the cached page
    assert MOBILE not in preview
    assert "走访辖区企业" not in html
    portal = client.get(reverse("deputies:portal")).content.decode()
    assert reverse("public:deputy_file_preview") in portal and reverse("deputies:duty_register") in portal


def test_preview_is_for_a_signed_in_deputy_only(client, staff_zz, seat):
    response = client.get(reverse("public:deputy_file_preview"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(staff_zz)
    assert client.get(reverse("public:deputy_file_preview")).status_code == 404


def test_public_file_in_english(client, seat, today):
    DutyRecordFactory(membership=seat, kind=DutyKind.INSPECTION, occurred_on=today, description="视察")
    cache.clear()
    html = client.get(reverse("public:deputy_profile", args=[seat.deputy.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    html = html.decode()
    assert "Duty file" in html


def test_an_approval_shows_on_the_cached_public_page_at_once(client, deputy_user, seat, staff_zz, today):
    record = register(deputy_user, seat, today, "走访辖区小微企业")
    before = page(client, seat.deputy)  # the page's data is cached now
    assert "走访辖区小微企业" not in before
    services.duty_record_approve(actor=staff_zz, record=record)
    after = client.get(reverse("public:deputy_profile", args=[seat.deputy.pk])).content.decode()  # no cache.clear()
    assert "走访辖区小微企业" in after
    services.duty_record_set_public(actor=staff_zz, record=record, public=False)
    hidden = client.get(reverse("public:deputy_profile", args=[seat.deputy.pk])).content.decode()
    assert "走访辖区小微企业" not in hidden
