"""Notifications and reminders moved to their own apps (liaison 0011, notifications 0001, reminders 0001): rows
written before the move are read through the new models, and permissions stay with their content types."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from liaison.notifications.models import Notification, NotificationPreference
from liaison.reminders.models import FollowUp, Reminder, ReminderSetting
from tests.factories import UserFactory

BEFORE = [("liaison", "0010_holiday_schedules"), ("notifications", None), ("reminders", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_through_the_new_models_and_keep_their_permissions():
    user = UserFactory(username="li")
    ContentType.objects.filter(app_label="reminders", model="reminder").delete()  # as before the move
    old_type = ContentType.objects.create(app_label="liaison", model="reminder")
    permission = Permission.objects.create(content_type=old_type, codename="view_reminder", name="Can view reminder")
    user.user_permissions.add(permission)
    try:
        executor = migrate(BEFORE)
        old = executor.loader.project_state(("liaison", "0010_holiday_schedules")).apps
        assert {"notification", "reminder"} <= {m._meta.model_name for m in old.get_app_config("liaison").get_models()}
        reminder = old.get_model("liaison", "Reminder").objects.create(
            object_type="liaison.followup",
            object_id="1",
            rule="liaison.follow_up_due",
            due_on=datetime.date(2027, 3, 1),
            recipient_id=user.pk,
            template_key="follow_up_due",
        )
        old.get_model("liaison", "Notification").objects.create(
            recipient_id=user.pk, title="旧消息", reminder_id=reminder.pk
        )
        old.get_model("liaison", "NotificationPreference").objects.create(user_id=user.pk, email_enabled=True)
        old.get_model("liaison", "FollowUp").objects.create(
            title="督办", assignee_id=user.pk, due_on=datetime.date(2027, 3, 8)
        )
        old.get_model("liaison", "ReminderSetting").objects.create(key="REMINDER_MAX_ATTEMPTS", value=3)
    finally:
        migrate(latest())

    notification = Notification.objects.select_related("reminder").get(recipient=user)
    assert notification.title == "旧消息" and notification.reminder.rule == "liaison.follow_up_due"
    assert Reminder.objects.get().recipient_id == user.pk
    assert NotificationPreference.objects.get(user=user).email_enabled
    assert FollowUp.objects.get().title == "督办"
    assert ReminderSetting.objects.get(key="REMINDER_MAX_ATTEMPTS").value == 3
    old_type.refresh_from_db()
    assert (old_type.app_label, old_type.model) == ("reminders", "reminder")
    assert ContentType.objects.get_for_model(Reminder) == old_type
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("reminders.view_reminder")
