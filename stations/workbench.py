"""Home-page cards: the station manager's calendar, logs to fill and opinions to triage; the deputy's queue."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from liaison.access import user_is_staff
from liaison.links import path_to
from liaison.models import User
from liaison.workbench import Card, NavItem, count_of
from stations import selectors
from stations.models import Station


def nav(user):
    """The station manager's menu: their stations, reception days, the opinions and the station figures."""
    if not user.is_authenticated or user.role != User.Role.STATION_MANAGER:
        return []
    return [
        NavItem(_("我的联络站"), path_to("stations:station_list"), order=20),
        NavItem(_("接待日"), path_to("stations:reception_list"), order=21),
        NavItem(_("群众意见"), path_to("stations:opinion_list"), order=22),
        NavItem(_("联络站统计"), path_to("stations:figures"), order=23),
    ]


def cards(user):
    if not user.is_authenticated:
        return []
    if user.role == User.Role.STATION_MANAGER or user_is_staff(user):
        return _manager_cards(user)
    if user.role == User.Role.DEPUTY:
        return _deputy_cards(user)
    return []


def _manager_cards(user):
    upcoming = list(selectors.upcoming_reception_days(user=user)[:3])
    to_log = count_of(selectors.reception_days_to_log(user=user))
    untriaged = count_of(selectors.opinion_list(user=user).filter(status="untriaged"))
    return [
        Card(
            title=_("待处理群众意见"),
            count=untriaged,
            url=reverse("stations:opinion_list") + "?status=untriaged",
            tone="danger" if untriaged else "success",
            order=20,
        ),
        Card(
            title=_("待填接待记录"),
            count=to_log,
            url=reverse("stations:reception_list"),
            tone="warning" if to_log else "secondary",
            order=30,
        ),
        Card(
            title=_("接待日安排"),
            count=len(upcoming),
            url=reverse("stations:reception_list"),
            tone="primary",
            hint="" if upcoming else _("近期暂无安排"),  # the dates are the items, listed once
            order=40,
            items=[f"{date_format(d.date, 'MONTH_DAY_FORMAT')} {d.station.name}" for d in upcoming],
        ),
        Card(
            title=_("联络站"),
            count=count_of(Station.objects.visible_to(user)),
            url=reverse("stations:station_list"),
            tone="secondary",
            hint=_("站点、进站代表、二维码海报"),
            order=800,
        ),
    ]


def _deputy_cards(user):
    untriaged = count_of(selectors.opinion_list(user=user).filter(status="untriaged"))
    next_day = selectors.upcoming_reception_days(user=user).first()
    return [
        Card(
            title=_("本站待处理群众意见"),
            count=untriaged,
            url=reverse("stations:opinion_list") + "?status=untriaged",
            tone="danger" if untriaged else "success",
            order=20,
        ),
        Card(
            title=_("下次接待日"),
            url=reverse("stations:reception_detail", args=[next_day.pk]) if next_day else "",
            hint=f"{date_format(next_day.date)} {next_day.station.name}" if next_day else _("近期暂无安排"),
            tone="primary",
            order=30,
        ),
    ]
