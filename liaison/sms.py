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
