"""Authentication of hotline systems: API keys, HMAC-SHA256 request signatures, replay protection, IP allow-lists.

Keys
    A key is ``<key_id>.<secret>`` (for example ``hl_3f9a1c2b7d.q0V…``), shown once when staff register or rotate a
    client. The portal stores only ``key_hash = sha256(key)`` (hex). The key id is the lookup prefix.

Signing key
    ``signing_key = sha256(key)`` as 64 lowercase hex characters (the same value the portal stores). A leaked
    database therefore lets someone sign requests until the key is rotated, but never reveals the key itself, which
    Open311's ``api_key`` needs.

Canonical string (five lines joined by ``\\n``, no trailing newline)::

    METHOD                 upper case, e.g. POST
    PATH                   the path and query string exactly as sent, e.g. /api/v1/hotline/work-orders/?a=1
    TIMESTAMP              Unix seconds, the same value as the X-Hotline-Timestamp header
    NONCE                  the X-Hotline-Nonce header: 16–64 characters of [A-Za-z0-9_-], never reused
    BODY_SHA256            sha256 of the raw request body in lowercase hex (of b"" for an empty body)

Headers
    ``X-Hotline-Key: <key_id>``, ``X-Hotline-Timestamp``, ``X-Hotline-Nonce``,
    ``X-Hotline-Signature: hex(hmac_sha256(signing_key, canonical_string))``.

Refusals (one error shape ``{"code", "message", "fields"}``, an audit row each):
    401 ``signature_missing`` / ``unknown_key`` / ``timestamp_invalid`` / ``timestamp_expired`` (more than 300 s
    off) / ``bad_signature`` / ``nonce_reused``; 403 ``client_revoked`` / ``ip_not_allowed``; 413 ``body_too_large``.
"""

import contextlib
import datetime
import hashlib
import hmac
import ipaddress
import re
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication

from hotline.models import ApiClient, ApiNonce
from liaison import proxies
from liaison.audit import audit
from liaison.models import AuditLog

KEY_HEADER = "X-Hotline-Key"
TIMESTAMP_HEADER = "X-Hotline-Timestamp"
NONCE_HEADER = "X-Hotline-Nonce"
SIGNATURE_HEADER = "X-Hotline-Signature"
MAX_SKEW_SECONDS = 300
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEY_ID_RE = re.compile(r"^hl_[0-9a-f]{10}$")
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def max_body_bytes():
    return int(getattr(settings, "HOTLINE_MAX_BODY_BYTES", 256 * 1024))


# ---------------------------------------------------------------- keys


def new_key():
    """A fresh ``(key_id, key)``: 10 hex characters of id and 32 random bytes of secret."""
    key_id = f"hl_{secrets.token_hex(5)}"
    return key_id, f"{key_id}.{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id_of(key: str) -> str:
    return (key or "").split(".", 1)[0]


def canonical_string(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return "\n".join([method.upper(), path, str(timestamp), nonce, hashlib.sha256(body or b"").hexdigest()])


def sign(signing_key: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = canonical_string(method, path, timestamp, nonce, body)
    return hmac.new(signing_key.encode(), message.encode(), hashlib.sha256).hexdigest()


def signed_headers(*, key: str, method: str, path: str, body: bytes = b"", timestamp=None, nonce=None) -> dict:
    """The four headers for a request signed with ``key`` (used by the outbound sender, tests and the docs)."""
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_urlsafe(18)
    return {
        KEY_HEADER: key_id_of(key),
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(hash_key(key), method, path, timestamp, nonce, body),
    }


def signed_headers_with_hash(*, key_id: str, key_hash: str, method: str, path: str, body: bytes = b"") -> dict:
    """Outbound requests: the portal signs with the stored hash, which is the signing key."""
    timestamp = str(int(time.time()))
    nonce = secrets.token_urlsafe(18)
    return {
        KEY_HEADER: key_id,
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(key_hash, method, path, timestamp, nonce, body),
    }


# ---------------------------------------------------------------- refusals


class BodyTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "body_too_large"


def _refuse(request, code, message, *, client=None, status_code=401):
    audit(
        None,
        "hotline.auth_refused",
        client,
        request=request,
        result=AuditLog.Result.DENIED,
        data={"code": code, "path": request.path[:200], "key_id": (client.key_id if client else "")},
        object_type="" if client else "hotline.apiclient",
    )
    if status_code == 403:
        return exceptions.PermissionDenied(message, code=code)
    if status_code == 413:
        return BodyTooLarge(message, code=code)
    return exceptions.AuthenticationFailed(message, code=code)


def ip_allowed(client: ApiClient, ip: str | None) -> bool:
    networks = [line.strip() for line in client.ip_allowlist.replace(",", "\n").splitlines() if line.strip()]
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    for network in networks:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def check_body_size(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_body_bytes():
        raise _refuse(
            request,
            "body_too_large",
            _("请求内容超过 %(n)d 字节。") % {"n": max_body_bytes()},
            status_code=413,
        )


def check_client_allowed(request, client):
    """Revoked or outside the IP allow-list: 403, audited."""
    if not client.is_active:
        raise _refuse(request, "client_revoked", _("该客户端已被吊销。"), client=client, status_code=403)
    if not ip_allowed(client, proxies.client_ip(request)):  # X-Forwarded-For only from TRUSTED_PROXIES
        raise _refuse(request, "ip_not_allowed", _("来源地址不在该客户端的白名单内。"), client=client, status_code=403)


def client_for_api_key(request, api_key):
    """Open311's ``api_key``: the whole key, compared by hash. ``None`` when it does not match."""
    key_id = key_id_of(api_key)
    client = ApiClient.objects.select_related("region").filter(key_id=key_id).first() if key_id else None
    if client is None or not hmac.compare_digest(client.key_hash, hash_key(api_key)):
        audit(
            None,
            "hotline.auth_refused",
            client,
            request=request,
            result=AuditLog.Result.DENIED,
            data={"code": "unknown_key", "path": request.path[:200], "key_id": key_id[:32]},
            object_type="" if client else "hotline.apiclient",
        )
        return None
    return client


def _remember_nonce(client, nonce):
    # Inside a transaction (a test's, or a caller's) a savepoint keeps a refused insert from breaking it; a request
    # is outside one, where the lone INSERT commits by itself, without a BEGIN and a COMMIT around it.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else contextlib.nullcontext():
            ApiNonce.objects.create(client=client, nonce=nonce)
    except IntegrityError:
        return False
    return True


def _client_cache_key(key_id):
    return f"hotline-client:v1:{key_id}"


def _client_cache_seconds():
    return getattr(settings, "HOTLINE_CLIENT_CACHE_SECONDS", 30)


# What the cache holds for a key id the services have just changed: "read the database, and do not fill".
_CHANGED = "changed"


def client_for_key_id(key_id):
    """The client (with its region) of a well-formed key id, or ``None``.

    Every signed request starts here, so the row is kept ``HOTLINE_CLIENT_CACHE_SECONDS`` (30 s) per key id. The
    services that change a client (update, rotate, revoke) mark its key ids as changed when they commit
    (``forget_client``): for the next 30 s requests read the row from the database and do not cache it, and as the
    cache is filled with ``add``, a request that read the row just before the change cannot put the old row back.
    A revoked or rotated key therefore stops working as soon as the change commits.
    """
    if not KEY_ID_RE.match(key_id or ""):
        return None
    seconds = _client_cache_seconds()
    cached = cache.get(_client_cache_key(key_id)) if seconds > 0 else None
    if isinstance(cached, ApiClient):
        return cached
    client = ApiClient.objects.select_related("region").filter(key_id=key_id).first()
    if client is not None and cached is None and seconds > 0:
        cache.add(_client_cache_key(key_id), client, seconds)
    return client


def forget_client(*key_ids):
    """Mark these key ids as changed now and again when the current transaction commits: until it commits other
    requests read the old row from the database without caching it, and for 30 s after it the new one."""
    seconds = _client_cache_seconds()
    if seconds <= 0:
        return
    keys = {_client_cache_key(key_id): _CHANGED for key_id in key_ids if key_id}
    cache.set_many(keys, seconds)
    transaction.on_commit(lambda: cache.set_many(keys, seconds))


# When this process last wrote each client's last_used_at (the cached row keeps the value it was read with).
_touched = {}


def _touch(client, now):
    """``last_used_at`` to a minute's precision: a write per request would serialise a busy client's pushes on its
    row, so each process writes it at most once a minute."""
    last = max(filter(None, (client.last_used_at, _touched.get(client.pk))), default=None)
    if last is not None and now - last <= LAST_USED_PRECISION:
        return
    _touched[client.pk] = now
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)


def purge_nonces(*, older_than_seconds=2 * MAX_SKEW_SECONDS):
    """Nonces older than twice the allowed skew can no longer be replayed (their timestamps are refused)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return ApiNonce.objects.filter(created_at__lt=cutoff).delete()[0]


class HotlinePrincipal:
    """``request.user`` for a signed request: not a portal user, only the client's region and rights."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    role = "hotline"
    pk = None
    id = None

    def __init__(self, client):
        self.client = client

    def __str__(self):
        return str(self.client)


class HotlineSignatureAuthentication(BaseAuthentication):
    """Checks the four headers; ``request.auth`` is the ApiClient."""

    def authenticate_header(self, request):
        return 'HMAC-SHA256 realm="hotline"'

    def authenticate(self, request):
        check_body_size(request)
        meta = request.META
        key_id = meta.get("HTTP_X_HOTLINE_KEY", "")
        timestamp = meta.get("HTTP_X_HOTLINE_TIMESTAMP", "")
        nonce = meta.get("HTTP_X_HOTLINE_NONCE", "")
        signature = meta.get("HTTP_X_HOTLINE_SIGNATURE", "")
        if not (key_id and timestamp and nonce and signature):
            raise _refuse(request, "signature_missing", _("缺少签名请求头。"))
        client = client_for_key_id(key_id)
        if client is None:
            raise _refuse(request, "unknown_key", _("密钥编号不存在。"))
        check_client_allowed(request, client)
        if not timestamp.isdigit():
            raise _refuse(request, "timestamp_invalid", _("时间戳须为 Unix 秒数。"), client=client)
        if abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
            raise _refuse(request, "timestamp_expired", _("时间戳与服务器时间相差超过 5 分钟。"), client=client)
        if not NONCE_RE.match(nonce):
            raise _refuse(request, "nonce_invalid", _("随机串须为 16–64 位字母、数字、- 或 _。"), client=client)
        expected = sign(client.key_hash, request.method, request.get_full_path(), timestamp, nonce, request.body)
        if not hmac.compare_digest(expected, signature.lower()):
            raise _refuse(request, "bad_signature", _("签名不正确。"), client=client)
        if not _remember_nonce(client, nonce):
            raise _refuse(request, "nonce_reused", _("随机串已使用过（疑似重放）。"), client=client)
        _touch(client, timezone.now())
        return HotlinePrincipal(client), client


class IsHotlineClient(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient)


class HotlineClientThrottle(throttling.SimpleRateThrottle):
    """Per-client rate (ApiClient.throttle_rate) counted in Django's cache."""

    scope = "hotline"

    def __init__(self):
        # The rate is the client's own; it is set per request in allow_request.
        pass

    @staticmethod
    def _client(request):
        client = getattr(request, "auth", None)
        return client if isinstance(client, ApiClient) else getattr(request, "hotline_client", None)

    def get_ident(self, request):
        """The client's address as ``liaison.proxies`` sees it: DRF's own reads a raw X-Forwarded-For any caller
        can write (NUM_PROXIES unset)."""
        return proxies.client_ip(request) or "unknown"

    def get_cache_key(self, request, view):
        client = self._client(request)
        if client is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"client-{client.pk}"}

    def allow_request(self, request, view):
        client = self._client(request)
        self.rate = client.throttle_rate if client is not None else getattr(settings, "OPEN311_ANON_RATE", "60/min")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
