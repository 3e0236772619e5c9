"""Home-page cards of the proposals app for staff, handling units and deputies."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.access import user_is_staff
from liaison.links import path_to
from liaison.models import User
from liaison.workbench import Card, NavItem, count_of
from proposals import selectors
from proposals.models import HANDLING_STATUSES, JointSupervision, Proposal

S = Proposal.Status


def cards(user):
    if user_is_staff(user):
        return _staff(user)
    if user.role == User.Role.UNIT:
        return _committee(user) if selectors.is_committee_user(user) else _unit(user)
    if user.role == User.Role.DEPUTY:
        return _deputy(user)
    return []


def _staff(user):
    proposals = Proposal.objects.visible_to(user)
    soon = timezone.localdate() + datetime.timedelta(days=selectors.DUE_SOON_DAYS)
    return [
        Card(
            _("待审核建议"),
            count_of(proposals.filter(status=S.SUBMITTED)),
            reverse("proposals:review"),
            "warning",
            order=10,
        ),
        Card(
            _("待交办建议"),
            count_of(proposals.filter(status=S.ACCEPTED)),
            reverse("proposals:assign"),
            "primary",
            order=11,
        ),
        Card(
            _("逾期未答复"),
            count_of(selectors.overdue_assignments(user=user)),
            reverse("proposals:overdue"),
            "danger",
            order=12,
        ),
        Card(
            _("答复待代表评价"),
            count_of(selectors.replies_awaiting_rating(user=user)),
            reverse("proposals:list") + "?status=replied",
            "secondary",
            order=13,
        ),
        Card(
            _("B类承诺即将到期"),
            count_of(selectors.b_class_promises(user=user).filter(promised_on__lte=soon)),
            reverse("proposals:ledger"),
            "warning",
            order=14,
        ),
        Card(
            _("联合督办中"),
            JointSupervision.objects.visible_to(user).filter(status=JointSupervision.Status.OPEN).count(),
            reverse("proposals:supervision_list"),
            "primary",
            order=15,
        ),
    ]


def _committee(user):
    """A special committee's users: their open joint supervisions and the proposals in them still unanswered."""
    items = JointSupervision.objects.visible_to(user).filter(status=JointSupervision.Status.OPEN)
    unanswered = (
        Proposal.objects.filter(joint_supervisions__in=items, status__in=(S.ACCEPTED, *HANDLING_STATUSES))
        .distinct()
        .count()
    )
    url = reverse("proposals:supervision_list")
    return [
        Card(_("本委联合督办"), items.count(), url, "primary", order=10),
        Card(_("督办建议待答复"), unanswered, url, "warning", order=11),
    ]


def _unit(user):
    today = timezone.localdate()
    open_ = selectors.unit_assignments(user=user, only_open=True)
    url = reverse("proposals:workbench")
    return [
        Card(
            _("即将到期"),
            count_of(
                open_.filter(
                    deadline__gte=today, deadline__lte=today + datetime.timedelta(days=selectors.DUE_SOON_DAYS)
                )
            ),
            url,
            "warning",
            order=10,
        ),
        Card(_("已逾期"), count_of(open_.filter(deadline__lt=today)), url, "danger", order=11),
        Card(_("缺办前联系"), count_of(open_.filter(before_contacts=0)), url, "secondary", order=12),
        Card(_("二次交办"), count_of(open_.filter(proposal__status=S.REHANDLING)), url, "danger", order=13),
        Card(
            _("答复后待办后联系"),
            count_of(selectors.awaiting_after_contact(user=user)),
            "",  # no list counts exactly these yet; each proposal page offers the 办后 form
            "warning",
            hint=_("答复后与代表联系听取意见，办结前须登记。"),
            order=14,
        ),
    ]


def _deputy(user):
    mine = Proposal.objects.visible_to(user).filter(lead_deputy__user=user)
    return [
        Card(_("我的建议"), count_of(mine.exclude(status=S.WITHDRAWN)), reverse("proposals:list"), "primary", order=10),
        Card(
            _("待我评价的答复"),
            count_of(mine.filter(status=S.REPLIED)),
            reverse("proposals:list") + "?status=replied",
            "warning",
            order=11,
        ),
    ]


def nav(user):
    """Menu entries: staff get the review queue and ledgers, units their workbench, deputies their proposals."""
    if user_is_staff(user):
        return [
            NavItem(_("建议审核"), path_to("proposals:review"), order=20),
            NavItem(_("建议台账"), path_to("proposals:list"), order=21),
        ]
    if user.role == User.Role.UNIT:
        if selectors.is_committee_user(user):
            return [NavItem(_("联合督办"), path_to("proposals:supervision_list"), order=20)]
        return [NavItem(_("承办事项"), path_to("proposals:workbench"), order=20)]
    if user.role == User.Role.DEPUTY:
        return [NavItem(_("我的建议"), path_to("proposals:list"), order=20)]
    return []
