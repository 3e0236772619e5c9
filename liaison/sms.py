"""Pluggable SMS sending. ``SMS_BACKEND`` names a class with ``send(mobile, text)``; the default writes to the log.

A real gateway implements :class:`BaseSmsBackend` and is configured by its dotted path; tests use the
in-memory backend and read ``liaison.sms.outbox``. The log line never holds the whole mobile number.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from liaison.privacy import mask_mobile

logger = logging.getLogger("liaison.sms")

outbox = []  # filled by LocmemSmsBackend, for tests


class SmsSendError(Exception):
    """The gateway refused or could not be reached; callers retry."""


class BaseSmsBackend:
    def send(self, mobile, text):
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, mobile, text):
        logger.info("SMS to %s: %s", mask_mobile(mobile), text)
        return "console"


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, mobile, text):
        outbox.append({"mobile": mobile, "text": text})
        return f"locmem-{len(outbox)}"


def get_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "liaison.sms.ConsoleSmsBackend"))()


def send_sms(mobile, text):
    """Send one message; returns the gateway's message id. Raises SmsSendError on failure."""
    return get_backend().send(mobile, text)
