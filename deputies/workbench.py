from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.models import DutyRecord, Membership
from liaison.access import user_is_staff
from liaison.workbench import Card, count_of, counts_of


def cards(user):
    if not user_is_staff(user):
        return []
    in_office = count_of(Membership.objects.visible_to(user).in_office())
    counts = counts_of(
        DutyRecord.objects.visible_to(user),
        total=None,
        waiting=Q(self_registered=True, status=DutyRecord.Status.SUBMITTED),
    )
    records, waiting = counts["total"], counts["waiting"]
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
