"""Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, service requests.

Field names, XML shape and the error body follow the GeoReport v2 text. Opinion categories are the services
(``service_code`` = OpinionCategory.code); a service request is a citizen opinion that came from or through the
12345 hotline (``service_request_id`` = the opinion's id). POST needs the client's key as ``api_key``; GETs are
public, and with a valid ``api_key`` narrowed to the client's region. Published fields never include the citizen's
name or phone.
"""

import datetime
from xml.sax.saxutils import escape

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from hotline import auth, selectors, services
from liaison.errors import ApplicationError
from liaison.models import choice_label
from stations import selectors as station_selectors
from stations.models import Opinion, OpinionCategory

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CLOSED = {Opinion.Status.HANDLED, Opinion.Status.PROPOSAL, Opinion.Status.UNFEASIBLE}
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
MAX_IDS = 100


class Open311Error(Exception):
    def __init__(self, status, description):
        super().__init__(description)
        self.status = status
        self.description = str(description)


# ---------------------------------------------------------------- rendering


def iso(value):
    """ISO 8601 with the offset, e.g. 2024-03-15T09:30:00+08:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _xml_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _xml_element(name, value):
    if isinstance(value, dict):
        return f"<{name}>{''.join(_xml_element(k, v) for k, v in value.items())}</{name}>"
    if isinstance(value, list):
        item = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}[name]
        return f"<{name}>{''.join(_xml_element(item, v) for v in value)}</{name}>"
    text = _xml_value(value)
    return f"<{name}>{text}</{name}>" if text else f"<{name}/>"


def xml_document(root, item, rows):
    body = (
        "".join(_xml_element(item, row) for row in rows)
        if item
        else "".join(_xml_element(k, v) for k, v in rows.items())
    )
    return f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>{body}</{root}>'


def respond(fmt, data, *, root, item, status=200):
    if fmt == "xml":
        return HttpResponse(xml_document(root, item, data), status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error_response(fmt, status, description):
    rows = [{"code": status, "description": str(description)}]
    return respond(fmt, rows, root="errors", item="error", status=status)


def service_row(category):
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": category.name,
        "group": _("群众意见"),
    }


def _status_notes(row):
    label = choice_label(Opinion, "status", row["status"])
    return f"{label}：{row['outcome_note']}" if row["outcome_note"] else label


def _agency(opinion):
    if opinion.station_id:
        return opinion.station.name
    return _("%(name)s 人大代表") % {"name": opinion.deputy.name}


def _row_agency(row):
    if row["station_id"]:
        return row["station__name"]
    return _("%(name)s 人大代表") % {"name": row["deputy__name"]}


def request_row(row):
    """One service request of ``selectors.open311_requests`` (a dict) as Open311 publishes it."""
    order = row["inbound"]
    payload = (order["payload"] if order else None) or {}
    attachments = payload.get("attachments") or []
    return {
        "service_request_id": str(row["id"]),
        "status": "closed" if row["status"] in CLOSED else "open",
        "status_notes": _status_notes(row),
        "service_name": row["category__name"],
        "service_code": row["category__code"],
        "description": row["content"],
        "agency_responsible": _row_agency(row),
        "service_notice": "",
        "requested_datetime": iso(row["created_at"]),
        "updated_datetime": iso(row["updated_at"]),
        "expected_datetime": iso(order["deadline"]) if order else None,
        "address": payload.get("address") or None,
        "address_id": None,
        "zipcode": None,
        "lat": payload.get("lat"),
        "long": payload.get("long"),
        "media_url": attachments[0] if attachments else None,
    }


# ---------------------------------------------------------------- plumbing


def _fmt(fmt):
    if fmt not in ("json", "xml"):
        raise Open311Error(404, _("格式须为 json 或 xml。"))
    return fmt


def _throttle(request, client):
    request.hotline_client = client
    throttle = auth.HotlineClientThrottle()
    if not throttle.allow_request(request, None):
        raise Open311Error(429, _("调用过于频繁，请稍后再试。"))


def _client_from_key(request, api_key, *, required):
    if not api_key:
        if required:
            raise Open311Error(403, _("缺少 api_key。"))
        return None
    client = auth.client_for_api_key(request, api_key)
    if client is None:
        raise Open311Error(403, _("api_key 无效。"))
    try:
        auth.check_client_allowed(request, client)
    except exceptions.APIException as refused:
        raise Open311Error(403, refused.detail)
    return client


def open311_view(methods):
    def decorate(view):
        @csrf_exempt
        def wrapper(request, fmt, **kwargs):
            fmt_out = fmt if fmt in ("json", "xml") else "json"
            if request.method not in methods:
                return error_response(fmt_out, 405, _("不支持的请求方法。"))
            try:
                auth.check_body_size(request)
                return view(request, _fmt(fmt), **kwargs)
            except exceptions.APIException as refused:
                return error_response(fmt_out, refused.status_code, refused.detail)
            except Open311Error as error:
                return error_response(fmt_out, error.status, error.description)
            except ApplicationError as error:
                status = error.status_code if error.status_code in (403, 404) else 400
                return error_response(fmt_out, status, error.message)

        return wrapper

    return decorate


def _parse_time(value, name):
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))
    if parsed is None:
        raise Open311Error(400, _("%(name)s 须为 ISO 8601 时间。") % {"name": name})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _float(value, name, low, high):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, _("%(name)s 须为数字。") % {"name": name})
    if not (low <= number <= high):
        raise Open311Error(400, _("%(name)s 超出范围。") % {"name": name})
    return number


def _int_or_none(value, name):
    if not value:
        return None
    if not str(value).isdigit() or len(str(value)) > 9:
        raise Open311Error(400, _("%(name)s 须为编号。") % {"name": name})
    return int(value)


# ---------------------------------------------------------------- views


@open311_view({"GET"})
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": "2024-01-01T00:00:00+08:00",
        "contact": _("人大常委会代表工委"),
        "key_service": _("由工作人员在管理后台登记热线系统并发放密钥。"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": "2024-01-01T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, data, root="discovery", item=None)


@open311_view({"GET"})
def service_list(request, fmt):
    # A registered client may send its api_key here too (GeoReport allows it on every call): it is then counted
    # at its own rate, not at the anonymous per-address rate.
    _throttle(request, _client_from_key(request, request.GET.get("api_key", ""), required=False))
    rows = [service_row(category) for category in station_selectors.active_categories()]
    return respond(fmt, rows, root="services", item="service")


@open311_view({"GET"})
def service_definition(request, fmt, code):
    category = OpinionCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, _("服务 %(code)s 不存在。") % {"code": code})
    return respond(fmt, {"service_code": category.code, "attributes": []}, root="service_definition", item=None)


@open311_view({"GET", "POST"})
def requests_collection(request, fmt):
    if request.method == "POST":
        return _create_request(request, fmt)
    params = request.GET
    client = _client_from_key(request, params.get("api_key", ""), required=False)
    _throttle(request, client)
    ids = None
    if params.get("service_request_id"):
        raw = [part.strip() for part in params["service_request_id"].split(",") if part.strip()]
        if len(raw) > MAX_IDS or not all(part.isdigit() and len(part) <= 12 for part in raw):
            raise Open311Error(400, _("service_request_id 须为以逗号分隔的编号（最多 100 个）。"))
        ids = [int(part) for part in raw]
    status = params.get("status", "")
    if status and status not in ("open", "closed"):
        raise Open311Error(400, _("status 须为 open 或 closed。"))
    start = _parse_time(params.get("start_date"), "start_date")
    end = _parse_time(params.get("end_date"), "end_date")
    if start and end and start > end:
        raise Open311Error(400, _("start_date 不能晚于 end_date。"))
    if start and not end:
        end = start + datetime.timedelta(days=selectors.OPEN311_DEFAULT_DAYS)
    rows = selectors.open311_requests(
        client=client,
        ids=ids,
        service_code=params.get("service_code", "")[:32],
        start=start,
        end=end,
        status=status,
    )
    return respond(fmt, [request_row(row) for row in rows], root="service_requests", item="request")


@open311_view({"GET"})
def request_detail(request, fmt, request_id):
    client = _client_from_key(request, request.GET.get("api_key", ""), required=False)
    _throttle(request, client)
    rows = selectors.open311_requests(client=client, ids=[int(request_id)])
    if not rows:
        raise Open311Error(404, _("服务请求 %(id)s 不存在。") % {"id": request_id})
    return respond(fmt, [request_row(rows[0])], root="service_requests", item="request")


def _create_request(request, fmt):
    data = request.POST
    client = _client_from_key(request, data.get("api_key", ""), required=True)
    _throttle(request, client)
    service_code = data.get("service_code", "").strip()
    if not service_code:
        raise Open311Error(400, _("缺少 service_code。"))
    lat = _float(data.get("lat"), "lat", -90, 90)
    long = _float(data.get("long"), "long", -180, 180)
    address = data.get("address_string", "").strip()[:200]
    if (lat is None or long is None) and not address and not data.get("address_id"):
        raise Open311Error(400, _("须提供 lat 与 long，或 address_string。"))
    description = data.get("description", "")
    if len(description) > 2000:
        raise Open311Error(400, _("description 不能超过 2000 字。"))
    media_url = data.get("media_url", "").strip()
    if media_url and (len(media_url) > 500 or not media_url.lower().startswith(("http://", "https://"))):
        raise Open311Error(400, _("media_url 须为 http(s) 地址。"))
    opinion, _order = services.open311_request_create(
        client=client,
        service_code=service_code[:32],
        description=description,
        lat=lat,
        long=long,
        address_string=address,
        first_name=data.get("first_name", "")[:16],
        last_name=data.get("last_name", "")[:16],
        phone=data.get("phone", "").strip(),
        media_url=media_url,
        station_id=_int_or_none(data.get("attribute[station]"), "attribute[station]"),
        deputy_id=_int_or_none(data.get("attribute[deputy]"), "attribute[deputy]"),
        region_code=data.get("attribute[region]", "")[:12],
    )
    row = {
        "service_request_id": str(opinion.pk),
        "service_notice": _("已转交%(agency)s，群众查询码 %(code)s。")
        % {"agency": _agency(opinion), "code": opinion.tracking_code},
        "account_id": None,
    }
    return respond(fmt, [row], root="service_requests", item="request", status=201)
