"""Re-encrypt personal data under the current PERSONAL_DATA_KEY after a key change (docs/security.md).

    PERSONAL_DATA_KEY=<new> PERSONAL_DATA_OLD_KEYS=<old> manage.py rotate_personal_data

Every encrypted column, and every encrypted value kept in a JSON column (a model lists those keys in
``encrypted_json_keys = {"payload": ("mobile",)}``, as the outbound 12345 work orders do), is re-encrypted and
re-hashed; when it reports no rows left, PERSONAL_DATA_OLD_KEYS can be emptied. Safe to interrupt and run again.
The models are found through the app registry: the kernel names none of them.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from liaison import crypto
from liaison.fields import EncryptedMobileField, reencrypt_rows


def reencrypt_json_keys(model, field_name, keys, batch_size=500):
    """Re-encrypt the tokens kept under ``keys`` of ``model.<field_name>`` (a JSON object). Returns the rows changed."""
    changed = 0
    rows = (
        model._default_manager.filter(**{f"{field_name}__has_any_keys": list(keys)})
        .only("pk", field_name)
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=batch_size):
        document = getattr(row, field_name)
        stale = [key for key in keys if crypto.is_token(document.get(key)) and crypto.needs_rotation(document[key])]
        if stale:
            for key in stale:
                document[key] = crypto.encrypt(crypto.decrypt(document[key]))
            row.save(update_fields=[field_name])
            changed += 1
    return changed


class Command(BaseCommand):
    help = "Re-encrypt and re-hash personal data under the current PERSONAL_DATA_KEY."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            if any(isinstance(f, EncryptedMobileField) for f in model._meta.concrete_fields):
                count = reencrypt_rows(model)  # one transaction per batch (bulk_update)
                self.stdout.write(f"{model._meta.label}: {count}")
                total += count
        for model in apps.get_models():
            for field_name, keys in getattr(model, "encrypted_json_keys", {}).items():
                count = reencrypt_json_keys(model, field_name, keys)
                self.stdout.write(f"{model._meta.label} {field_name}s: {count}")
                total += count
        self.stdout.write(f"re-encrypted: {total}")
