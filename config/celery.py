"""The Celery application. Periodic schedules live in django-celery-beat's table, seeded by `manage.py seed_schedules`."""

import os
import random

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def is_database_locked(exc):
    """SQLite's "database is locked" / "database table is locked": the embedded default under load, worth a retry."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "is locked" in str(exc)


class LiaisonTask(Task):
    """Every task: a write that meets a locked SQLite file is retried with backoff (up to 5 times, ≤ 60 s),
    as if it had ``autoretry_for`` that one error. Other errors behave as each task declares."""

    locked_max_retries = 5

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            if not is_database_locked(exc) or self.request.called_directly:
                raise
            retries = self.request.retries
            if retries >= self.locked_max_retries:
                raise
            delay = min(2**retries, 60)
            raise self.retry(exc=exc, countdown=delay + random.uniform(0, 1), max_retries=self.locked_max_retries)


app = Celery("liaison", task_cls=LiaisonTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # <app>.tasks of every installed app


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs):
    """The file-system broker (development) needs its folders before the first message, from any process."""
    options = sender.conf.broker_transport_options or {}
    if str(sender.conf.broker_url).startswith("filesystem"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder"):
            if options.get(key):
                os.makedirs(options[key], exist_ok=True)
