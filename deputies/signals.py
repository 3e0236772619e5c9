"""Keep the cached points rankings (deputies.selectors.congress_ranking) true: any change to what they are made of
drops the congress's cached rankings once the transaction commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from deputies.models import DutyRecord, Membership, PointRule


def _changed(congress_id):
    """Queue one drop per congress per transaction (an import saves thousands of rows in one)."""
    from deputies.selectors import ranking_changed

    if congress_id is None:
        return
    connection = transaction.get_connection()
    flush = getattr(connection, "_ranking_flush", None)
    queued = flush is not None and not flush.done and any(item[1] is flush for item in connection.run_on_commit)
    if not queued:
        pending = set()

        def flush():
            flush.done = True
            for pk in pending:
                ranking_changed(pk)

        flush.pending, flush.done = pending, False
        connection._ranking_flush = flush
        flush.pending.add(congress_id)
        transaction.on_commit(flush)  # runs at once outside a transaction
        return
    flush.pending.add(congress_id)


@receiver([post_save, post_delete], sender=DutyRecord)
def duty_record_changed(sender, instance, **kwargs):
    membership = instance._state.fields_cache.get("membership")  # no query when the seat is already loaded
    congress_id = (
        membership.congress_id
        if membership is not None
        else Membership.objects.filter(pk=instance.membership_id).values_list("congress_id", flat=True).first()
    )
    _changed(congress_id)


@receiver([post_save, post_delete], sender=PointRule)
def point_rule_changed(sender, instance, **kwargs):
    _changed(instance.congress_id)


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance, **kwargs):
    _changed(instance.congress_id)
