from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = getattr(request, "_unread_notifications", 0)
    return {
        "PORTAL_NAME": "人大代表联络工作平台",
        "unread_notifications": unread,
        "LANGUAGES": settings.LANGUAGES,
    }
