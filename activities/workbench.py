"""Menu entries (staff's activities, the deputy's own) and the deputy's card of invitations to answer."""

from django.utils.translation import gettext as _

from activities import selectors
from activities.models import Invitation
from liaison.access import Role, user_is_staff
from liaison.links import path_to
from liaison.workbench import Card, NavItem, count_of


def nav(user):
    if not user.is_authenticated:
        return []
    if user_is_staff(user):
        return [NavItem(_("代表活动"), path_to("activities:list"), order=30)]
    if user.role == Role.DEPUTY:
        return [NavItem(_("我的活动"), path_to("activities:mine"), order=30)]
    return []


def cards(user):
    if not user.is_authenticated or user.role != Role.DEPUTY:
        return []
    awaiting = count_of(selectors.my_invitations(user=user, awaiting=True))
    return [
        Card(
            title=_("待答复的活动邀请"),
            count=awaiting,
            url=f"{path_to('activities:mine')}?response={Invitation.Response.PENDING}",
            tone="warning" if awaiting else "success",
            hint=_("参加或请假"),
            order=25,
        )
    ]
