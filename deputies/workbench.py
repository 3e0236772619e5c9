from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.models import DutyRecord, Membership
from liaison.access import user_is_staff
from liaison.workbench import Card, count_of


def _deputy_cards(user):
    returned = count_of(
        DutyRecord.objects.visible_to(user).filter(self_registered=True, status=DutyRecord.Status.RETURNED)
    )
    if not returned:
        return []
    return [
        Card(
            title=_("被退回的履职登记"),
            count=returned,
            url=f"{reverse('deputies:my_duties')}?status={DutyRecord.Status.RETURNED}",
            tone="warning",
            hint=_("按退回原因修改后重新提交"),
            order=150,
        )
    ]


def cards(user):
    if user.is_authenticated and user.role == user.Role.DEPUTY:
        return _deputy_cards(user)
    if not user_is_staff(user):
        return []
    in_office = count_of(Membership.objects.visible_to(user).in_office())
    records = count_of(DutyRecord.objects.visible_to(user))
    waiting = count_of(DutyRecord.objects.visible_to(user).filter(self_registered=True).awaiting_review())
    return [
        Card(
            title=_("待审核的履职登记"),
            count=waiting,
            url=reverse("deputies:duty_review_queue"),
            tone="warning",
            hint=_("代表自主登记的履职，通过后计入积分"),
            order=300,
        ),
        Card(
            title=_("在任代表"),
            count=in_office,
            url=f"{reverse('deputies:roster')}?status=in_office",
            tone="secondary",
            order=900,
        ),
        Card(
            title=_("履职记录"),
            count=records,
            url=reverse("deputies:duty_records"),
            tone="secondary",
            hint=_("录入履职记录、查看积分排名"),
            order=910,
        ),
    ]
