"""Mobile encryption, step 3 of 3: the encrypted field and its indexed hash."""

from django.db import migrations

import liaison.fields


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0005_encrypt_deputy_mobiles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deputy",
            name="mobile",
            field=liaison.fields.EncryptedMobileField(blank=True, verbose_name="手机号"),
        ),
        migrations.AlterField(
            model_name="deputy",
            name="mobile_hash",
            field=liaison.fields.MobileHashField(db_index=True, verbose_name="手机号摘要"),
        ),
    ]
