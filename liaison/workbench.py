"""Role workbenches, menus and the inbox badge are assembled from what each app offers in its ``workbench.py``.

An app's module may define:

- ``cards(user) -> list[Card]``: the home page's cards (counts that link to the filtered list they count);
- ``nav(user) -> list[NavItem]``: entries for the top menu;
- ``inbox(user) -> tuple[int, str] | None``: unread notifications and the inbox URL (one app owns notifications).

The home page asks every installed app, so no app edits another's code to show its queue. A card's ``url`` must
open the list that its ``count`` counts (``tests/liaison/test_workbench.py`` checks this through the pagination
component's ``data-total``); urgent cards use tone ``danger`` or ``warning`` and appear first.
"""

import functools
import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count
from django.utils import translation
from django.utils.translation import get_language

from liaison.auth import UsernameOrMobileBackend
from liaison.cache import statement_key
from liaison.jinja2 import render_partial

logger = logging.getLogger("liaison.workbench")

URGENT_TONES = ("danger", "warning")


@dataclass
class Card:
    title: str
    count: int | None = None
    url: str = ""
    tone: str = "primary"  # primary, warning, danger, success, secondary
    hint: str = ""
    order: int = 100
    items: list = field(default_factory=list)

    @property
    def is_urgent(self):
        """Asks for action now: an urgent tone with something to do (a zero count is good news, not urgent)."""
        return self.tone in URGENT_TONES and bool(self.count)

    @property
    def is_empty(self):
        return self.count == 0


def count_of(queryset):
    """``queryset.count()`` for a card, kept ``WORKBENCH_COUNT_SECONDS`` (default 120) in the cache.

    A province's clerk would otherwise count a million opinions and two million duty records on every visit to
    the home page. The key is the statement itself, so it carries the caller's scope (region, unit, deputy) and
    filters; the list a card links to always counts afresh. ``0`` turns caching off (the test settings do, so
    tests see every change at once). A cache outage is a miss (liaison.cache.ResilientRedisCache in production).
    """
    seconds = getattr(settings, "WORKBENCH_COUNT_SECONDS", 120)
    if seconds <= 0:
        return queryset.count()
    key = statement_key("wb-count", queryset.order_by().values("pk"))
    value = cache.get(key)
    if value is None:
        value = queryset.count()
        cache.set(key, value, seconds)
    return value


def counts_of(queryset, **filters):
    """Several counts of one queryset in one statement, cached like :func:`count_of`:
    ``counts_of(records, total=None, waiting=Q(status="submitted"))`` → ``{"total": …, "waiting": …}``.

    Two cards over the same rows (all duty records, those waiting for review) cost one scan, not two."""
    aggregates = {
        name: Count("pk", filter=condition) if condition else Count("pk") for name, condition in filters.items()
    }
    seconds = getattr(settings, "WORKBENCH_COUNT_SECONDS", 120)
    if seconds <= 0:
        return queryset.order_by().aggregate(**aggregates)
    names = ",".join(f"{name}={filters[name]!r}" for name in sorted(filters))
    key = statement_key(
        f"wb-counts:{hashlib.sha256(names.encode()).hexdigest()[:16]}", queryset.order_by().values("pk")
    )
    value = cache.get(key)
    if value is None:
        value = queryset.order_by().aggregate(**aggregates)
        cache.set(key, value, seconds)
    return value


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 100


@functools.cache
def _app_modules():
    """The installed apps' ``workbench`` modules, found once per process (every page's menu asks for them)."""
    modules = []
    for config in apps.get_app_configs():
        if config.name == "liaison":
            continue
        try:
            modules.append(import_module(f"{config.name}.workbench"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workbench":
                raise
    return tuple(modules)


def _app_hooks(name):
    for module in _app_modules():
        hook = getattr(module, name, None)
        if hook is not None:
            yield hook


def collect_cards(user):
    cards = []
    for hook in _app_hooks("cards"):
        cards.extend(hook(user))
    return sorted(cards, key=lambda card: card.order)


# A kept list of cards is shown for up to this many windows while a fresher one is being computed.
CARDS_KEPT_WINDOWS = 20


def _cards_key(user, language):
    return f"wb-cards:v2:{user.pk}:{user.role}:{user.region_id}:{user.organization_id}:{language}"


def cards_for(user):
    """The home page's cards for ``user``, counted at most every ``WORKBENCH_COUNT_SECONDS`` and never while a
    clerk waits, once they have been counted a first time.

    A province clerk's dozen cards count two million duty records, a million opinions and the province's
    proposals: about a second of PostgreSQL. The list is kept per user, role, scope and language (a changed role or
    scope starts afresh). When it is older than the window, the page shows it as it is and one background thread
    (a lock in the cache) counts afresh for the next visit; the first visit, or one after
    ``CARDS_KEPT_WINDOWS`` windows, counts while it waits.
    """
    seconds = getattr(settings, "WORKBENCH_COUNT_SECONDS", 120)
    if seconds <= 0:
        return collect_cards(user)
    language = get_language()
    key = _cards_key(user, language)
    entry = cache.get(key)
    if entry is None:
        cards = collect_cards(user)
        cache.set(key, (time.time(), cards), seconds * CARDS_KEPT_WINDOWS)
        return cards
    counted_at, cards = entry
    if time.time() - counted_at >= seconds and cache.add(f"{key}:counting", 1, seconds):
        threading.Thread(
            target=_count_cards_again, args=(user.pk, language, key, seconds), name="workbench-cards", daemon=True
        ).start()
    return cards


def _count_cards_again(user_id, language, key, seconds):
    """Count a user's cards in the background and keep them for the next visit (see :func:`cards_for`)."""
    try:
        user = UsernameOrMobileBackend().get_user(user_id)  # as a request would load it; None if gone or inactive
        if user is not None:
            with translation.override(language):
                cards = collect_cards(user)
            cache.set(key, (time.time(), cards), seconds * CARDS_KEPT_WINDOWS)
    except Exception:
        logger.exception("counting the workbench cards of user %s failed; the kept ones are shown", user_id)
    finally:
        cache.delete(f"{key}:counting")
        connections.close_all()  # this thread's own connections


def group_cards(cards):
    """Split cards into (urgent, others), each keeping its order: what needs doing comes first on the page."""
    urgent = [card for card in cards if card.is_urgent]
    others = [card for card in cards if not card.is_urgent]
    return urgent, others


def cards_html(cards):
    """``cards`` in the one card markup (``liaison/_cards.jinja``), as one safe string: the home page's urgent and
    other cards (``{% workbench_cards %}``) and the deputy portal's."""
    return render_partial("liaison/_cards.jinja", {"cards": cards})


def collect_nav(user):
    items = []
    for hook in _app_hooks("nav"):
        items.extend(hook(user))
    return sorted(items, key=lambda item: item.order)


def collect_inbox(user):
    for hook in _app_hooks("inbox"):
        answer = hook(user)
        if answer is not None:
            return answer
    return None
