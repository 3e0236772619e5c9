"""Queue Celery work without losing it when the broker is down (the transactional-outbox pattern, simplified).

``enqueue(task, *args, **kwargs)`` publishes at once with a short time-out; if the broker cannot be reached the
call is written to :class:`liaison.models.OutboxMessage` instead, and :func:`sweep_outbox` (a beat task every
minute, also ``manage.py sweep_outbox``) publishes it once the broker is back. Call it from
``transaction.on_commit`` (or use :func:`enqueue_on_commit`), as every side effect of a service is.

A task may thus run twice (published, then the sweep's retry after a lost reply) but never zero times: tasks are
idempotent by the project's rule (they load fresh rows and check state before acting).
"""

import logging

from celery import current_app, shared_task
from django.db import transaction
from django.utils import timezone

from liaison.models import OutboxMessage

logger = logging.getLogger("liaison.outbox")

# What a publish raises when Redis is down or unreachable (kombu wraps most into OperationalError).
try:
    from kombu.exceptions import OperationalError as KombuOperationalError
except ImportError:  # pragma: no cover
    KombuOperationalError = OSError
try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError

BROKER_ERRORS = (KombuOperationalError, RedisError, ConnectionError, OSError, TimeoutError)


def _publish(task_name, args, kwargs):
    task = current_app.tasks.get(task_name)
    if task is not None:  # apply_async honours CELERY_TASK_ALWAYS_EAGER (tests, development)
        task.apply_async(args=list(args), kwargs=dict(kwargs), retry=True)
    else:
        current_app.send_task(task_name, args=list(args), kwargs=dict(kwargs), retry=True)


def enqueue(task, *args, **kwargs):
    """Publish ``task(*args, **kwargs)``; on a broker error keep it in the outbox. Returns True when published."""
    name = task if isinstance(task, str) else task.name
    try:
        _publish(name, args, kwargs)
        return True
    except BROKER_ERRORS as exc:
        OutboxMessage.objects.create(task=name, args=list(args), kwargs=dict(kwargs), last_error=repr(exc)[:500])
        logger.warning("broker unavailable, %s kept in the outbox: %s", name, type(exc).__name__)
        return False


def enqueue_on_commit(task, *args, **kwargs):
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


def sweep_outbox(limit=500):
    """Publish what the outbox holds, oldest first; stop at the first broker error. Returns the number sent."""
    sent = 0
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.filter(sent_at__isnull=True)
            .order_by("id")
            .select_for_update(skip_locked=True)[:limit]
        )
        for row in rows:
            try:
                _publish(row.task, row.args, row.kwargs)
            except BROKER_ERRORS as exc:
                row.attempts += 1
                row.last_error = repr(exc)[:500]
                row.save(update_fields=["attempts", "last_error"])
                break
            row.attempts += 1
            row.sent_at = timezone.now()
            row.save(update_fields=["attempts", "sent_at"])
            sent += 1
    if sent:
        logger.info("outbox: %s task(s) sent", sent)
    return sent


@shared_task(name="liaison.outbox.sweep_outbox", periodic=True)
def sweep_outbox_task():
    return sweep_outbox()
