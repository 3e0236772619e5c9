from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.access import user_is_staff
from liaison.links import path_to
from liaison.models import User
from liaison.workbench import Card, NavItem, count_of
from votes.models import VoteSession
from votes.selectors import open_sessions_for_deputy


def cards(user):
    if user_is_staff(user):
        count = count_of(VoteSession.objects.visible_to(user).filter(status=VoteSession.Status.OPEN))
        return [
            Card(
                title=_("进行中的票决"),
                count=count,
                url=f"{reverse('votes:session_list')}?status=open",
                tone="warning" if count else "secondary",
                order=300,
            )
        ]
    if getattr(user, "role", None) == User.Role.DEPUTY:
        pending = [s for s in open_sessions_for_deputy(user=user) if not s.has_voted]
        return [
            Card(
                title=_("待投票的票决"),
                count=len(pending),
                url=reverse("votes:my_ballots"),
                tone="danger" if pending else "secondary",
                order=100,
                items=pending,
            )
        ]
    return []


def nav(user):
    if user_is_staff(user):
        return [NavItem(_("民生实事票决"), path_to("votes:session_list"), order=40)]
    if user.role == User.Role.DEPUTY:
        return [NavItem(_("我的票决"), path_to("votes:my_ballots"), order=40)]
    return []
