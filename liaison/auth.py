from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

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
        reads (``visible_to`` starts from ``user.region`` / ``user.organization`` / ``user.deputy``): one statement
        instead of two or three on every request."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("region", "organization", "deputy").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
