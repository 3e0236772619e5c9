"""User.language (page, inbox, SMS and email language) replaces NotificationPreference.language; a user who had
chosen English for messages keeps English."""

from django.db import migrations, models


def copy_message_language(apps, schema_editor):
    User = apps.get_model("liaison", "User")
    NotificationPreference = apps.get_model("liaison", "NotificationPreference")
    english = NotificationPreference.objects.filter(language="en").values("user_id")
    User.objects.filter(pk__in=english).update(language="en")


def copy_back(apps, schema_editor):
    User = apps.get_model("liaison", "User")
    NotificationPreference = apps.get_model("liaison", "NotificationPreference")
    english = User.objects.filter(language="en").values("pk")
    NotificationPreference.objects.filter(user_id__in=english).update(language="en")


class Migration(migrations.Migration):
    dependencies = [("liaison", "0007_user_mobile_encrypted")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                choices=[("zh-hans", "简体中文"), ("en", "English")],
                default="zh-hans",
                help_text="页面、站内消息、短信和邮件使用的语言。",
                max_length=8,
                verbose_name="界面语言",
            ),
        ),
        migrations.RunPython(copy_message_language, copy_back),
        migrations.RemoveField(model_name="notificationpreference", name="language"),
    ]
