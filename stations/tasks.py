"""Celery tasks of the stations app. Each takes ids, loads fresh rows and calls a service."""

from celery import shared_task

from stations import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def notify_citizen_of_outcome(change_id):
    """Text the citizen the outcome of their opinion (once per status change)."""
    return services.opinion_notify_citizen(change_id=change_id)


@shared_task(acks_late=True, periodic=True)
def erase_expired_opinion_personal_data():
    """Every day: erase the personal fields of opinions older than OPINION_RETENTION_DAYS (statistics stay)."""
    return services.opinion_erase_expired_personal_data()
