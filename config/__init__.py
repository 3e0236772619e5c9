"""Project configuration: settings, root URLs, WSGI and the Celery app. Importing the settings loads the Celery app
first, so every ``@shared_task`` binds to it."""

from .celery import app as celery_app

__all__ = ["celery_app"]
