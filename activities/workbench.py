"""Menu entries: staff's activities and the deputy's own."""

from django.utils.translation import gettext as _

from liaison.access import Role, user_is_staff
from liaison.links import path_to
from liaison.workbench import NavItem


def nav(user):
    if not user.is_authenticated:
        return []
    if user_is_staff(user):
        return [NavItem(_("代表活动"), path_to("activities:list"), order=30)]
    if user.role == Role.DEPUTY:
        return [NavItem(_("我的活动"), path_to("activities:mine"), order=30)]
    return []
