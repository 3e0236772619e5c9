"""Delivery channels for notifications: the in-portal inbox, email (Django's mail backends) and SMS (liaison.sms).

Each external channel gets a stable ``idempotency_key`` per message (``reminder-<id>-sms``); a gateway that drops a
second message with the same key turns our at-least-once retry into exactly-once delivery (see
docs/benchmarks-reminders.md, "What is guaranteed"). Failures raise :class:`ChannelError`; callers retry.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage

from liaison import sms

INBOX, EMAIL, SMS = "inbox", "email", "sms"
ALL_CHANNELS = (INBOX, EMAIL, SMS)


class ChannelError(Exception):
    """A channel refused or could not be reached."""

    def __init__(self, channel, message):
        super().__init__(f"{channel}: {message}")
        self.channel = channel


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str = ""  # absolute path inside the portal, e.g. /proposals/12/

    def full_link(self):
        if not self.link:
            return ""
        return self.link if "://" in self.link else f"{settings.NOTIFICATION_SITE_URL.rstrip('/')}{self.link}"

    def sms_text(self):
        text = f"【{self.title}】{self.body}"
        return f"{text} {self.full_link()}".strip()


def send_email(user, message: Message, *, idempotency_key: str):
    if not user.email:
        return "no-address"
    body = f"{message.body}\n\n{message.full_link()}".strip()
    email = EmailMessage(
        subject=message.title,
        body=body,
        to=[user.email],
        headers={"Message-ID": f"<{idempotency_key}@liaison>", "X-Liaison-Key": idempotency_key},
    )
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP, DNS, socket: any backend failure is a channel failure
        raise ChannelError(EMAIL, f"{type(exc).__name__}: {exc}") from exc
    return "sent"


def send_sms(user, message: Message, *, idempotency_key: str):
    if not user.mobile:
        return "no-address"
    try:
        return sms.send_sms(user.mobile, message.sms_text(), idempotency_key=idempotency_key)
    except sms.SmsSendError as exc:
        raise ChannelError(SMS, str(exc)) from exc


EXTERNAL_SENDERS = {EMAIL: send_email, SMS: send_sms}
