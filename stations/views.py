"""Pages: the public directory, QR opinion form and tracking (no login), and the scoped working pages."""

import csv
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deputies.models import Deputy
from liaison import proxies, qr
from liaison.access import get_visible_or_404, user_is_staff
from liaison.audit import audit
from liaison.cache import statement_key
from liaison.converters import parse_date, parse_float, parse_id
from liaison.errors import ApplicationError
from liaison.jinja2 import render_partial
from liaison.listing import keyset_paginate
from liaison.models import Region, User
from liaison.reauth import require_recent_password
from stations import selectors, services
from stations.forms import (
    OpinionRecordForm,
    PublicOpinionForm,
    ReceptionLogForm,
    ReceptionScheduleForm,
    TrackingForm,
    TriageForm,
)
from stations.models import Opinion, ReceptionDay, Station


def _remote_ip(request):
    """The address rate limits count against: X-Forwarded-For only as written by a trusted proxy."""
    return proxies.client_ip(request)


def _apply_errors(form, error):
    fields = error.extra.get("fields") or {}
    for name, messages_ in fields.items():
        if name in form.fields and form.errors.get(name):
            continue  # the form already said what is wrong with it
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, error.message)


def _public_url(request, name, *args):
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    path = reverse(name, args=args)
    return f"{base.rstrip('/')}{path}" if base else request.build_absolute_uri(path)


# ---------------------------------------------------------------- public pages (no login)


def _near(request):
    """The point a citizen asked the directory to sort by (``?lat=&lng=``, from the phone's location), or None."""
    if not (request.GET.get("lat", "").strip() or request.GET.get("lng", "").strip()):
        return None
    lat = parse_float(request.GET.get("lat", ""), "lat", minimum=-90, maximum=90, required=True)
    lng = parse_float(request.GET.get("lng", ""), "lng", minimum=-180, maximum=180, required=True)
    return lat, lng


def distance_label(km):
    """A distance as a citizen reads it: metres below one kilometre, then kilometres with one decimal."""
    if km is None:
        return ""
    if km < 1:
        return _("%(m)d 米") % {"m": round(km * 1000)}
    return _("%(km)s 公里") % {"km": f"{km:.1f}"}


def directory(request):
    """The public directory of stations. Citizens all see the same pages: each (query, page, language) is rendered
    once a minute (``PUBLIC_STATION_CACHE_SECONDS``), like a station's page. A page sorted by distance from the
    citizen's location (``?lat=&lng=``) is one person's: it is rendered each time and never kept."""
    near = _near(request)
    seconds = 0 if near is not None else getattr(settings, "PUBLIC_STATION_CACHE_SECONDS", 60)
    query = sorted((k, v) for k, v in request.GET.lists())
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
    key = f"public-directory:v1:{translation.get_language()}:{digest}"
    body = cache.get(key) if seconds > 0 else None
    if body is None:
        q = request.GET.get("q", "").strip()
        kind = request.GET.get("kind", "")
        region = Region.objects.filter(code=request.GET.get("region", "")).first()
        stations = selectors.public_station_list(
            q=q, region=region, kind=kind if kind in Station.Kind.values else "", near=near
        )
        page = Paginator(stations, 30).get_page(request.GET.get("page"))
        if near is not None:
            page.object_list = list(page.object_list)
            for station in page.object_list:
                station.distance_text = distance_label(station.distance_km)
        regions = Region.objects.filter(level__lte=Region.Level.COUNTY).order_by("path").only("code", "name")
        context = {"page": page, "q": q, "kind": kind, "region": region, "regions": regions, "near": near}
        body = render_to_string(
            "stations/_directory_body.html", {**context, "kinds": Station.Kind.choices}, request=request
        )
        if seconds > 0:
            cache.set(key, body, seconds)
    return render(request, "stations/directory.html", {"body": body})


def public_station(request, pk):
    """A station's public page. Citizens open it from a poster's QR code, many at once after a meeting: the page's
    body (no personal data, no form) is kept a minute in the cache per station and language."""
    seconds = getattr(settings, "PUBLIC_STATION_CACHE_SECONDS", 60)
    key = f"public-station:v1:{int(pk)}:{translation.get_language()}"
    cached = cache.get(key) if seconds > 0 else None
    if cached is None:
        station = selectors.public_station_detail(pk=pk)
        if station is None:
            raise Http404(_("联络站不存在。"))
        body = render_to_string("stations/_public_station_body.html", {"station": station}, request=request)
        cached = {"name": station.name, "region": station.region.name, "body": body}
        if seconds > 0:
            cache.set(key, cached, seconds)
    return render(request, "stations/public_station.html", cached)


def _opinion_form(request, *, station=None, deputy=None):
    # bound on every POST, an empty one too (``request.POST or None`` would leave it unbound, without cleaned_data)
    form = PublicOpinionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                opinion, _created = services.opinion_submit_public(
                    station=station,
                    deputy=deputy,
                    category=form.cleaned_data["category"],
                    content=form.cleaned_data["content"],
                    mobile=form.cleaned_data["mobile"].strip(),
                    citizen_name=form.cleaned_data["citizen_name"],
                    photos=request.FILES.getlist("photos"),
                    ip=_remote_ip(request),
                    honeypot=form.cleaned_data["website"],
                )
            except ApplicationError as error:
                _apply_errors(form, error)
                status = error.status_code
            else:
                response = redirect("stations:opinion_thanks")
                _remember_code(response, opinion.tracking_code)
                return response
        else:
            status = 400
            try:  # the service's field rules too, so that every error shows at once
                services.opinion_check_public_fields(
                    content=request.POST.get("content", ""),
                    mobile=request.POST.get("mobile", "").strip(),
                    citizen_name=request.POST.get("citizen_name", ""),
                    photos=request.FILES.getlist("photos"),
                )
            except ApplicationError as error:
                _apply_errors(form, error)
    return render(
        request,
        "stations/opinion_form.html",
        {"form": form, "station": station, "deputy": deputy},
        status=status,
    )


def opinion_for_station(request, pk):
    station = services.station_for_public(pk)
    if station is None:
        raise Http404(_("联络站不存在。"))
    return _opinion_form(request, station=station)


def opinion_for_deputy(request, pk):
    deputy = selectors.public_deputy(pk=pk)
    if deputy is None:
        raise Http404(_("代表不存在。"))
    return _opinion_form(request, deputy=deputy)


# The thanks page shows the tracking code of the opinion just sent. It travels in a signed cookie read only by that
# page, not in a session: a citizen's one submission then writes no session row (one per QR submission, at a
# province's scale), and the code is the citizen's own, shown to them on the next page anyway.
THANKS_COOKIE = "opinion_code"
THANKS_COOKIE_SALT = "stations.opinion_thanks"


def _remember_code(response, code):
    response.set_signed_cookie(
        THANKS_COOKIE,
        code,
        salt=THANKS_COOKIE_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        path=reverse("stations:opinion_thanks"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def opinion_thanks(request):
    code = request.get_signed_cookie(
        THANKS_COOKIE, default=None, salt=THANKS_COOKIE_SALT, max_age=settings.SESSION_COOKIE_AGE
    )
    if not code:
        return redirect("stations:track")
    return render(request, "stations/opinion_thanks.html", {"code": code})


def track(request):
    """Look an opinion up by its code and the last four digits of the mobile (POST, so the digits stay out of URLs)."""
    form = TrackingForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    opinion = None
    not_found = False
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.opinion_lookup(
                code=form.cleaned_data["code"], last_four=form.cleaned_data["last_four"], ip=_remote_ip(request)
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            not_found = opinion is None
            status = 404 if not_found else 200
    return render(
        request, "stations/track.html", {"form": form, "opinion": opinion, "not_found": not_found}, status=status
    )


# ---------------------------------------------------------------- QR codes and posters


def _station_for_print(request, pk):
    return get_visible_or_404(Station.objects.select_related("region"), request.user, pk=pk)


@login_required
def station_qr(request, pk, fmt):
    if fmt not in ("png", "svg"):
        raise Http404
    station = _station_for_print(request, pk)
    url = _public_url(request, "stations:opinion_station", station.pk)
    if fmt == "svg":
        return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    return HttpResponse(qr.qr_png(url), content_type="image/png")


@login_required
def station_poster(request, pk):
    station = selectors.station_detail(user=request.user, pk=pk)
    if station is None:
        get_visible_or_404(Station.objects, request.user, pk=pk)
    names = "、".join(a.deputy.name for a in station.current_assignments) or _("（暂无）")
    lines = [
        _("进站代表：%(names)s") % {"names": names},
        _("地址：%(address)s") % {"address": station.address or "—"},
        _("开放时间：%(hours)s") % {"hours": station.opening_hours or "—"},
    ]
    pdf = qr.poster_pdf(
        title=station.name,
        subtitle=_("码上找代表 · 扫码向人大代表反映意见建议"),
        lines=lines,
        url=_public_url(request, "stations:opinion_station", station.pk),
        footer=_("提交后凭查询码和手机号后四位查询办理结果"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="station-{station.pk}-poster.pdf"'
    return response


def _deputy_for_print(request, pk):
    user = request.user
    deputy = Deputy.objects.filter(pk=pk).first()
    if deputy is None:
        raise Http404
    if user_is_staff(user) and Deputy.objects.visible_to(user).filter(pk=pk).exists():
        return deputy
    if user.role == User.Role.DEPUTY and deputy.user_id == user.pk:
        return deputy
    get_visible_or_404(Deputy.objects.none(), user, pk=pk)


@login_required
def deputy_qr(request, pk, fmt):
    if fmt not in ("png", "svg", "pdf"):
        raise Http404
    deputy = _deputy_for_print(request, pk)
    url = _public_url(request, "stations:opinion_deputy", deputy.pk)
    if fmt == "svg":
        return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    if fmt == "pdf":
        pdf = qr.poster_pdf(
            title=_("%(name)s 代表") % {"name": deputy.name},
            subtitle=_("码上找代表 · 扫码向人大代表反映意见建议"),
            lines=[deputy.occupation, deputy.workplace],
            url=url,
            footer=_("提交后凭查询码和手机号后四位查询办理结果"),
        )
        return HttpResponse(pdf, content_type="application/pdf")
    return HttpResponse(qr.qr_png(url), content_type="image/png")


# ---------------------------------------------------------------- working pages


@login_required
def station_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.station_list(user=request.user, q=q, kind=kind), 50).get_page(request.GET.get("page"))
    return render(
        request, "stations/station_list.html", {"page": page, "q": q, "kind": kind, "kinds": Station.Kind.choices}
    )


@login_required
def station_manage(request, pk):
    station = selectors.station_detail(user=request.user, pk=pk)
    if station is None:
        get_visible_or_404(Station.objects, request.user, pk=pk)
    days = selectors.reception_day_list(user=request.user, station=station)[:20]
    return render(
        request,
        "stations/station_manage.html",
        {
            "station": station,
            "days": days,
            "can_manage": user_is_staff(request.user) or request.user.role == User.Role.STATION_MANAGER,
            "opinion_url": _public_url(request, "stations:opinion_station", station.pk),
        },
    )


@login_required
def reception_schedule(request, pk):
    station = selectors.station_detail(user=request.user, pk=pk)
    if station is None:
        get_visible_or_404(Station.objects, request.user, pk=pk)
    form = ReceptionScheduleForm(request.POST or None, station=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            day = services.reception_day_schedule(
                actor=request.user,
                station=station,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                kind=data["kind"],
                topic=data["topic"],
                deputies_on_duty=list(data["deputies_on_duty"]),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("接待日已安排。"))
            return redirect("stations:reception_detail", pk=day.pk)
    return render(request, "stations/reception_schedule.html", {"station": station, "form": form})


@login_required
def reception_list(request):
    page = Paginator(selectors.reception_day_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "stations/reception_list.html", {"page": page, "today": timezone.localdate()})


@login_required
def reception_detail(request, pk):
    day = get_visible_or_404(
        ReceptionDay.objects.select_related("station", "station__region").prefetch_related(
            "deputies_on_duty", "deputies_present"
        ),
        request.user,
        pk=pk,
    )
    initial = {
        "deputies_present": [d.pk for d in day.deputies_present.all()] or [d.pk for d in day.deputies_on_duty.all()],
        "citizens_received": day.citizens_received,
        "opinions_taken": day.opinions_taken,
        "note": day.log_note,
    }
    form = ReceptionLogForm(request.POST or None, reception_day=day, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reception_day_log(
                actor=request.user,
                reception_day=day,
                deputies_present=list(data["deputies_present"]),
                citizens_received=data["citizens_received"],
                opinions_taken=data["opinions_taken"],
                note=data["note"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("接待记录已保存。"))
            return redirect("stations:reception_detail", pk=day.pk)
    opinions = selectors.opinion_list(user=request.user).filter(reception_day=day)
    return render(
        request,
        "stations/reception_detail.html",
        {"day": day, "form": form, "opinions": opinions, "can_log": day.date <= timezone.localdate()},
    )


STATION_CHOICES_MAX = 200


def _station_choices(user):
    """The stations for the filter's drop-down, or None when there are too many to list (a name search instead).

    Kept ``WORKBENCH_COUNT_SECONDS`` per scope: the list page is reloaded all day and its stations seldom change."""
    stations = Station.objects.visible_to(user)
    seconds = getattr(settings, "WORKBENCH_COUNT_SECONDS", 120)
    key = statement_key("station-choices", stations) if seconds > 0 else None
    if key and (kept := cache.get(key)) is not None:
        return kept["choices"]
    if stations.order_by()[: STATION_CHOICES_MAX + 1].count() > STATION_CHOICES_MAX:
        choices = None  # counted without sorting a province's 12,000 names or building 201 stations
    else:
        choices = list(stations.order_by("name").values("pk", "name"))
    if key:
        cache.set(key, {"choices": choices}, seconds)
    return choices


def _opinion_filters(request):
    user = request.user
    station = None
    raw_station = request.GET.get("station", "")
    if raw_station.isdigit() and len(raw_station) <= 12:
        station = Station.objects.visible_to(user).filter(pk=raw_station).first()
    status = request.GET.get("status", "")
    return {
        "status": status if status in Opinion.Status.values else "",
        "station": station,
        "station_name": request.GET.get("station_name", "").strip()[:50],
        "source": request.GET.get("source", "") if request.GET.get("source") in Opinion.Source.values else "",
        "q": request.GET.get("q", "").strip(),
    }


def opinion_rows_html(rows):
    """The ``<tr>`` elements of ``rows`` (dicts of ``selectors.OPINION_ROW_FIELDS``) for ``<tbody>``."""
    return render_partial("stations/_opinion_rows.jinja", {"rows": rows})


@login_required
def opinion_list(request):
    filters = _opinion_filters(request)
    page = keyset_paginate(
        request, selectors.opinion_rows(user=request.user, **filters), keys=selectors.OPINION_KEYS, per_page=50
    )
    return render(
        request,
        "stations/opinion_list.html",
        {
            "page": page,
            "rows_html": opinion_rows_html(page.object_list),
            "filters": filters,
            "statuses": Opinion.Status.choices,
            "sources": Opinion.Source.choices,
            # A drop-down for a county's stations; a province has thousands, so it gets a name search instead.
            "stations": _station_choices(request.user),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_recent_password()
def opinion_export(request):
    """CSV of the opinions in scope. Mobiles are masked: the export is a list like any other."""
    filters = _opinion_filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="opinions.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("查询码"),
            _("提交时间"),
            _("来源"),
            _("联络站"),
            _("代表"),
            _("类别"),
            _("内容"),
            _("群众姓名"),
            _("手机号"),
            _("状态"),
            _("处理情况"),
        ]
    )
    rows = 0
    for o in selectors.opinion_list(user=request.user, **filters).iterator(chunk_size=500):
        rows += 1
        writer.writerow(
            [
                o.tracking_code,
                timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M"),
                o.get_source_display(),
                o.station.name if o.station_id else "",
                o.deputy.name if o.deputy_id else "",
                o.category.name,
                o.content,
                o.citizen_name,
                o.masked_mobile,
                o.get_status_display(),
                o.outcome_note,
            ]
        )
    # One audit row per export (issue 23): who, how many rows, which filters. The search term is recorded only as
    # present, since it may be a citizen's whole mobile number.
    audit(
        request.user,
        "opinion.export",
        request=request,
        object_type="stations.opinion",
        data={
            "rows": rows,
            "format": "csv",
            "filters": {
                "status": filters["status"],
                "station": filters["station"].pk if filters["station"] else None,
                "station_name": filters["station_name"],
                "source": filters["source"],
            },
            "search": bool(filters["q"]),
        },
    )
    return response


def _get_opinion(request, pk):
    opinion = selectors.opinion_detail(user=request.user, pk=pk)
    if opinion is None:
        get_visible_or_404(Opinion.objects, request.user, pk=pk)
    return opinion


@login_required
def opinion_detail(request, pk):
    opinion = _get_opinion(request, pk)
    candidates = None
    if services.proposals_available() and request.user.role != User.Role.DEPUTY:
        candidates = services.proposal_candidates(opinion)
    form = TriageForm(request.POST or None, outcomes=services.triage_outcomes(), candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.triage_opinion(
                    actor=request.user,
                    opinion=opinion,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    lead_deputy=form.cleaned_data.get("lead_deputy"),
                )
            except ApplicationError as error:
                _apply_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, _("处理结果已保存，已短信告知群众。"))
                return redirect("stations:opinion_detail", pk=opinion.pk)
        else:
            status = 400
    return render(
        request,
        "stations/opinion_detail.html",
        {
            "opinion": opinion,
            "form": form,
            "can_triage": services.user_can_triage(request.user, opinion)
            and bool(services.TRANSITIONS[opinion.status]),
        },
        status=status,
    )


@login_required
@require_POST
def opinion_call_back(request, pk):
    """The one screen with the whole mobile number, for whoever must call back. Every view is audited."""
    opinion = _get_opinion(request, pk)
    mobile = services.opinion_view_mobile(actor=request.user, opinion=opinion, request=request)
    return render(request, "stations/opinion_call_back.html", {"opinion": opinion, "mobile": mobile})


@login_required
def opinion_record(request):
    form = OpinionRecordForm(request.POST or None, user=request.user, initial={"reception_day": request.GET.get("day")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_record(
                actor=request.user,
                station=data["station"],
                category=data["category"],
                content=data["content"],
                source=data["source"],
                mobile=data["mobile"].strip(),
                citizen_name=data["citizen_name"],
                reception_day=data["reception_day"],
            )
        except ApplicationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("意见已录入，查询码 %(code)s。") % {"code": opinion.tracking_code})
            return redirect("stations:opinion_detail", pk=opinion.pk)
    return render(request, "stations/opinion_record.html", {"form": form})


@login_required
def figures(request):
    user = request.user
    region = Region.objects.visible_to(user).filter(code=request.GET.get("region", "")).first()
    station_id = parse_id(request.GET.get("station"), "station")
    station = Station.objects.visible_to(user).filter(pk=station_id).first() if station_id else None
    date_from = parse_date(request.GET.get("from"), "from")
    date_to = parse_date(request.GET.get("to"), "to")
    data = selectors.reception_figures(user, region=region, station=station, date_from=date_from, date_to=date_to)
    outcomes = [(label, data["by_outcome"][value]) for value, label in Opinion.Status.choices]
    return render(
        request,
        "stations/figures.html",
        {
            "data": data,
            "outcomes": outcomes,
            "region": region,
            "station": station,
            "date_from": date_from,
            "date_to": date_to,
            "regions": Region.objects.visible_to(user).order_by("path"),
            "stations": Station.objects.visible_to(user).order_by("name"),
        },
    )
