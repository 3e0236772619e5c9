from django.utils.functional import SimpleLazyObject

from liaison.notifications.selectors import unread_count


def notifications(request):
    """``unread_notifications`` for the header badge; counted only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
