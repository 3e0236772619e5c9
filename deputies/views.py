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
from django.views.decorators.http import require_GET, require_POST
from import_export.formats.base_formats import XLSX
from tablib import Dataset

from deputies import exports, selectors, services
from deputies.forms import DutyApproveForm, DutyRecordForm, DutyRegistrationForm, DutyReturnForm
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
    audit(request.user, "ranking.export", congress, request=request, data={"year": year, "rows": len(dataset)})
    return _xlsx_response(dataset, f"{congress.name}-{year}年履职积分排名.xlsx", _("履职积分排名"))


# ---------------------------------------------------------------- self-registered duties (代表履职登记)


def _deputy_only(request):
    deputy = getattr(request.user, "deputy", None) if request.user.role == request.user.Role.DEPUTY else None
    if deputy is None:
        raise Http404
    return deputy


def _form_errors(form, error):
    """Put a service's refusal beside the fields it names (or at the top of the form)."""
    fields = error.extra.get("fields") or {}
    for name in fields or [None]:
        form.add_error(name if name in form.fields else None, error.message)


REGISTRATIONS_PER_PAGE = 20


@login_required
def my_duties(request):
    """The deputy's own registrations with their review status (returned ones can be corrected)."""
    _deputy_only(request)
    status = request.GET.get("status")
    status = status if status in DutyRecord.Status.values else None
    page = Paginator(selectors.my_registrations(user=request.user, status=status), REGISTRATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "deputies/my_duties.html", {"page": page, "status": status})


@login_required
def duty_register(request):
    """登记履职: a deputy records a duty done outside the portal (phone-ready form)."""
    _deputy_only(request)
    form = DutyRegistrationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.duty_record_submit(
                actor=request.user,
                membership=data["membership"],
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                place=data["place"],
                description=data["description"],
                attachment=data.get("attachment"),
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("已提交履职登记，工作人员审核通过后计入履职积分。"))
            return redirect("deputies:my_duties")
    return render(request, "deputies/duty_register.html", {"form": form, "record": None})


@login_required
def duty_resubmit(request, pk):
    """The deputy corrects a returned registration and submits it again."""
    _deputy_only(request)
    record = selectors.my_registration(user=request.user, pk=pk)
    if record is None:
        raise Http404(_("记录不存在或无权查看。"))
    if record.status != DutyRecord.Status.RETURNED:
        messages.info(request, _("只有被退回的登记可以修改。"))
        return redirect("deputies:my_duties")
    form = DutyRegistrationForm(request.POST or None, request.FILES or None, user=request.user, record=record)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.duty_record_resubmit(
                actor=request.user,
                record=record,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                place=data["place"],
                description=data["description"],
                attachment=data.get("attachment"),
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("已重新提交履职登记。"))
            return redirect("deputies:my_duties")
    return render(request, "deputies/duty_register.html", {"form": form, "record": record})


REVIEW_PER_PAGE = 50


@login_required
def duty_review_queue(request):
    """Staff: registrations of their region waiting for review (or, by ``?status=``, returned / approved ones)."""
    _staff_only(request)
    status = request.GET.get("status")
    status = status if status in DutyRecord.Status.values else DutyRecord.Status.SUBMITTED
    page = Paginator(selectors.review_queue(user=request.user, status=status), REVIEW_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deputies/duty_review_queue.html",
        {"page": page, "status": status, "statuses": DutyRecord.Status.choices},
    )


@login_required
def duty_review(request, pk):
    """Staff: one registration with its history, and the approve and return forms while it waits."""
    _staff_only(request)
    record = selectors.review_record(user=request.user, pk=pk)
    if record is None:
        raise Http404(_("记录不存在或无权查看。"))
    return render(
        request,
        "deputies/duty_review.html",
        {"record": record, "approve_form": DutyApproveForm(), "return_form": DutyReturnForm()},
    )


@login_required
@require_POST
def duty_review_approve(request, pk):
    _staff_only(request)
    form = DutyApproveForm(request.POST)
    form.is_valid()
    try:
        record = services.duty_record_approve(actor=request.user, record=pk, public=form.cleaned_data.get("public"))
    except ApplicationError as error:
        if error.status_code == 404:
            raise Http404(error.message) from error
        messages.error(request, error.message)
        return redirect("deputies:duty_review", pk)
    messages.success(request, _("已通过 %(name)s 的履职登记。") % {"name": record.membership.deputy.name})
    return redirect("deputies:duty_review_queue")


@login_required
@require_POST
def duty_review_return(request, pk):
    _staff_only(request)
    form = DutyReturnForm(request.POST)
    if not form.is_valid():
        record = selectors.review_record(user=request.user, pk=pk)
        if record is None:
            raise Http404(_("记录不存在或无权查看。"))
        return render(
            request,
            "deputies/duty_review.html",
            {"record": record, "approve_form": DutyApproveForm(), "return_form": form},
            status=400,
        )
    try:
        record = services.duty_record_return(actor=request.user, record=pk, reason=form.cleaned_data["reason"])
    except ApplicationError as error:
        if error.status_code == 404:
            raise Http404(error.message) from error
        messages.error(request, error.message)
        return redirect("deputies:duty_review", pk)
    messages.success(request, _("已退回 %(name)s 的履职登记。") % {"name": record.membership.deputy.name})
    return redirect("deputies:duty_review_queue")
