"""Pluggable SMS sending. ``SMS_BACKEND`` names a class with ``send(mobile, text)``; the default writes to the log.

A real gateway implements :class:`BaseSmsBackend` and is configured by its dotted path; tests use the
in-memory backend and read ``liaison.sms.outbox``. The log line never holds the whole mobile number.
"""

import inspect
import logging

from django.conf import settings
from django.utils.module_loading import import_string

from liaison.privacy import mask_mobile

logger = logging.getLogger("liaison.sms")

outbox = []  # filled by LocmemSmsBackend, for tests


class SmsSendError(Exception):
    """The gateway refused or could not be reached; callers retry."""


class BaseSmsBackend:
    """A gateway adapter. ``idempotency_key`` is stable for one message across retries: pass it to the gateway as
    its client message id where the gateway de-duplicates on one, so a retried send is not delivered twice."""

    def send(self, mobile, text, idempotency_key=None):
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, mobile, text, idempotency_key=None):
        logger.info("SMS to %s: %s", mask_mobile(mobile), text)
        return "console"


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, mobile, text, idempotency_key=None):
        outbox.append({"mobile": mobile, "text": text, "key": idempotency_key})
        return f"locmem-{len(outbox)}"


def get_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "liaison.sms.ConsoleSmsBackend"))()


def send_sms(mobile, text, idempotency_key=None):
    """Send one message; returns the gateway's message id. Raises SmsSendError on failure."""
    backend = get_backend()
    if idempotency_key is None or not _accepts_key(backend):
        return backend.send(mobile, text)
    return backend.send(mobile, text, idempotency_key=idempotency_key)


def _accepts_key(backend):
    """Older adapters implement ``send(mobile, text)`` only; they still work, without de-duplication."""
    params = inspect.signature(backend.send).parameters.values()
    return any(p.name == "idempotency_key" or p.kind is p.VAR_KEYWORD for p in params)


class HttpGatewaySmsBackend(BaseSmsBackend):
    """A province provider's HTTP gateway (docs/sms-gateway.md): a JSON POST signed with HMAC-SHA256 over
    ``timestamp + "." + body`` (header ``X-Liaison-Signature``), the idempotency key in ``Idempotency-Key`` (the
    same on every retry); 5xx answers and timeouts are retried with backoff, 4xx answers are not."""

    def send(self, mobile, text, idempotency_key=None):
        import hashlib
        import hmac
        import json
        import time
        import urllib.error
        import urllib.request
        import uuid

        url, key = settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY
        secret = settings.SMS_GATEWAY_SECRET.encode()
        idempotency_key = idempotency_key or uuid.uuid4().hex
        body = json.dumps({"mobile": mobile, "text": text, "client_id": idempotency_key}, ensure_ascii=False).encode()
        attempts = 1 + max(0, settings.SMS_GATEWAY_RETRIES)
        for attempt in range(1, attempts + 1):
            timestamp = str(int(time.time()))
            signature = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            request = urllib.request.Request(
                url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "X-Liaison-Key": key,
                    "X-Liaison-Timestamp": timestamp,
                    "X-Liaison-Signature": signature,
                    "Idempotency-Key": idempotency_key,
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
                    answer = json.loads(response.read() or b"{}")
                logger.info("SMS to %s sent (attempt %s, key %s)", mask_mobile(mobile), attempt, idempotency_key)
                return str(answer.get("message_id") or idempotency_key)
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    logger.warning("SMS to %s refused: HTTP %s", mask_mobile(mobile), error.code)
                    raise SmsSendError(f"gateway refused: HTTP {error.code}") from error
                problem = f"HTTP {error.code}"
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                problem = type(error).__name__
            logger.warning("SMS to %s failed (%s, attempt %s of %s)", mask_mobile(mobile), problem, attempt, attempts)
            if attempt < attempts:
                time.sleep(settings.SMS_GATEWAY_BACKOFF * 2 ** (attempt - 1))
        raise SmsSendError(f"gateway unavailable after {attempts} attempts: {problem}")
