"""The kernel names no app: job kinds, tasks and encrypted JSON keys are found through registries (ADR 0015)."""

import io

import pytest
from django.core.management import call_command

from config.celery import app
from hotline.models import HotlineWorkOrder
from liaison import crypto, jobs
from liaison.models import AuditLog
from liaison.notifications.services import preference_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_app_registers_its_own_job_kinds_under_the_names_kept_in_progress_records():
    assert jobs.job_kind("proposals.ledger").runner.__module__ == "proposals.jobs"
    assert jobs.job_kind("deputies.roster").runner.__module__ == "deputies.jobs"
    assert jobs.job_kind("figures.report_pdf").runner.__module__ == "reports.jobs"
    assert jobs.job_kind("proposals.ledger").needs_password and not jobs.job_kind("figures.report_pdf").needs_password


def test_a_job_kind_registered_twice_with_another_runner_is_refused():
    with pytest.raises(ValueError):
        jobs.register("proposals.ledger", jobs.JobKind("x", lambda **kwargs: None))
    assert jobs.job_kind("proposals.ledger").runner.__module__ == "proposals.jobs"


def test_the_stored_task_names_still_resolve_after_autodiscovery():
    app.loader.import_default_modules()  # what the worker does at start: every app's tasks module
    names = set(app.tasks)
    for name in [
        "liaison.tasks.sweep_reminders",
        "liaison.tasks.requeue_stale_reminders",
        "liaison.tasks.send_reminders",
        "liaison.tasks.send_reminder",
        "liaison.tasks.send_notification_channel",
        "liaison.progress.run_job",
        "liaison.outbox.sweep_outbox",
        "liaison.figures.refresh_dashboards",
    ]:
        assert name in names, name


def test_rotation_re_encrypts_the_mobile_kept_in_a_work_order_payload(settings):
    order = HotlineWorkOrder.objects.create(direction="outbound", payload={"mobile": crypto.encrypt("13812345678")})
    HotlineWorkOrder.objects.create(direction="outbound", payload={"title": "no mobile"})
    old_key = settings.PERSONAL_DATA_KEY
    settings.PERSONAL_DATA_KEY, settings.PERSONAL_DATA_OLD_KEYS = "the-new-personal-data-key", [old_key]
    assert crypto.needs_rotation(HotlineWorkOrder.objects.get(pk=order.pk).payload["mobile"])

    out = io.StringIO()
    call_command("rotate_personal_data", stdout=out)

    assert "hotline.HotlineWorkOrder payloads: 1" in out.getvalue()
    token = HotlineWorkOrder.objects.get(pk=order.pk).payload["mobile"]
    assert not crypto.needs_rotation(token)
    settings.PERSONAL_DATA_OLD_KEYS = []
    assert crypto.decrypt(token) == "13812345678"


def test_audit_rows_of_the_moved_models_keep_the_object_type_they_had_in_the_liaison_app():
    user = UserFactory(username="li")
    preference_update(actor=user, language=user.language, email_enabled=True, sms_enabled=False)
    row = AuditLog.objects.get(action="notification.preference_update")
    assert row.object_type == "liaison.notificationpreference"
