"""Mobile encryption, step 1 of 3: a wider ``mobile`` column for the token and an empty ``mobile_hash``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0004_outbox_and_audit_truncate_guard"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="user", name="user_unique_mobile"),
        migrations.AlterField(
            model_name="user",
            name="mobile",
            field=models.CharField(blank=True, max_length=80, verbose_name="手机号"),
        ),
        migrations.AddField(
            model_name="user",
            name="mobile_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64, verbose_name="手机号摘要"),
        ),
    ]
