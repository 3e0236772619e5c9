"""The deputy's menu entry and card of invitations to answer; staff's card of planned activities.

Staff reach the activities from their home card, not the top menu: at 1280 px the staff menu is full
(tests/e2e/test_header_office.py keeps it on one row)."""

from django.utils.translation import gettext as _

from activities import selectors
from activities.models import Activity, Invitation
from liaison.access import Role, user_is_staff
from liaison.links import path_to
from liaison.workbench import Card, NavItem, count_of


def nav(user):
    if user.is_authenticated and user.role == Role.DEPUTY:
        return [NavItem(_("我的活动"), path_to("activities:mine"), order=30)]
    return []


def cards(user):
    if not user.is_authenticated:
        return []
    if user_is_staff(user):
        planned = count_of(selectors.activity_list(user=user, filters={"status": Activity.Status.PLANNED}))
        return [
            Card(
                title=_("代表活动"),
                count=planned,
                url=f"{path_to('activities:list')}?status={Activity.Status.PLANNED}",
                tone="secondary",
                hint=_("计划中的活动：邀请、签到二维码、纪要和成果"),
                order=850,
            )
        ]
    if user.role != Role.DEPUTY:
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
