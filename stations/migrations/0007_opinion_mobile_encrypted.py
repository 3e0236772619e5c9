"""Mobile encryption, step 3 of 3: the encrypted field and its indexed hash."""

from django.db import migrations

import liaison.fields


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0006_encrypt_opinion_mobiles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="opinion",
            name="mobile",
            field=liaison.fields.EncryptedMobileField(blank=True, verbose_name="手机号"),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="mobile_hash",
            field=liaison.fields.MobileHashField(db_index=True, verbose_name="手机号摘要"),
        ),
    ]
