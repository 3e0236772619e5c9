"""The figures' background job (liaison.jobs): the yearly / quarterly report as PDF, found like any app's jobs.py."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import jobs
from liaison.audit import audit
from liaison.errors import ApplicationError
from reports.figures import selectors
from reports.figures.period import period_from_params
from reports.figures.report import report_pdf


def figures_report_pdf(*, user, params, report):
    """The yearly / quarterly report as PDF for the dashboard's region, congress and period."""
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
    return jobs.JobResult(
        f"report-{region.code}-{period.kind}-{period.start.isoformat()}.pdf", content, "application/pdf"
    )


jobs.register("figures.report_pdf", jobs.JobKind(gettext_lazy("生成工作报告PDF"), figures_report_pdf))
