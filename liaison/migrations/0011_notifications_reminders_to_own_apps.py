# Notification, NotificationPreference, Reminder, ReminderSetting and FollowUp moved to the notifications and
# reminders apps (ADR 0015). Here they leave liaison's state only: the tables and their rows stay, and the new
# apps' 0001 take them over. Their content types follow (app_label liaison -> notifications / reminders), so
# permissions granted on them, and the admin's history, stay attached.

from django.db import migrations

from liaison.migration_ops import relabel_content_types

MOVED = {
    "notification": "notifications",
    "notificationpreference": "notifications",
    "reminder": "reminders",
    "remindersetting": "reminders",
    "followup": "reminders",
}


class Migration(migrations.Migration):

    dependencies = [
        ('liaison', '0010_holiday_schedules'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0001_initial'),
        ('reminders', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='followup',
                    name='assignee',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='reminder',
                ),
                migrations.RemoveField(
                    model_name='notificationpreference',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='recipient',
                ),
                migrations.DeleteModel(
                    name='ReminderSetting',
                ),
                migrations.DeleteModel(
                    name='FollowUp',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='NotificationPreference',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
            ],
            database_operations=[],
        ),
        relabel_content_types({model: ("liaison", app) for model, app in MOVED.items()}),
    ]
