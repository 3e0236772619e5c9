from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.models import Membership
from liaison.access import user_is_staff
from liaison.workbench import Card


def cards(user):
    if not user_is_staff(user):
        return []
    in_office = Membership.objects.visible_to(user).in_office().count()
    return [
        Card(
            title=_("在任代表"),
            count=in_office,
            url=f"{reverse('deputies:roster')}?status=in_office",
            tone="secondary",
            order=900,
        )
    ]
