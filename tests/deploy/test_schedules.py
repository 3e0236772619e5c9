"""seed_schedules makes one beat row for every task the code marks periodic, and a re-seed keeps staff's choice."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from config.celery import app

pytestmark = pytest.mark.django_db


def periodic_tasks():
    app.loader.import_default_modules()  # the autodiscovered task modules, as a worker loads them
    return {name for name, task in app.tasks.items() if getattr(task, "periodic", False)}


def test_every_periodic_task_has_a_schedule_row():
    call_command("seed_schedules")
    defined = periodic_tasks()
    assert "stations.tasks.erase_expired_opinion_personal_data" in defined
    assert len(defined) >= 7
    assert set(PeriodicTask.objects.values_list("task", flat=True)) == defined


def test_erase_runs_daily_on_a_crontab():
    call_command("seed_schedules")
    row = PeriodicTask.objects.get(task="stations.tasks.erase_expired_opinion_personal_data")
    assert row.interval is None
    assert (row.crontab.minute, row.crontab.hour, row.crontab.day_of_week) == ("30", "3", "*")
    assert str(row.crontab.timezone) == "Asia/Shanghai"


def test_reseed_keeps_the_enabled_choice_and_fixes_the_schedule():
    call_command("seed_schedules")
    row = PeriodicTask.objects.get(task="liaison.outbox.sweep_outbox")
    row.enabled = False
    row.description = "edited by hand"
    row.save()
    call_command("seed_schedules")
    row.refresh_from_db()
    assert row.enabled is False
    assert row.description == "every minute"
    assert PeriodicTask.objects.filter(task="liaison.outbox.sweep_outbox").count() == 1


def test_the_dashboard_refresh_keeps_its_stored_name_after_the_move_to_reports():
    """Beat rows and queued messages written before the figures moved to reports/ name the old module."""
    app.loader.import_default_modules()
    task = app.tasks["liaison.figures.refresh_dashboards"]
    assert task.run.__module__ == "reports.figures.tasks"
    assert task.periodic
    call_command("seed_schedules")
    assert PeriodicTask.objects.filter(task="liaison.figures.refresh_dashboards").exists()
