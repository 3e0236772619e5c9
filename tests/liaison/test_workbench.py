"""The role workbench (home page): cards from every app, urgent first, counts that match the lists they open."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from deputies.models import Membership
from liaison import views
from liaison.models import User
from liaison.workbench import Card, collect_cards, group_cards
from tests.factories import CongressFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """The test client's LocaleMiddleware leaves its language active in the thread; do not leak English."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def linked_total(client, url):
    """How many records the list at ``url`` shows: the pagination component's data-total, 0 for the empty state."""
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    match = re.search(r'data-testid="result-count" data-total="(\d+)"', body)
    if match:
        return int(match.group(1))
    assert 'data-testid="empty-state"' in body, f"{url} shows neither a result count nor an empty state"
    return 0


def assert_cards_match_their_lists(client, user):
    """Every card with a count and a link: the count equals the number of records behind the link, for ``user``.

    Cards added by later apps are covered automatically once they exist, provided their list page uses
    ``components/pagination.html`` (or ``components/data_table.html``) and ``components/empty_state.html``.
    """
    client.force_login(user)
    checked = []
    for card in collect_cards(user):
        if card.count is None or not card.url:
            continue
        assert linked_total(client, card.url) == card.count, f"card {card.title!r}: {card.count} vs {card.url}"
        checked.append(str(card.title))
    return checked


@pytest.fixture
def seats(regions):
    zz = CongressFactory(region=regions["zhuzhou"])
    hy = CongressFactory(region=regions["hengyang"])
    for _ in range(3):
        MembershipFactory(congress=zz)
    MembershipFactory(
        congress=zz, status=Membership.Status.TERMINATED, terminated_on="2024-01-01", termination_reason="调离"
    )
    MembershipFactory(congress=hy)
    MembershipFactory(congress=hy)


def test_staff_card_counts_match_the_records_they_link_to(client, staff_zz, seats):
    checked = assert_cards_match_their_lists(client, staff_zz)
    assert "在任代表" in checked
    assert len(checked) >= 8  # proposals, stations and votes cards are checked too
    card = next(c for c in collect_cards(staff_zz) if c.title == "在任代表")
    assert card.count == 3


def test_card_count_follows_the_users_region(client, staff_hy, seats):
    assert "在任代表" in assert_cards_match_their_lists(client, staff_hy)
    assert next(c for c in collect_cards(staff_hy) if c.title == "在任代表").count == 2


def test_staff_workbench_shows_cards_and_links_to_admin(client, staff_zz, seats):
    client.force_login(staff_zz)
    body = client.get("/").content.decode()
    assert '<h1 class="h3 mb-1">联络工作台</h1>' in body
    assert "株洲市" in body
    assert f'href="{reverse("deputies:roster")}?status=in_office"' in body
    assert f'href="{reverse("admin:index")}" data-testid="admin-link"' in body


def test_unit_workbench_shows_its_queues_and_no_admin_link(client, unit_zz):
    client.force_login(unit_zz)
    body = client.get("/").content.decode()
    assert "承办工作台" in body
    assert "即将到期" in body or "逾期" in body
    assert reverse("admin:index") not in body
    assert reverse("deputies:roster") not in body


def test_station_manager_gets_the_station_workbench(client, regions):
    manager = UserFactory(role=User.Role.STATION_MANAGER, region=regions["tianyuan"])
    client.force_login(manager)
    body = client.get("/").content.decode()
    assert "联络站工作台" in body
    assert "待处理群众意见" in body
    assert "待填接待记录" in body


def test_deputy_goes_to_the_portal(client, db):
    deputy = UserFactory(role=User.Role.DEPUTY)
    client.force_login(deputy)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:portal")


def test_urgent_cards_come_first_and_zero_counts_are_not_urgent(client, staff_zz, monkeypatch):
    cards = [
        Card(title="在任代表", count=12, url="/a/", tone="secondary", order=900),
        Card(title="逾期未答复", count=4, url="/b/", tone="danger", order=50),
        Card(title="待审核", count=0, url="/c/", tone="warning", order=10),
        Card(title="待交办", count=7, url="/d/", tone="warning", order=20),
    ]
    urgent, others = group_cards(sorted(cards, key=lambda c: c.order))
    assert [c.title for c in urgent] == ["待交办", "逾期未答复"]
    assert [c.title for c in others] == ["待审核", "在任代表"]

    monkeypatch.setattr(views, "cards_for", lambda user: sorted(cards, key=lambda c: c.order))
    client.force_login(staff_zz)
    body = client.get("/").content.decode()
    assert body.index("需要处理") < body.index("待交办") < body.index("逾期未答复") < body.index("其他事项")
    assert body.index("其他事项") < body.index("待审核") < body.index("在任代表")
    assert 'class="card workbench-card tone-warning is-empty' in body


def test_menu_is_role_aware(client, staff_zz, unit_zz):
    client.force_login(staff_zz)
    body = client.get("/").content.decode()
    assert 'class="nav-link active" href="/" aria-current="page">工作台</a>' in body
    assert ">代表名册</a>" in body
    assert ">管理后台</a>" in body
    client.force_login(unit_zz)
    body = client.get("/").content.decode()
    assert ">代表名册</a>" not in body
    assert ">管理后台</a>" not in body
    assert "承办单位用户" in body  # the role beside the user's name


@pytest.mark.parametrize("rows", [5, 60])
def test_workbench_queries_do_not_grow_with_records(client, staff_zz, regions, django_assert_max_num_queries, rows):
    congress = CongressFactory(region=regions["zhuzhou"])
    for _ in range(rows):
        MembershipFactory(congress=congress)
    client.force_login(staff_zz)
    # one COUNT per card (about a dozen cards from four apps) plus session and user: fixed, whatever the rows
    with django_assert_max_num_queries(22):
        assert client.get("/").status_code == 200


def test_workbench_is_english_after_switching_language(client, staff_zz, seats):
    client.force_login(staff_zz)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Liaison workbench" in body
    assert "Deputies in office" in body
    assert "Administration" in body


def test_header_shows_the_unread_badge_from_the_inbox_hook(client, staff_zz, monkeypatch):
    from liaison import context_processors

    client.force_login(staff_zz)
    assert 'data-testid="unread-badge"' not in client.get("/").content.decode()
    monkeypatch.setattr(context_processors, "collect_inbox", lambda user: (3, "/inbox/"))
    body = client.get("/").content.decode()
    assert 'href="/inbox/"' in body
    assert re.search(r'data-testid="unread-badge">3<span class="visually-hidden">条未读</span>', body)


class _Item:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


# The card as the Django template engine wrote it (templates/liaison/_card.html) before the one card markup became
# the Jinja2 partial liaison/_cards.jinja, used by the home page and the deputy portal alike.
DJANGO_CARD = """{% load i18n %}{% for card in cards %}<div class="col-6 col-lg-3">
  {% if card.url %}<a class="card workbench-card tone-{{ card.tone }}{% if card.is_empty %} is-empty{% endif %} h-100 text-decoration-none" href="{{ card.url }}" data-testid="workbench-card">{% else %}<div class="card workbench-card tone-{{ card.tone }} h-100" data-testid="workbench-card">{% endif %}
    <div class="card-body">
      <h3 class="h6 card-title mb-2">{{ card.title }}</h3>
      {% if card.count is not None %}<p class="workbench-count mb-0" data-testid="card-count">{{ card.count }}</p>{% endif %}
      {% if card.hint %}<p class="small card-hint mb-0">{{ card.hint }}</p>{% endif %}
      {% if card.items %}<ul class="small list-unstyled mb-0 mt-2 card-items">{% for item in card.items %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}
    </div>
  {% if card.url %}</a>{% else %}</div>{% endif %}
</div>
{% endfor %}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_card_partial_writes_the_markup_the_card_template_wrote(client, staff_zz, seats, language):
    """``cards_html`` (the home page's and the deputy portal's cards, one Jinja2 partial) writes what the Django
    card template wrote, whatever a card holds, escaping what is not marked safe."""
    from django.template import Context, Template
    from django.utils.safestring import mark_safe

    from liaison.workbench import cards_html

    with translation.override(language):
        cards = [
            *collect_cards(staff_zz),
            Card(title="下次接待日", hint="近期暂无安排", tone="primary"),  # no link, no count
            Card(title="待处理 <意见>", count=0, url="/x/?a=1&b=2", tone="danger", hint=mark_safe("<b>已标注</b>")),
            Card(title="接待日安排", count=12345, url="/y/", items=[_Item("5月1日 <荷塘站>"), _Item("5月2日")]),
        ]
        expected = Template(DJANGO_CARD).render(Context({"cards": cards}))
        written = cards_html(cards)
    assert _squash(written) == _squash(expected)
    assert "&lt;荷塘站&gt;" in written and "<b>已标注</b>" in written and "a=1&amp;b=2" in written


def test_home_page_shows_its_cards_through_the_card_partial(client, staff_zz, seats):
    from liaison.workbench import cards_html

    client.force_login(staff_zz)
    body = client.get("/").content.decode()
    urgent, others = group_cards(collect_cards(staff_zz))
    assert others and body.count('data-testid="workbench-card"') == len(urgent) + len(others)
    for card in [*urgent, *others]:
        assert _squash(cards_html([card])) in _squash(body)


def _squash(html):
    return "".join(line.strip() for line in str(html).splitlines())
