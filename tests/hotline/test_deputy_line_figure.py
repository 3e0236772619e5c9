"""The 12345 figure (转12345 / 12345 work orders forwarded and solved) counts the deputy line's orders too."""

from django.utils import timezone

from hotline import selectors, services
from hotline.models import HotlineWorkOrder
from reports.figures import selectors as figure_selectors
from reports.figures.period import Period


def _file(deputy_user, category, title):
    return services.deputy_line_create(
        actor=deputy_user, title=title, content="雨后桥洞积水半米，车辆无法通行。", category=category
    )


def test_deputy_line_orders_are_in_the_12345_figure(deputy_user, category, regions, staff_zz, staff_hy):
    _file(deputy_user, category, "桥下积水")
    solved = _file(deputy_user, category, "路灯不亮")
    HotlineWorkOrder.objects.filter(pk=solved.pk).update(status=HotlineWorkOrder.Status.CLOSED)
    period = Period.year(timezone.localdate().year)

    zhuzhou = figure_selectors.stations_part(regions["zhuzhou"], period)["hotline"]
    assert zhuzhou == {"forwarded": 2, "solved": 1, "share_solved": 50.0}
    assert figure_selectors.stations_part(regions["tianyuan"], period)["hotline"]["forwarded"] == 2
    assert figure_selectors.stations_part(regions["hengyang"], period)["hotline"]["forwarded"] == 0
    assert figure_selectors.stations_part(regions["zhuzhou"], Period.year(2020))["hotline"]["forwarded"] == 0

    assert selectors.figure_hotline(staff_zz)["forwarded"] == 2  # staff of the city above the deputy's seat
    assert selectors.figure_hotline(staff_hy)["forwarded"] == 0  # another city's staff
    assert selectors.figure_hotline(deputy_user) == {"forwarded": 2, "solved": 1, "share_solved": 50.0}
