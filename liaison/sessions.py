"""Sessions read from the shared cache, with the session table behind them (issue 22, ADR 0021).

Django's ``cached_db`` engine on the fail-open Redis cache (:class:`liaison.cache.ResilientRedisCache`): a
signed-in request reads its session from Redis, not from PostgreSQL, and every write still goes to the table, so a
Redis outage or restart signs nobody out (a read that misses falls through to the table).

One difference from Django's engine: what the cache holds is kept at most ``SESSION_CACHE_SECONDS``. A session
ended while Redis was unreachable (sign-out, the idle timeout: the cache's delete fails open) would otherwise come
back with Redis for the rest of its age; it now lives at most that long, and the table no longer knows it.

``config.settings`` choose this engine only on the Redis cache (:func:`config.settings.base.identity_caching`): with
the per-process local-memory cache of ``make run`` the table alone is used, since one process would go on
trusting a session another had ended.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class _CappedCache:
    """The session cache with every entry's lifetime capped; anything else is the cache's own."""

    def __init__(self, cache, seconds):
        self._cache = cache
        self._seconds = seconds

    def set(self, key, value, timeout=None, version=None):
        timeout = self._seconds if timeout is None else min(timeout, self._seconds)
        return self._cache.set(key, value, timeout, version)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedCache(self._cache, settings.SESSION_CACHE_SECONDS)
