"""The long operations that run in the background (liaison.progress.run_job): what each kind is called, who may
start it, whether it needs the password typed again, and the runner that builds its file.

A runner takes ``user`` (the owner, fresh from the database), ``params`` (the page's query string as a QueryDict)
and ``report`` (``report(done, total, message="")`` moves the progress bar) and returns a :class:`JobResult`. It
runs in the owner's language, reads through the same selectors as the page, and writes the audit row the direct
download would have written. A refusal it can explain raises ``ApplicationError``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.access import user_is_staff
from liaison.audit import audit
from liaison.errors import ApplicationError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_EVERY = 200  # rows between two progress updates


@dataclass(frozen=True)
class JobResult:
    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class JobKind:
    label: str
    runner: Callable
    allowed: Callable = user_is_staff
    needs_password: bool = False  # personal data: the password typed within REAUTH_MAX_AGE (liaison.reauth)


class JobReporter:
    """``report(done, total, message)`` for a runner; also wraps an iterable so it reports every few rows."""

    def __init__(self, key):
        self.key = key

    def __call__(self, done, total=None, message=""):
        from liaison.progress import progress_update

        progress_update(self.key, done=done, total=total, message=message)

    def counting(self, rows, total):
        self(0, total)
        for done, row in enumerate(rows, start=1):
            if done % REPORT_EVERY == 0:
                self(done, total)
            yield row
        self(total, total)


def proposal_ledger(*, user, params, report):
    """建议办理台账 .xlsx: every proposal past drafting in the owner's scope and the list's filters (as
    ``proposals:export``)."""
    from proposals import selectors
    from proposals.resources import ledger_workbook

    ledger = selectors.staff_ledger(user=user, filters=params)
    rows = list(ledger)
    content = ledger_workbook(report.counting(rows, len(rows)))
    audit(user, "proposal.export", object_type="proposals.proposal", data={"rows": len(rows), "background": True})
    return JobResult(f"proposals-ledger-{timezone.localdate():%Y%m%d}.xlsx", content, XLSX_TYPE)


def deputy_roster(*, user, params, report):
    """代表名册 .xlsx with the roster page's filters (as ``deputies:roster_export``); mobiles masked.

    The rows come as plain tuples, a chunk at a time (``deputies.exports``), and the workbook is written to a
    temporary file, so the worker holds the finished (compressed) file, never the roster's rows."""
    from deputies import exports, selectors
    from liaison.xlsx import workbook_file

    filters = selectors.roster_filters(params)
    queryset = selectors.membership_list(user=user, filters=filters)
    total = queryset.count()
    report(0, total, _("正在读取名册"))
    file, written = workbook_file(_("代表名册"), exports.HEADERS, report.counting(exports.roster_rows(queryset), total))
    report(total, total, _("正在生成文件"))
    with file:
        content = file.read()
    audit(
        user,
        "roster.export",
        object_type="deputies.membership",
        data={"rows": written, "filters": {k: v for k, v in filters.items() if v}, "background": True},
    )
    return JobResult(f"{_('代表名册')}-{timezone.localdate().isoformat()}.xlsx", content, XLSX_TYPE)


def figures_report_pdf(*, user, params, report):
    """The yearly / quarterly report as PDF for the dashboard's region, congress and period."""
    from reports.figures import selectors
    from reports.figures.period import period_from_params
    from reports.figures.report import report_pdf

    try:
        region = selectors.region_for(user, params.get("region"))
    except Http404 as exc:
        raise ApplicationError(_("无权查看该区域的数据。"), code="forbidden_region", status_code=403) from exc
    congress = selectors.congress_for(region, params.get("congress"))
    period = period_from_params(params)
    report(0, 2, _("正在汇总数据"))
    entry = selectors.figures_for(user=user, region=region, congress=congress, period=period)
    report(1, 2, _("正在生成PDF"))
    content = report_pdf(entry["figures"], as_of=entry["as_of"])
    audit(user, "figures.report_pdf", data={"region": region.pk, "period": period.key, "background": True})
    return JobResult(f"report-{region.code}-{period.kind}-{period.start.isoformat()}.pdf", content, "application/pdf")


JOB_KINDS = {
    "proposals.ledger": JobKind(gettext_lazy("导出建议办理台账"), proposal_ledger, needs_password=True),
    "deputies.roster": JobKind(gettext_lazy("导出代表名册"), deputy_roster, needs_password=True),
    "figures.report_pdf": JobKind(gettext_lazy("生成工作报告PDF"), figures_report_pdf),
}


def job_kind(kind):
    try:
        return JOB_KINDS[kind]
    except KeyError:
        raise Http404 from None
