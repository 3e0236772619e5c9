"""The reports app's Celery tasks, where the worker's autodiscovery looks (``<app>.tasks``)."""

from reports.figures.tasks import refresh_dashboards

__all__ = ["refresh_dashboards"]
