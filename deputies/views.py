import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from import_export.formats.base_formats import XLSX
from tablib import Dataset

from deputies import exports, selectors, services
from deputies.forms import DutyRecordForm
from deputies.models import Congress, DutyKind, DutyRecord, Membership
from liaison.access import get_visible_or_404, user_is_staff
from liaison.audit import audit
from liaison.converters import YEAR_MAX, YEAR_MIN, parse_int
from liaison.errors import ApplicationError
from liaison.jinja2 import render_partial
from liaison.reauth import require_recent_password
from liaison.workbench import cards_for, cards_html, group_cards
from liaison.xlsx import workbook_bytes, workbook_file


def _staff_only(request):
    if not user_is_staff(request.user):
        raise Http404


def _xlsx_response(dataset, filename, sheet):
    content = workbook_bytes(sheet, dataset.headers or [], dataset)
    response = HttpResponse(content, content_type=XLSX.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def duty_rows_html(rows):
    """The ``<tr>`` elements of ``rows`` (dicts of ``selectors.portal_duty_rows``) for ``<tbody>``."""
    return render_partial("deputies/_duty_rows.jinja", {"rows": rows})


@login_required
def portal(request):
    """The deputy's home: seats, this year's points and rank, latest duty records."""
    deputy = getattr(request.user, "deputy", None)
    if deputy is None:
        raise Http404
    year = timezone.localdate().year
    summary = selectors.deputy_points_summary(deputy=deputy, year=year)
    records = selectors.portal_duty_rows(user=request.user, year=year)
    # The deputy's workbench: what the other apps ask of them (ratings due, ballots open, opinions to triage…).
    urgent_cards, other_cards = group_cards(cards_for(request.user))
    return render(
        request,
        "deputies/portal.html",
        {
            "deputy": deputy,
            "summary": summary,
            "records": records,
            "record_rows": duty_rows_html(records),
            "year": year,
            "cards": cards_html(urgent_cards + other_cards),
        },
    )


@login_required
def roster(request):
    _staff_only(request)
    filters = selectors.roster_filters(request.GET)
    page = Paginator(selectors.membership_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "deputies/roster.html",
        {
            "page": page,
            "congresses": selectors.congress_list(user=request.user),
            "filters": filters,
            "statuses": Membership.Status.choices,
            "export_query": export_query.urlencode(),
        },
    )


@login_required
@require_GET
@require_recent_password(when=lambda request: user_is_staff(request.user))
def roster_export(request):
    """The roster as .xlsx with the page's filters, same selector as the page; mobiles are masked.

    The workbook is written from plain row tuples (``deputies.exports``) into a temporary file that the response
    streams; ``?format=csv`` streams the same columns as UTF-8 CSV, 2,000 rows at a time, so a province's 150,000
    seats start downloading at once. Neither ever holds the whole roster in the worker's memory.
    """
    _staff_only(request)
    filters = selectors.roster_filters(request.GET)
    queryset = selectors.membership_list(user=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        return _roster_csv_response(request, queryset, filters)
    file, rows = workbook_file(_("代表名册"), exports.HEADERS, exports.roster_rows(queryset))
    audit(
        request.user,
        "roster.export",
        request=request,
        object_type="deputies.membership",
        data={"rows": rows, "filters": {k: v for k, v in filters.items() if v}},
    )
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"代表名册-{timezone.localdate().isoformat()}.xlsx",
        content_type=XLSX.CONTENT_TYPE,
    )


class _Echo:
    def write(self, value):
        return value


def _roster_csv_response(request, queryset, filters):
    audit(
        request.user,
        "roster.export",
        request=request,
        object_type="deputies.membership",
        data={"rows": queryset.count(), "format": "csv", "filters": {k: v for k, v in filters.items() if v}},
    )

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(exports.HEADERS)
        for chunk in exports.roster_row_chunks(queryset):
            yield "".join(writer.writerow(row) for row in chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"代表名册-{timezone.localdate().isoformat()}.csv"
    )
    return response


@login_required
def duty_records(request):
    """Staff: duty records of the region, newest first."""
    _staff_only(request)
    filters = {
        "congress": request.GET.get("congress") or None,
        "kind": request.GET.get("kind") or None,
        "q": request.GET.get("q", "").strip() or None,
    }
    page = Paginator(selectors.duty_record_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deputies/duty_records.html",
        {
            "page": page,
            "filters": filters,
            "congresses": selectors.congress_list(user=request.user),
            "kinds": DutyKind.choices,
        },
    )


@login_required
def duty_record_new(request):
    """Staff enter a duty record for a deputy of their region (through ``duty_record_create``)."""
    _staff_only(request)
    initial = {"congress": request.GET.get("congress"), "deputy_code": request.GET.get("code", "")}
    form = DutyRecordForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.duty_record_create(
                actor=request.user,
                membership=data["membership"],
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                place=data["place"],
                description=data["description"],
                attachment=data.get("attachment"),
            )
        except ApplicationError as error:
            fields = error.extra.get("fields") or {}
            for name in fields or [None]:
                form.add_error(name if name in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("已为 %(name)s 录入履职记录：%(kind)s。")
                % {"name": data["membership"].deputy.name, "kind": record.get_kind_display()},
            )
            return redirect("deputies:duty_records")
    return render(request, "deputies/duty_record_form.html", {"form": form})


@login_required
def duty_record_attachment(request, pk):
    """The attachment of a record the caller may see (staff of the region, or the deputy)."""
    record = get_visible_or_404(DutyRecord.objects, request.user, pk=pk)
    if not record.attachment:
        raise Http404
    return FileResponse(
        record.attachment.open("rb"), as_attachment=True, filename=record.attachment.name.rsplit("/")[-1]
    )


def _year(request):
    """The year asked for (this year when none): one outside 1990–2100 or not a number is a 400 with the reason."""
    year = parse_int(request.GET.get("year"), "year", minimum=YEAR_MIN, maximum=YEAR_MAX)
    return year or timezone.localdate().year


@login_required
def ranking_index(request):
    """The ranking chooser: go to the chosen (or first) congress of the staff's region."""
    _staff_only(request)
    congresses = selectors.congress_list(user=request.user)
    chosen = request.GET.get("congress")
    congress = congresses.filter(pk=chosen).first() if chosen and chosen.isdigit() else congresses.first()
    if congress is None:
        return render(request, "deputies/ranking.html", {"congress": None, "rows": [], "year": _year(request)})
    return redirect(f"{reverse('deputies:ranking', args=[congress.pk])}?year={_year(request)}")


@login_required
def ranking(request, congress_id):
    _staff_only(request)
    congress = get_visible_or_404(Congress.objects, request.user, pk=congress_id)
    year = _year(request)
    rows = selectors.points_ranking(user=request.user, congress=congress, year=year)
    this_year = timezone.localdate().year
    return render(
        request,
        "deputies/ranking.html",
        {
            "congress": congress,
            "rows": rows,
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "congresses": selectors.congress_list(user=request.user),
        },
    )


@login_required
@require_GET
def ranking_export(request, congress_id):
    _staff_only(request)
    congress = get_visible_or_404(Congress.objects, request.user, pk=congress_id)
    year = _year(request)
    dataset = Dataset(headers=[_("排名"), _("代表编号"), _("姓名"), _("代表小组"), _("积分")])
    for row in selectors.points_ranking(user=request.user, congress=congress, year=year):
        dataset.append(
            [row.rank, row.deputy.code, row.deputy.name, row.group.name if row.group_id else "", row.total_points]
        )
    dataset.title = str(year)
    audit(request.user, "ranking.export", congress, request=request, data={"year": year})
    return _xlsx_response(dataset, f"{congress.name}-{year}年履职积分排名.xlsx", _("履职积分排名"))
