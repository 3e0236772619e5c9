"""Keep the cached category list (stations.selectors.opinion_categories) true: a saved or deleted category drops it
once the transaction commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from stations.models import OpinionCategory


@receiver([post_save, post_delete], sender=OpinionCategory)
def opinion_category_changed(sender, instance, **kwargs):
    from stations.selectors import opinion_categories_changed

    transaction.on_commit(opinion_categories_changed)  # runs at once outside a transaction
