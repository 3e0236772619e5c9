"""The proposals' background job (liaison.jobs): the ledger .xlsx built by a worker."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from liaison import jobs
from liaison.audit import audit
from proposals import selectors
from proposals.resources import ledger_workbook


def proposal_ledger(*, user, params, report):
    """建议办理台账 .xlsx: every proposal past drafting in the owner's scope and the list's filters (as
    ``proposals:export``)."""
    ledger = selectors.staff_ledger(user=user, filters=params)
    rows = list(ledger)
    content = ledger_workbook(report.counting(rows, len(rows)))
    audit(user, "proposal.export", object_type="proposals.proposal", data={"rows": len(rows), "background": True})
    return jobs.JobResult(f"proposals-ledger-{timezone.localdate():%Y%m%d}.xlsx", content, jobs.XLSX_TYPE)


jobs.register("proposals.ledger", jobs.JobKind(gettext_lazy("导出建议办理台账"), proposal_ledger, needs_password=True))
