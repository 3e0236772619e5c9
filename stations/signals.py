"""Keep the cached category list (stations.selectors.opinion_categories) true: a saved or deleted category drops it
once the transaction commits. And the signals stations sends to apps that hold copies of its data."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from stations.models import OpinionCategory

# Sent with ``opinion`` inside the transaction that erased its name and mobile (services.
# opinion_erase_expired_personal_data): a receiver erases the copies its app keeps (the hotline's work orders).
opinion_personal_data_erased = Signal()


@receiver([post_save, post_delete], sender=OpinionCategory)
def opinion_category_changed(sender, instance, **kwargs):
    from stations.selectors import opinion_categories_changed

    transaction.on_commit(opinion_categories_changed)  # runs at once outside a transaction
