from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from liaison.links import path_to
from liaison.models import User
from liaison.notifications.selectors import unread_count
from liaison.workbench import NavItem, collect_inbox, collect_nav


def _nav_items(request):
    """The top menu for the signed-in user: the workbench, each app's entries, the admin for staff."""
    user = request.user
    items = [NavItem(_("工作台"), path_to("home"), order=0)]
    if user.is_superuser or user.role == User.Role.STAFF:
        items.append(NavItem(_("代表名册"), path_to("deputies:roster"), order=10))
        items.append(NavItem(_("数据看板"), path_to("dashboard:index"), order=900))
    if user.role == User.Role.DEPUTY and getattr(user, "deputy", None) is not None:
        items.append(NavItem(_("我的履职"), path_to("deputies:portal"), order=5))
    items.extend(collect_nav(user))
    if user.is_superuser or user.role == User.Role.STAFF:
        items.append(NavItem(_("管理后台"), path_to("admin:index"), order=1000))
    seen, result = set(), []
    for item in sorted(items, key=lambda i: i.order):
        if item.url in seen:
            continue
        seen.add(item.url)
        active = request.path == item.url if item.url == "/" else request.path.startswith(item.url)
        result.append({"label": item.label, "url": item.url, "active": active})
    return result


def _notifications_inbox(user):
    return unread_count(user=user), path_to("notifications:inbox")


def portal(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    inbox = SimpleLazyObject(lambda: collect_inbox(user) or _notifications_inbox(user)) if authenticated else (0, "")
    return {
        "PORTAL_NAME": _("人大代表联络工作平台"),
        "nav_items": SimpleLazyObject(lambda: _nav_items(request)) if authenticated else [],
        "unread_notifications": SimpleLazyObject(lambda: inbox[0]) if authenticated else 0,
        "inbox_url": SimpleLazyObject(lambda: inbox[1]) if authenticated else "",
        "LANGUAGES": settings.LANGUAGES,
    }
