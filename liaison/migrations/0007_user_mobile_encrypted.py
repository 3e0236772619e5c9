"""Mobile encryption, step 3 of 3: the encrypted field and its indexed hash, now the unique key."""

from django.db import migrations, models

import liaison.fields


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0006_encrypt_user_mobiles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="mobile",
            field=liaison.fields.EncryptedMobileField(blank=True, verbose_name="手机号"),
        ),
        migrations.AlterField(
            model_name="user",
            name="mobile_hash",
            field=liaison.fields.MobileHashField(db_index=True, verbose_name="手机号摘要"),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("mobile_hash", ""), _negated=True),
                fields=("mobile_hash",),
                name="user_unique_mobile",
                violation_error_message="该手机号已被其他账号使用。",
            ),
        ),
    ]
