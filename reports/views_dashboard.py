"""Staff pages of the figures: the dashboard, its .xlsx tables, and the yearly / quarterly report (page + PDF).

Every number shown comes from :func:`reports.figures.selectors.figures_for`, the same composition the figures
API and the report use."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from liaison.access import user_is_staff
from liaison.audit import audit
from proposals.selectors import RECESS_SESSION
from reports.figures import selectors
from reports.figures.period import QUARTER, RANGE, YEAR, period_from_params
from reports.figures.report import paragraphs, report_pdf, report_title
from reports.figures.tables import build_tables, table_by_key, table_xlsx


def _staff_only(request):
    if not user_is_staff(request.user):
        raise Http404(_("记录不存在或无权查看。"))


def _selection(request):
    """Region (checked against the caller's scope), congress, period, and the proposals' session and lead unit from
    the query string; ``query`` carries them on to the exports and the report."""
    region = selectors.region_for(request.user, request.GET.get("region"))
    congress = selectors.congress_for(region, request.GET.get("congress"))
    period = period_from_params(request.GET)
    narrow = {
        "session": selectors.session_for(request.GET.get("session")),
        "unit": selectors.unit_for(region, request.GET.get("unit")),
    }
    params = {"region": region.pk, **period.as_params()}
    if congress:
        params["congress"] = congress.pk
    if narrow["session"]:
        params["session"] = narrow["session"]
    if narrow["unit"]:
        params["unit"] = narrow["unit"].pk
    return region, congress, period, urlencode(params), narrow


PAGE_VERSION = 1  # bump when _figures.html or its context changes, so that no page of the old shape is shown


def _page_key(user, figures_key):
    """The figures part of the page per figures, language and scope: the region picker offers the regions on the
    way down from the caller's own (every region for a superuser), the rest is the same for every staff member."""
    scope = "all" if user.is_superuser else user.region_id
    return f"{figures_key}:page:v{PAGE_VERSION}:{translation.get_language()}:{scope}"


def _figures_context(request, *, entry, region, congress, period, query, narrow):
    figures = entry["figures"]
    tables = build_tables(figures)
    return {
        "figures": figures,
        "as_of": entry["as_of"],
        "tables": tables,
        "charts": [table.chart_spec() for table in tables if table.chart != "none" and table.has_data],
        "region": region,
        "congress": congress,
        "period": period,
        "query": query,
        # Pickers sized for a province: the way down to the chosen region and its children, that region's own
        # congresses and units (a province's 2,000 regions, congresses and units would make 6,000 options).
        "regions": list(selectors.region_choices(request.user, region)),
        "congresses": list(selectors.congress_choices(region, congress)),
        "sessions": selectors.sessions_in(region, congress),
        "units": list(selectors.unit_choices(region, narrow["unit"])),
        "session": narrow["session"],
        "unit": narrow["unit"],
        "period_kinds": [(YEAR, _("年度")), (QUARTER, _("季度")), (RANGE, _("自定义"))],
        "quarters": [1, 2, 3, 4],
    }


def figures_html(request, *, region, congress, period, query, narrow):
    """The figures part of the dashboard (filters, "as of", headlines, charts, tables), rendered once per set of
    figures, language and scope and kept as long as those figures.

    A page is reused only while it was made from the figures now cached (their "as of" time, kept on its own by
    ``refresh_figures``) and those are fresh, so a recomputation — by the quarter-hour, the task or anyone's
    "立即刷新" — shows at once, in every language. The pickers (regions, congresses, units, sessions) are as old as
    the figures at most, and "立即刷新" renders them again too. Otherwise ``figures_for`` decides, with its stampede
    guard, which figures to show, and the page is made from them."""
    selectors.check_region(request.user, region)
    figures_key = selectors.cache_key(region, congress, period, **narrow)
    page_key = _page_key(request.user, figures_key)
    fresh = bool(request.GET.get("fresh"))
    as_of_key = selectors.as_of_key(figures_key)
    cached = {} if fresh else cache.get_many([as_of_key, page_key])
    page, as_of = cached.get(page_key), cached.get(as_of_key)
    if page is not None and page["as_of"] == as_of and selectors.is_fresh(as_of):
        return mark_safe(page["html"])  # our own template's output, escaped when it was rendered
    entry = selectors.figures_for(
        user=request.user, region=region, congress=congress, period=period, fresh=fresh, **narrow
    )
    timeout = selectors.cache_seconds() * selectors.STALE_FACTOR
    if not fresh and as_of != entry["as_of"] and selectors.is_fresh(entry["as_of"]):
        cache.set(as_of_key, entry["as_of"], timeout)  # figures stored without it (an older release) or just now
    if page is None or page["as_of"] != entry["as_of"]:
        context = _figures_context(
            request, entry=entry, region=region, congress=congress, period=period, query=query, narrow=narrow
        )
        page = {"as_of": entry["as_of"], "html": render_to_string("dashboard/_figures.html", context)}
        cache.set(page_key, page, timeout)
    return mark_safe(page["html"])


@login_required
def dashboard(request):
    _staff_only(request)
    region, congress, period, query, narrow = _selection(request)
    html = figures_html(request, region=region, congress=congress, period=period, query=query, narrow=narrow)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "title": _("数据看板"),
            "region": region,
            "period": period,
            "query": query,
            "figures_html": html,
            "report_url": f"{reverse('dashboard:report')}?{query}",
            "pdf_url": f"{reverse('dashboard:report_pdf')}?{query}",
        },
    )


@login_required
def export_table(request, key):
    _staff_only(request)
    region, congress, period, _query, narrow = _selection(request)
    entry = selectors.figures_for(user=request.user, region=region, congress=congress, period=period, **narrow)
    table = table_by_key(entry["figures"], key)
    if table is None:
        raise Http404(_("记录不存在或无权查看。"))
    session = _("闭会期间") if narrow["session"] == RECESS_SESSION else narrow["session"] or ""
    scope = [region.name, congress.name if congress else "", session, narrow["unit"] or ""]
    heading = " · ".join(str(part) for part in [*scope, period.label, table.title] if part)
    audit(
        request.user,
        "figures.export",
        data={
            "table": key,
            "region": region.pk,
            "period": period.key,
            "congress": congress.pk if congress else None,
            "session": narrow["session"],
            "unit": narrow["unit"].pk if narrow["unit"] else None,
        },
    )
    response = HttpResponse(
        table_xlsx(table, heading=heading),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"figures-{key}-{region.code}-{period.start.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report(request):
    _staff_only(request)
    region, congress, period, query, narrow = _selection(request)
    entry = selectors.figures_for(user=request.user, region=region, congress=congress, period=period, **narrow)
    figures = entry["figures"]
    return render(
        request,
        "dashboard/report.html",
        {
            "title": report_title(figures),
            "figures": figures,
            "as_of": entry["as_of"],
            "paragraphs": paragraphs(figures),
            "tables": build_tables(figures),
            "pdf_url": f"{reverse('dashboard:report_pdf')}?{query}",
            "dashboard_url": f"{reverse('dashboard:index')}?{query}",
        },
    )


@login_required
def report_pdf_view(request):
    _staff_only(request)
    region, congress, period, _query, narrow = _selection(request)
    entry = selectors.figures_for(user=request.user, region=region, congress=congress, period=period, **narrow)
    response = HttpResponse(report_pdf(entry["figures"], as_of=entry["as_of"]), content_type="application/pdf")
    filename = f"report-{region.code}-{period.kind}-{period.start.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
