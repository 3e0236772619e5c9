"""Re-encrypt personal data under the current PERSONAL_DATA_KEY after a key change (docs/security.md).

    PERSONAL_DATA_KEY=<new> PERSONAL_DATA_OLD_KEYS=<old> manage.py rotate_personal_data

Every encrypted column (and the mobile kept in outbound 12345 work orders) is re-encrypted and re-hashed; when it
reports no rows left, PERSONAL_DATA_OLD_KEYS can be emptied. Safe to interrupt and run again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from liaison import crypto
from liaison.fields import EncryptedMobileField, reencrypt_rows


def reencrypt_work_order_payloads(batch_size=500):
    from hotline.models import HotlineWorkOrder

    changed = 0
    orders = HotlineWorkOrder.objects.filter(payload__has_key="mobile").only("pk", "payload").order_by("pk")
    for order in orders.iterator(chunk_size=batch_size):
        token = order.payload.get("mobile")
        if crypto.is_token(token) and crypto.needs_rotation(token):
            order.payload["mobile"] = crypto.encrypt(crypto.decrypt(token))
            order.save(update_fields=["payload"])
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
        if apps.is_installed("stations"):
            count = reencrypt_work_order_payloads()
            self.stdout.write(f"hotline.HotlineWorkOrder payloads: {count}")
            total += count
        self.stdout.write(f"re-encrypted: {total}")
