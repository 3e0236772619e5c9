"""When a province's figures expire, one request recomputes them; the others show the previous figures (with their
"as of" time) or wait for the one computing, instead of all computing side by side."""

import datetime
import threading

import pytest
from django.core.cache import cache
from django.utils import timezone

from reports.figures import selectors
from reports.figures.period import Period

pytestmark = pytest.mark.django_db

Y2024 = Period.year(2024)


@pytest.fixture
def computations(monkeypatch):
    calls = []
    real = selectors.compute_figures

    def counted(**kwargs):
        calls.append(kwargs["region"].pk)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "compute_figures", counted)
    return calls


def _store(region, *, age_seconds):
    key = selectors.cache_key(region, None, Y2024)
    entry = {"as_of": timezone.now() - datetime.timedelta(seconds=age_seconds), "figures": {"marker": "old"}}
    cache.set(key, entry, 3600)
    return key


def test_fresh_figures_come_from_the_cache(staff_zz, regions, computations):
    _store(regions["zhuzhou"], age_seconds=10)
    entry = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024)
    assert entry["figures"] == {"marker": "old"} and computations == []


def test_stale_figures_are_recomputed_by_the_first_request(staff_zz, regions, computations, settings):
    settings.FIGURES_CACHE_SECONDS = 60
    key = _store(regions["zhuzhou"], age_seconds=120)
    entry = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024)
    assert "marker" not in entry["figures"] and computations == [regions["zhuzhou"].pk]
    assert cache.get(key)["as_of"] == entry["as_of"]
    assert cache.get(f"{key}:computing") is None  # the lock is released


def test_while_one_request_recomputes_the_others_show_the_stale_figures(staff_zz, regions, computations, settings):
    settings.FIGURES_CACHE_SECONDS = 60
    key = _store(regions["zhuzhou"], age_seconds=120)
    cache.add(f"{key}:computing", 1, 60)  # another request is computing
    entry = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024)
    assert entry["figures"] == {"marker": "old"} and computations == []


def test_with_nothing_cached_the_others_wait_for_the_one_computing(staff_zz, regions, computations, monkeypatch):
    key = selectors.cache_key(regions["zhuzhou"], None, Y2024)
    cache.add(f"{key}:computing", 1, 60)
    ready = {"as_of": timezone.now(), "figures": {"marker": "from the other request"}}
    timer = threading.Timer(0.5, lambda: cache.set(key, ready, 600))
    timer.start()
    try:
        entry = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024)
    finally:
        timer.cancel()
    assert entry["figures"] == {"marker": "from the other request"} and computations == []


def test_a_lock_left_by_a_crashed_request_does_not_block_for_ever(staff_zz, regions, computations, monkeypatch):
    key = selectors.cache_key(regions["zhuzhou"], None, Y2024)
    cache.add(f"{key}:computing", 1, 60)
    monkeypatch.setattr(selectors, "WAIT_SECONDS", 0.5)
    entry = selectors.figures_for(user=staff_zz, region=regions["zhuzhou"], period=Y2024)
    assert "marker" not in entry["figures"] and computations == [regions["zhuzhou"].pk]
