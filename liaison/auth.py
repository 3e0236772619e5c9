from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from liaison import crypto
from liaison.privacy import is_valid_mobile


class UsernameOrMobileBackend(ModelBackend):
    """Log in with the user name or the mobile number on record (found by its keyed hash; the column is encrypted)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        match = Q(username=username)
        if is_valid_mobile(username.strip()):
            match |= Q(mobile_hash__in=crypto.lookup_hashes(username))
        user = user_model.objects.filter(match).order_by("id").first()
        if user is None:
            user_model().set_password(password)  # same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a request, with the region, organisation and deputy record every page's scoping
        reads (``visible_to`` starts from ``user.region`` / ``user.organization`` / ``user.deputy``), in one
        statement, and kept ``USER_CACHE_SECONDS`` in the shared cache (forgotten when the user, their region,
        organisation or deputy record is saved; see :func:`forget_users`). Mobile numbers are not read: they are
        decrypted only when a page shows one, and never sit in the cache in clear."""
        seconds = settings.USER_CACHE_SECONDS
        user = cache.get(_user_key(user_id)) if seconds else None
        if user is None:
            user_model = get_user_model()
            try:
                user = (
                    user_model._default_manager.select_related("region", "organization", "deputy")
                    .defer("mobile", "deputy__mobile")
                    .get(pk=user_id)
                )
            except user_model.DoesNotExist:
                return None
            if seconds:
                cache.set(_user_key(user_id), user, seconds)
        return user if self.user_can_authenticate(user) else None


def _user_key(user_id):
    return f"auth:user:{user_id}"


def forget_users(user_ids):
    """Drop the cached signed-in users ``user_ids``: after a change the save signals do not see
    (``QuerySet.update``). A change nobody forgets is seen at the latest after ``USER_CACHE_SECONDS``."""
    keys = [_user_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)


def _forget_saved_user(sender, instance, **kwargs):
    forget_users([instance.pk])


def _forget_users_of(field):
    def receiver(sender, instance, **kwargs):
        forget_users(get_user_model()._default_manager.filter(**{field: instance.pk}).values_list("pk", flat=True))

    return receiver


def _forget_deputys_user(sender, instance, **kwargs):
    if instance.user_id:
        forget_users([instance.user_id])


def connect_signals():
    """Forget a cached user when the user, their region, organisation or deputy record changes. The deputy model
    is found through the user's ``deputy`` relation: the kernel imports no app."""
    user_model = get_user_model()
    deputy = user_model._meta.get_field("deputy").related_model
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_forget_saved_user, sender=user_model, dispatch_uid=f"forget-user-{name}")
        signal.connect(_forget_deputys_user, sender=deputy, dispatch_uid=f"forget-deputy-{name}")
        for field in ("region", "organization"):
            related = user_model._meta.get_field(field).related_model
            signal.connect(_forget_users_of(field), sender=related, weak=False, dispatch_uid=f"forget-{field}-{name}")
