"""The reminder machinery: sweep (find what is due and claim it), send (deliver one claimed reminder once), requeue
what a dead worker left behind, and the staff resend.

Exactly once, in short (the full argument is in docs/benchmarks-reminders.md):
- Claim = INSERT … ON CONFLICT DO NOTHING RETURNING id on the unique key (object, rule, due date, recipient). Two
  sweeps racing insert the same keys; PostgreSQL lets one win per key, and only ids we got back are enqueued.
- Send = in one transaction: lock the row (FOR UPDATE SKIP LOCKED), return if it is sent or someone else holds it,
  write the inbox message and mark the row sent, then call the external channels, then COMMIT. A worker that dies
  anywhere before the COMMIT leaves the row pending (its transaction is rolled back, its lock released), and the
  stale sweep enqueues it again. A duplicate task finds the row locked or sent and does nothing.
- The inbox is exactly once (same transaction). Email / SMS are at least once: the only way to send twice is to die
  between the gateway accepting and the COMMIT; every external send carries a stable idempotency key so a gateway
  that de-duplicates makes that exactly once too.
"""

import datetime
import json
import logging
from dataclasses import dataclass
from itertools import islice

from celery import current_app
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit import audit
from liaison.channels import EXTERNAL_SENDERS, INBOX, ChannelError
from liaison.errors import ApplicationError
from liaison.notifications.models import Notification
from liaison.notifications.rendering import render_message
from liaison.notifications.selectors import allowed_channels, channels_for, forget_unread_count, preference_for
from liaison.reminders import Due, Rule, discover_rules, iter_due
from liaison.reminders.calendar import due_days_sent_on
from liaison.reminders.models import Reminder
from liaison.reminders.settings import reminder_setting

logger = logging.getLogger("liaison.reminders")

CLAIM_COLUMNS = [
    "created_at",
    "updated_at",
    "object_type",
    "object_id",
    "rule",
    "due_on",
    "recipient",
    "template_key",
    "context",
    "link",
    "state",
    "attempts",
    "channels_done",
    "last_error",
]


class ReminderSendFailed(Exception):
    """At least one channel failed; the task retries with backoff (channels already reached are not repeated)."""


@dataclass
class SweepResult:
    dates: list
    seen: int = 0
    claimed: int = 0


def _chunks(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _claim_batch(batch: list[tuple[Rule, Due]]) -> list[int]:
    """Insert one row per due item; returns the ids of the rows this call created (the ones it now owns)."""
    now = timezone.now()
    fields = [Reminder._meta.get_field(name) for name in CLAIM_COLUMNS]
    table = connection.ops.quote_name(Reminder._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # The same key order in every sweep, so two sweeps racing on overlapping keys wait for each other, never deadlock.
    batch = sorted(
        batch, key=lambda rd: (rd[1].object_type, rd[1].object_id, rd[0].key, rd[1].due_on, rd[1].recipient_id)
    )
    if connection.vendor == "postgresql":
        return _claim_batch_postgresql(batch, now)
    rows_per_statement = max(1, 30000 // len(fields))
    claimed = []
    for part in _chunks(batch, rows_per_statement):
        params = []
        for rule, due in part:
            values = {
                "created_at": now,
                "updated_at": now,
                "object_type": due.object_type,
                "object_id": str(due.object_id),
                "rule": rule.key,
                "due_on": due.due_on,
                "recipient": due.recipient_id,
                "template_key": rule.template_key,
                "context": due.context,
                "link": due.link,
                "state": Reminder.State.PENDING,
                "attempts": 0,
                "channels_done": [],
                "last_error": "",
            }
            params.extend(f.get_db_prep_save(values[f.name], connection) for f in fields)
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(part))
        sql = f"INSERT INTO {table} ({columns}) VALUES {placeholders} ON CONFLICT DO NOTHING RETURNING id"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            claimed.extend(row[0] for row in cursor.fetchall())
    return claimed


def _claim_batch_postgresql(batch, now) -> list[int]:
    """One INSERT … SELECT FROM json_to_recordset(one JSON document) per chunk: a single parameter instead of
    thousands of placeholders, so neither the driver nor the server parses a huge statement. (Eight text arrays did
    the same, but Django's client-side binding quotes every array element with a regular expression in Python, which
    cost more than the INSERT itself; one JSON string is escaped in C.)"""
    table = connection.ops.quote_name(Reminder._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(Reminder._meta.get_field(name).column) for name in CLAIM_COLUMNS)
    rows = [
        {
            "t": due.object_type,
            "i": str(due.object_id),
            "r": rule.key,
            "d": due.due_on.isoformat(),
            "u": due.recipient_id,
            "k": rule.template_key,
            "c": due.context,
            "l": due.link,
        }
        for rule, due in batch
    ]
    sql = (
        f"INSERT INTO {table} ({columns}) "
        "SELECT %s, %s, u.t, u.i, u.r, u.d, u.u, u.k, u.c, u.l, %s, 0, '[]'::jsonb, '' "
        "FROM json_to_recordset(%s::json) AS u(t text, i text, r text, d date, u bigint, k text, c jsonb, l text) "
        "ON CONFLICT DO NOTHING RETURNING id"
    )
    document = json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, now, Reminder.State.PENDING.value, document])
        return [row[0] for row in cursor.fetchall()]


# The send task (liaison.reminders.tasks.send_reminders), addressed by its registered name: the tasks call these
# services, so the services cannot import the tasks. RemindersConfig.ready registers it in every process.
SEND_REMINDERS = "liaison.tasks.send_reminders"
SEND_BATCH = 200  # reminder ids per queued message: 300,000 claims make 1,500 messages, not 300,000


def enqueue_sends(reminder_ids):
    """Queue the sends, ``SEND_BATCH`` ids per task message, over a single broker connection."""
    send_reminders = current_app.tasks[SEND_REMINDERS]
    with current_app.producer_or_acquire() as producer:
        for part in _chunks(reminder_ids, SEND_BATCH):
            send_reminders.apply_async((part,), producer=producer)


def reminders_sweep(*, today: datetime.date | None = None, rules=None, enqueue: bool = True) -> SweepResult:
    """Ask every rule what is due today (and, on a working day, on the rest days that follow), claim each item in
    its own short transaction per chunk, and queue a send for every row claimed once that chunk commits."""
    today = today or timezone.localdate()
    rules = discover_rules() if rules is None else rules
    result = SweepResult(dates=due_days_sent_on(today))
    chunk = int(settings.REMINDER_CLAIM_CHUNK)
    for batch in _chunks(iter_due(rules, result.dates), chunk):
        with transaction.atomic():
            ids = _claim_batch(batch)
            if enqueue and ids:
                transaction.on_commit(lambda ids=ids: enqueue_sends(ids))
        result.seen += len(batch)
        result.claimed += len(ids)
    logger.info("reminder sweep %s: %s due, %s claimed", today, result.seen, result.claimed)
    return result


def reminder_send(*, reminder_id: int) -> str:
    """Deliver one claimed reminder on the recipient's channels, once. Returns what happened (for logs and tests):
    "sent", "already-sent", "busy" (another worker holds it), "gone" or "exhausted". Raises ReminderSendFailed when a
    channel failed (the row says which, and which channels already went out)."""
    errors = []
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None:
            return "busy" if Reminder.objects.filter(pk=reminder_id).exists() else "gone"
        if reminder.state == Reminder.State.SENT:
            return "already-sent"
        if reminder.attempts >= int(reminder_setting("REMINDER_MAX_ATTEMPTS")):
            return "exhausted"
        user = reminder.recipient
        preference = preference_for(user=user)
        message = render_message(reminder.template_key, reminder.context, language=user.language, link=reminder.link)
        channels = channels_for(user=user, preference=preference, allowed=allowed_channels())
        done = set(reminder.channels_done)
        if INBOX not in done:
            Notification.objects.create(
                recipient=user,
                reminder=reminder,
                template_key=reminder.template_key,
                title=message.title,
                body=message.body,
                link=reminder.link,
            )
            forget_unread_count(user.pk)
            done.add(INBOX)
        # Every database write first, marking the row sent; the external channels last. Then the only moment where a
        # crash sends twice is between a gateway's "accepted" and our COMMIT.
        reminder.attempts += 1
        reminder.state = Reminder.State.SENT
        reminder.sent_at = timezone.now()
        reminder.last_error = ""
        reminder.channels_done = sorted(done | set(channels))
        reminder.save(update_fields=["attempts", "state", "sent_at", "last_error", "channels_done", "updated_at"])
        for channel in channels:
            if channel in done:
                continue
            try:
                EXTERNAL_SENDERS[channel](user, message, idempotency_key=f"reminder-{reminder.pk}-{channel}")
            except ChannelError as exc:
                errors.append(str(exc))
            else:
                done.add(channel)
        if errors:
            reminder.state = Reminder.State.FAILED
            reminder.sent_at = None
            reminder.last_error = "; ".join(errors)[:2000]
            reminder.channels_done = sorted(done)
            reminder.save(update_fields=["state", "sent_at", "last_error", "channels_done", "updated_at"])
    if errors:
        raise ReminderSendFailed(f"reminder {reminder_id}: {'; '.join(errors)}")
    return "sent"


def reminders_requeue_stale(*, older_than_seconds: int | None = None) -> int:
    """Queue again the reminders a dead worker left pending (or failed, retries not exhausted) for longer than the
    stale timeout. A row a live worker is sending is locked and skipped; a duplicate task is harmless."""
    seconds = older_than_seconds if older_than_seconds is not None else int(settings.REMINDER_STALE_AFTER_SECONDS)
    cutoff = timezone.now() - datetime.timedelta(seconds=seconds)
    max_attempts = int(reminder_setting("REMINDER_MAX_ATTEMPTS"))
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Reminder.objects.select_for_update(skip_locked=True)
                .filter(
                    state__in=[Reminder.State.PENDING, Reminder.State.FAILED],
                    attempts__lt=max_attempts,
                    updated_at__lt=cutoff,
                )
                .order_by("pk")
                .values_list("pk", flat=True)[: int(settings.REMINDER_CLAIM_CHUNK)]
            )
            if not ids:
                break
            Reminder.objects.filter(pk__in=ids).update(updated_at=timezone.now())
            transaction.on_commit(lambda ids=ids: enqueue_sends(ids))
        total += len(ids)
    if total:
        logger.warning("requeued %s stale reminders", total)
    return total


def reminder_resend(*, actor, reminder: Reminder) -> Reminder:
    """Staff: try a failed reminder again from the start of its retry budget."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.state == Reminder.State.SENT:
            raise ApplicationError(_("该提醒已发送，不会重复发送。"), code="reminder_already_sent", status_code=409)
        reminder.state = Reminder.State.PENDING
        reminder.attempts = 0
        reminder.save(update_fields=["state", "attempts", "updated_at"])
        audit(
            actor,
            "reminder.resend",
            reminder,
            object_type="liaison.reminder",  # as before the model moved to the reminders app: kept in the audit log
            data={"rule": reminder.rule, "last_error": reminder.last_error},
        )
        transaction.on_commit(lambda: enqueue_sends([reminder.pk]))
    return reminder
