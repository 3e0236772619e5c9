"""The deputies' background job (liaison.jobs): the roster .xlsx built by a worker."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies import exports, selectors
from liaison import jobs
from liaison.audit import audit
from liaison.xlsx import workbook_file


def deputy_roster(*, user, params, report):
    """代表名册 .xlsx with the roster page's filters (as ``deputies:roster_export``); mobiles masked.

    The rows come as plain tuples, a chunk at a time (``deputies.exports``), and the workbook is written to a
    temporary file, so the worker holds the finished (compressed) file, never the roster's rows."""
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
    return jobs.JobResult(f"{_('代表名册')}-{timezone.localdate().isoformat()}.xlsx", content, jobs.XLSX_TYPE)


jobs.register("deputies.roster", jobs.JobKind(gettext_lazy("导出代表名册"), deputy_roster, needs_password=True))
