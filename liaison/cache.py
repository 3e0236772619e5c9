"""A Redis cache that fails open: when Redis is down a request carries on as if the cache were empty.

Decided per use (issue 11, Redis down in production):
- cached public pages and figures (``get``/``get_or_set``): a miss — the value is computed from PostgreSQL;
- QR-form rate limits and the duplicate-submission lock (``add``/``incr``): fail OPEN, with a warning in the log
  (``liaison.cache``). The QR form is the citizens' channel to their deputies; silencing it for the length of an
  outage is worse than a flood window of that length, which the honeypot, the duplicate check in PostgreSQL and
  the request-size limits still bound;
- sessions live in PostgreSQL (the default database backend), axes lock-outs too: Redis plays no part in login;
- writes that queue Celery work save at once and leave the call in the outbox (liaison.outbox).
Time-outs are short (socket 0.5 s) so a hung Redis costs a request half a second, not a worker.
"""

import hashlib
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.exceptions import EmptyResultSet

logger = logging.getLogger("liaison.cache")

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError

ERRORS = (RedisError, ConnectionError, OSError, TimeoutError)


def _down(operation, key, exc):
    logger.warning("cache unavailable (%s), %s of %s fails open", type(exc).__name__, operation, str(key)[:40])


class _ReusedClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` object around the connection pool for every operation (about
    0.1 ms each, several times a page); a ``redis.Redis`` is safe to share, so one is kept per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = _ReusedClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except ERRORS as exc:
            _down("get", key, exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except ERRORS as exc:
            _down("get_many", ",".join(map(str, keys)), exc)
            return {}

    def get_or_set(self, key, default, timeout=None, version=None):
        try:
            return super().get_or_set(key, default, timeout, version)
        except ERRORS as exc:
            _down("get_or_set", key, exc)
            return default() if callable(default) else default

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except ERRORS as exc:
            _down("set", key, exc)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except ERRORS as exc:
            _down("add", key, exc)
            return True  # a lock or counter that cannot be taken is treated as free

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ERRORS as exc:
            _down("incr", key, exc)
            return delta  # the first hit of a window: within every limit

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except ERRORS as exc:
            _down("delete", key, exc)
            return False

    def has_key(self, key, version=None):  # also ``key in cache`` (the cached_db sessions ask it on sign-in)
        try:
            return super().has_key(key, version)
        except ERRORS as exc:
            _down("has_key", key, exc)
            return False

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except ERRORS as exc:
            _down("set_many", ",".join(map(str, data)), exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except ERRORS as exc:
            _down("delete_many", ",".join(map(str, keys)), exc)
            return False

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except ERRORS as exc:
            _down("touch", key, exc)
            return False


def statement_key(prefix, queryset):
    """A cache key for what ``queryset`` would read: its SQL and parameters, so the caller's scope and filters are
    part of it (two users of the same region share it, two regions never do).

    A queryset Django knows to be empty (``.none()``, ``pk__in=[]`` — a handling unit's user with no unit scope)
    has no SQL: ``sql_with_params()`` raises ``EmptyResultSet``. Every such queryset reads nothing, so they share
    one stable key (its count is 0, its rows are none) instead of failing the page with a 500."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return f"{prefix}:empty"
    return f"{prefix}:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
