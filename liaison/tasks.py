"""The liaison app's Celery tasks, each defined beside what it runs; the worker's autodiscovery imports this module
(``<app>.tasks``), which registers them. The reminders' and the notifications' tasks are in their own apps'
``tasks.py`` (liaison.reminders.tasks, liaison.notifications.tasks), under the names they had here.
"""

from liaison.outbox import sweep_outbox_task  # noqa: F401  (liaison.outbox.sweep_outbox: the outbox's beat sweep)
from liaison.progress import run_job  # noqa: F401  (liaison.progress.run_job: background exports and reports)
