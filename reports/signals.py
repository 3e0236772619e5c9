"""The public deputy page keeps its data a few minutes (reports.views_public); a change to the deputy or to one of
their duty records (an approval, a return, a record shown or hidden) forgets it at once, so the public duty file is
current when the deputy or the reviewer looks."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from deputies.models import Deputy, DutyRecord, Membership
from reports.views_public import deputy_page_key


def forget_deputy_pages(deputy_ids):
    cache.delete_many([deputy_page_key(pk) for pk in deputy_ids])


def _record_changed(sender, instance, **kwargs):
    # the seat is usually loaded already (a service saving its records, an activity closing into one per attendee):
    # no statement per record then
    if DutyRecord.membership.is_cached(instance):
        forget_deputy_pages([instance.membership.deputy_id])
    else:
        forget_deputy_pages(Membership.objects.filter(pk=instance.membership_id).values_list("deputy_id", flat=True))


def _deputy_changed(sender, instance, **kwargs):
    forget_deputy_pages([instance.pk])


def connect():
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_record_changed, sender=DutyRecord, dispatch_uid=f"public-file-record-{name}")
        signal.connect(_deputy_changed, sender=Deputy, dispatch_uid=f"public-file-deputy-{name}")
