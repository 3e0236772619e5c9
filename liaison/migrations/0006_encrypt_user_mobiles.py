"""Mobile encryption, step 2 of 3: encrypt and hash the clear numbers in batches (reversible, safe to re-run)."""

from django.db import migrations

from liaison.fields import decrypt_token_rows, encrypt_clear_rows


def encrypt_mobiles(apps, schema_editor):
    encrypt_clear_rows(apps.get_model("liaison", "user"))


def decrypt_mobiles(apps, schema_editor):
    decrypt_token_rows(apps.get_model("liaison", "user"))


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0005_user_mobile_hash"),
    ]

    operations = [
        migrations.RunPython(encrypt_mobiles, decrypt_mobiles, elidable=False),
    ]
