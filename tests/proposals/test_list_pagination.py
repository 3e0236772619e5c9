"""Keyset (cursor) pagination: every row exactly once forwards and backwards, ties and NULLs included, bounded
counts, bad cursors refused in Chinese, and deep pages that cost what the first does."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison import listing
from proposals import selectors
from proposals.models import Proposal
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

KEYS = selectors.LIST_KEYS


@pytest.fixture
def proposals(congress, deputy_user):
    """23 proposals: groups sharing one submitted_at (ties broken by id) and three drafts with none (NULL)."""
    base = timezone.now().replace(microsecond=0)
    rows = []
    for i in range(20):
        at = base - datetime.timedelta(hours=i // 3)  # three rows per timestamp
        rows.append(ProposalFactory(congress=congress, lead_deputy=deputy_user.deputy, submitted_at=at))
    for _ in range(3):
        rows.append(
            ProposalFactory(congress=congress, lead_deputy=deputy_user.deputy, submitted_at=None, status="draft")
        )
    return rows


def _expected():
    """The order the lists promise: newest submission first, NULLs (drafts) before everything, then id desc."""
    rows = list(Proposal.objects.all())
    drafts = sorted((p for p in rows if p.submitted_at is None), key=lambda p: -p.pk)
    dated = sorted((p for p in rows if p.submitted_at is not None), key=lambda p: (p.submitted_at, p.pk), reverse=True)
    return [p.pk for p in drafts + dated]


def _walk_forward(qs, size):
    seen, cursor, pages = [], None, 0
    while True:
        page = listing.keyset_page(qs, keys=KEYS, size=size, cursor=cursor)
        seen += [p.pk for p in page.object_list]
        pages += 1
        if not page.has_next():
            return seen, page, pages
        cursor = page.next_cursor


@pytest.mark.parametrize("size", [1, 4, 7, 50])
def test_walking_forward_then_back_visits_every_row_once_in_list_order(proposals, size):
    qs = Proposal.objects.all()
    seen, last, pages = _walk_forward(qs, size)
    assert seen == _expected()
    assert pages == -(-len(seen) // size)
    back, cursor = [], last.previous_cursor
    while cursor:
        page = listing.keyset_page(qs, keys=KEYS, size=size, cursor=cursor)
        back = [p.pk for p in page.object_list] + back
        cursor = page.previous_cursor
    assert back + [p.pk for p in last.object_list] == _expected()


def test_first_page_has_no_previous_and_counts_exactly(proposals):
    page = listing.keyset_page(Proposal.objects.all(), keys=KEYS, size=10)
    assert page.is_first and not page.has_previous() and page.has_next()
    assert (page.count, page.count_capped) == (23, False)


def test_count_is_capped_above_the_cap(proposals, monkeypatch):
    assert listing.count_upto(Proposal.objects.all(), cap=10) == (10, True)
    assert listing.count_upto(Proposal.objects.all(), cap=23) == (23, False)


def test_a_capped_count_is_kept_a_while_and_an_exact_one_never(proposals, settings):
    from django.core.cache import cache

    settings.WORKBENCH_COUNT_SECONDS = 60
    cache.clear()
    qs = Proposal.objects.all()
    assert listing.count_upto(qs, cap=10) == (10, True)
    with CaptureQueriesContext(connection) as ctx:
        assert listing.count_upto(qs, cap=10) == (10, True)  # "more than 10": kept, no statement
        assert listing.count_upto(qs.filter(pk__lt=0), cap=10) == (0, False)  # other filters: counted
        assert listing.count_upto(qs, cap=23) == (23, False)  # under the cap: exact, counted every time
        assert listing.count_upto(qs, cap=23) == (23, False)
    assert len(ctx) == 3
    cache.clear()


@pytest.mark.parametrize("cursor", ["!!!", "e30", "eyJrIjpbMV19", "eyJrIjpbeyJ0IjoieCIsInYiOiIxIn0sMV19"])
def test_a_cursor_not_made_by_us_is_refused(cursor):
    with pytest.raises(listing.BadCursor):
        listing.keyset_page(Proposal.objects.all(), keys=KEYS, size=5, cursor=cursor)


def test_deep_page_runs_the_same_statements_as_the_first(proposals):
    qs = Proposal.objects.select_related("lead_deputy")
    with CaptureQueriesContext(connection) as first:
        page = listing.keyset_page(qs, keys=KEYS, size=5)
    cursor = page.next_cursor
    for _ in range(3):
        page = listing.keyset_page(qs, keys=KEYS, size=5, cursor=cursor)
        cursor = page.next_cursor
    with CaptureQueriesContext(connection) as deep:
        listing.keyset_page(qs, keys=KEYS, size=5, cursor=cursor)
    assert len(first) == len(deep) == 2  # the bounded count and the page
    assert "OFFSET" not in deep.captured_queries[-1]["sql"].upper()


def test_staff_list_page_walks_with_cursor_links_and_keeps_filters(client, staff_zz, proposals):
    client.force_login(staff_zz)
    response = client.get("/proposals/", {"page_size": 5, "status": "assigned"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.count == 20 and len(page.object_list) == 5
    html = response.content.decode()
    assert 'rel="next"' in html and "status=assigned" in html and "共 20 条" in html
    response = client.get("/proposals/", {"page_size": 5, "status": "assigned", "cursor": page.next_cursor})
    second = response.context["page"]
    assert [row["id"] for row in second.object_list] == [
        pk for pk in _expected() if Proposal.objects.get(pk=pk).status == "assigned"
    ][5:10]
    assert 'rel="prev"' in response.content.decode()


def test_a_tampered_cursor_on_a_page_shows_the_first_page(client, staff_zz, proposals):
    client.force_login(staff_zz)
    response = client.get("/proposals/", {"cursor": "not-a-cursor"})
    assert response.status_code == 200
    assert response.context["page"].is_first


def test_api_pages_by_cursor_and_refuses_a_bad_one_in_chinese(client, staff_zz, proposals):
    client.force_login(staff_zz)
    body = client.get("/api/v1/proposals/", {"page_size": 8}).json()
    assert (body["count"], body["count_capped"], body["previous"]) == (20, False, None)
    ids = [row["id"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        ids += [row["id"] for row in body["results"]]
    assert ids == [pk for pk in _expected() if Proposal.objects.get(pk=pk).status != "draft"]
    response = client.get("/api/v1/proposals/", {"cursor": "bm9wZQ"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": response.json()["message"],
        "fields": {"cursor": ["分页位置无效，请从第一页重新打开列表。"]},
    }
