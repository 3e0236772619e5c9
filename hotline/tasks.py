"""Celery tasks of the 12345 integration. Each takes ids and calls a service that checks state first."""

import random

from celery import shared_task
from django.conf import settings

from hotline import auth, services
from hotline.models import HotlineWorkOrder


def backoff_seconds(retries):
    """Exponential backoff with jitter: base · 2^retries (base HOTLINE_SEND_BACKOFF_SECONDS, 30 s), at most 1 h."""
    base = float(getattr(settings, "HOTLINE_SEND_BACKOFF_SECONDS", 30))
    delay = min(base * (2**retries), 3600)
    return delay + random.uniform(0, delay / 10) if delay else 0


def max_retries():
    return int(getattr(settings, "HOTLINE_SEND_MAX_RETRIES", 5))


# The registered names are the ones the tasks had in stations/hotline/tasks.py: queued messages, outbox rows and
# the beat schedules (seed_schedules) hold them.
OLD_PREFIX = "stations.hotline.tasks"


@shared_task(
    name=f"{OLD_PREFIX}.send_work_order",
    bind=True,
    acks_late=True,
    max_retries=None,
    soft_time_limit=60,
    time_limit=90,
)
def send_work_order(self, order_id):
    """Send an outbound work order; on a transient failure retry with backoff, and after the last retry mark the
    order ``failed`` (staff resend it from the admin)."""
    outcome = services.work_order_send(order_id=order_id)
    if outcome != "retry":
        return outcome
    if self.request.retries >= max_retries():
        services.work_order_mark_failed(order_id=order_id)
        return "failed"
    raise self.retry(countdown=backoff_seconds(self.request.retries))


@shared_task(name=f"{OLD_PREFIX}.send_pending_work_orders", acks_late=True, periodic=True)
def send_pending_work_orders():
    """Every 5 minutes: queue outbound orders still pending (a lost task, a client configured later)."""
    ids = list(
        HotlineWorkOrder.objects.filter(
            direction=HotlineWorkOrder.Direction.OUTBOUND, status=HotlineWorkOrder.Status.PENDING
        ).values_list("pk", flat=True)[:500]
    )
    for order_id in ids:
        send_work_order.delay(order_id)
    return len(ids)


@shared_task(name=f"{OLD_PREFIX}.purge_hotline_replay_data", acks_late=True, periodic=True)
def purge_hotline_replay_data():
    """Every hour: forget nonces past the timestamp window and idempotency records past HOTLINE_IDEMPOTENCY_DAYS."""
    return {"nonces": auth.purge_nonces(), "idempotency": services.purge_idempotency_records()}
