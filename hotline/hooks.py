"""What the hotline plugs into stations when Django starts (HotlineConfig.ready): the 转12345 triage outcome and
the erasure of the citizen's data kept in work orders. Stations knows neither; it offers the hooks."""

from hotline import services
from stations import signals as station_signals
from stations import triage
from stations.models import Opinion


def _forward(*, actor, opinion, note, lead_deputy):
    return services.opinion_forward_to_hotline(actor=actor, opinion=opinion, note=note)


def _erase_work_order_copies(sender, *, opinion, **kwargs):
    services.erase_opinion_personal_data(opinion=opinion)


def register():
    triage.register(Opinion.Status.HOTLINE, _forward)
    station_signals.opinion_personal_data_erased.connect(
        _erase_work_order_copies, sender=Opinion, dispatch_uid="hotline.erase_work_order_copies"
    )
