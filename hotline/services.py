"""Writes of the 12345 integration: clients and keys, inbound work orders and Open311 requests, outbound sending,
status callbacks, resends and the deputies' 代表专线."""

import contextlib
import hashlib
import http.client
import json

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy, Membership
from hotline import auth, net
from hotline.models import ApiClient, HotlineWorkOrder, IdempotencyRecord
from liaison import crypto, workflow
from liaison.access import in_region, region_contains, staff_covers
from liaison.audit import audit
from liaison.errors import ApplicationError, InvalidTransition, PermissionDenied
from liaison.models import Region, User
from liaison.privacy import is_valid_mobile
from stations import selectors
from stations import services as station_services
from stations.models import Opinion

Status = HotlineWorkOrder.Status

CALLBACK_STATUSES = (Status.ACCEPTED, Status.CLOSED)
RESOLUTIONS = {"handled": Opinion.Status.HANDLED, "unfeasible": Opinion.Status.UNFEASIBLE}


def _move(order, to_status, *, note="", actor=None, client=None, action=None, audit_data=None, **fields):
    """Move a work order (locked by the caller in this transaction) through the workflow core; ``client`` goes on
    its history row."""
    return workflow.transition(
        workflow.mark_locked(order),
        to_status,
        actor=actor,
        note=note[:2000],
        history_fields={"client": client},
        action=action,
        audit_data=audit_data,
        validate=False,
        code="status_backwards",
        **fields,
    )


# ---------------------------------------------------------------- clients


def _check_staff_scope(actor, region):
    if actor is None or actor.is_superuser:
        return
    if staff_covers(actor, region):
        return
    raise PermissionDenied(_("您无权管理该区域的热线接口客户端。"))


def _validate_client_settings(endpoint_url, throttle_rate):
    if endpoint_url:
        net.check_url(endpoint_url)
    try:
        auth.HotlineClientThrottle().parse_rate(throttle_rate)
    except (ValueError, KeyError, TypeError):
        message = _("限流格式应为 次数/单位，例如 120/min。")
        raise ApplicationError(message, code="invalid", extra={"fields": {"throttle_rate": [message]}})


@transaction.atomic
def api_client_register(*, actor, name, region, endpoint_url="", ip_allowlist="", throttle_rate="120/min"):
    """Register a hotline system. Returns ``(client, key)``: the key is shown once and never stored."""
    _check_staff_scope(actor, region)
    _validate_client_settings(endpoint_url, throttle_rate)
    key_id, key = auth.new_key()
    client = ApiClient(
        name=name,
        region=region,
        key_id=key_id,
        key_hash=auth.hash_key(key),
        endpoint_url=endpoint_url,
        ip_allowlist=ip_allowlist,
        throttle_rate=throttle_rate,
        created_by=actor,
    )
    client.full_clean()
    client.save()
    audit(actor, "hotline.client_register", client, data={"region": region.code})
    return client, key


@transaction.atomic
def api_client_update(*, actor, client, endpoint_url, ip_allowlist, throttle_rate, name=None):
    client = ApiClient.objects.select_for_update().select_related("region").get(pk=client.pk)
    _check_staff_scope(actor, client.region)
    _validate_client_settings(endpoint_url, throttle_rate)
    client.endpoint_url, client.ip_allowlist, client.throttle_rate = endpoint_url, ip_allowlist, throttle_rate
    if name:
        client.name = name
    client.full_clean()
    client.save()
    audit(actor, "hotline.client_update", client)
    auth.forget_client(client.key_id)
    return client


@transaction.atomic
def api_client_rotate_key(*, actor, client):
    """A new key; the old one stops working at once. Returns ``(client, key)``."""
    client = ApiClient.objects.select_for_update().select_related("region").get(pk=client.pk)
    _check_staff_scope(actor, client.region)
    if not client.is_active:
        raise ApplicationError(_("已吊销的客户端不能轮换密钥。"), code="client_revoked", status_code=409)
    old_key_id = client.key_id
    key_id, key = auth.new_key()
    client.key_id, client.key_hash, client.rotated_at = key_id, auth.hash_key(key), timezone.now()
    client.save(update_fields=["key_id", "key_hash", "rotated_at", "updated_at"])
    audit(actor, "hotline.client_rotate_key", client)
    auth.forget_client(old_key_id, key_id)
    return client, key


@transaction.atomic
def api_client_revoke(*, actor, client):
    client = ApiClient.objects.select_for_update().select_related("region").get(pk=client.pk)
    _check_staff_scope(actor, client.region)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at", "updated_at"])
        audit(actor, "hotline.client_revoke", client)
        auth.forget_client(client.key_id)
    return client


# ---------------------------------------------------------------- idempotency


def request_fingerprint(method, path, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.upper().encode(), path.encode(), body or b""])).hexdigest()


def idempotent(*, client, key, fingerprint, produce):
    """Run ``produce() -> (status, body_bytes)`` once per ``(client, key)``.

    The record is inserted with ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` in a transaction: the request that
    inserts it holds the new row's lock until it commits, and a concurrent request with the same key finds the
    conflict, waits on the row (``SELECT … FOR UPDATE``) until the first commits, then reads its stored response.
    Returns ``(status, body, replayed)``.
    """
    with transaction.atomic():
        record = _claim_idempotency_key(client=client, key=key, fingerprint=fingerprint)
        if record is None:
            record = IdempotencyRecord.objects.select_for_update().get(client=client, key=key)
        if record.request_hash != fingerprint:
            raise ApplicationError(
                _("同一个 Idempotency-Key 已用于内容不同的请求。"),
                code="idempotency_key_reused",
                status_code=422,
            )
        if record.response_status is not None:
            return record.response_status, record.response_body.encode(), True
        status, body = produce()
        record.response_status, record.response_body = status, body.decode()
        record.save(update_fields=["response_status", "response_body"])
        return status, body, False


def _claim_idempotency_key(*, client, key, fingerprint):
    """The new record for ``(client, key)``, or ``None`` when one exists already. One statement: the ORM's
    ``bulk_create(ignore_conflicts=True)`` cannot tell whether it inserted, which cost a second read each time."""
    table = IdempotencyRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, key, request_hash, response_status, response_body, created_at) "
            "VALUES (%s, %s, %s, NULL, '', %s) ON CONFLICT (client_id, key) DO NOTHING RETURNING id",
            [client.pk, key, fingerprint, timezone.now()],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return IdempotencyRecord(id=row[0], client=client, key=key, request_hash=fingerprint, response_body="")


def purge_idempotency_records(*, older_than_days=None):
    days = older_than_days or int(getattr(settings, "HOTLINE_IDEMPOTENCY_DAYS", 7))
    cutoff = timezone.now() - timezone.timedelta(days=days)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]


# ---------------------------------------------------------------- routing and inbound work


def _in_region(region, client):
    return region_contains(client.region, region)


def route(*, client, station_id=None, deputy_id=None, region_code=""):
    """Where a hotline item goes: the station or deputy named, else the first active station of the region named
    (or the client's region). Everything must lie inside the client's region."""
    if station_id:
        station = selectors.public_station_row(pk=station_id)
        if station is None or not _in_region(station.region, client):
            raise ApplicationError(_("联络站不存在或不在本客户端的区域内。"), code="unknown_station", status_code=400)
        return station, None
    if deputy_id:
        deputy = Deputy.objects.filter(pk=deputy_id).first()
        seated = (
            deputy is not None
            and Membership.objects.filter(
                in_region("congress__region", client.region),
                deputy=deputy,
                status=Membership.Status.IN_OFFICE,
            ).exists()
        )
        if not seated:
            raise ApplicationError(_("代表不存在或不在本客户端的区域内。"), code="unknown_deputy", status_code=400)
        return None, deputy
    region = client.region
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None or not _in_region(region, client):
            raise ApplicationError(_("行政区划不存在或不在本客户端的区域内。"), code="unknown_region", status_code=400)
    station = selectors.first_public_station(region=region)
    if station is None:
        raise ApplicationError(_("该区域没有可接收意见的联络站。"), code="no_route", status_code=400)
    return station, None


def _category(code):
    category = selectors.active_category(code=code)
    if category is None:
        raise ApplicationError(
            _("类别 %(code)s 不存在。") % {"code": code},
            code="unknown_category",
            extra={"fields": {"category": [_("类别不存在。")]}},
        )
    return category


def _hotline_content(content):
    content = (content or "").strip()
    if len(content) < station_services.CONTENT_MIN_LENGTH:
        message = _("内容至少 %(n)d 个字。") % {"n": station_services.CONTENT_MIN_LENGTH}
        raise ApplicationError(message, code="invalid", extra={"fields": {"content": [message]}})
    return content[: station_services.CONTENT_MAX_LENGTH]


def _hotline_opinion(*, station, deputy, category, content, mobile, citizen_name, external_id=""):
    """``content`` as ``_hotline_content`` returned it."""
    return station_services.opinion_create_external(
        station=station,
        deputy=deputy,
        category=category,
        content=content,
        mobile=mobile,
        citizen_name=citizen_name,
        source=Opinion.Source.HOTLINE,
        external_id=external_id,
    )


def work_order_receive(*, client, data):
    """An inbound work order pushed by the hotline: stored with its payload, and a citizen opinion for the station
    or deputy it concerns. ``data`` is the validated payload of WorkOrderPushInput.

    Every refusal comes before the first write, and the writes share the caller's transaction without a savepoint
    of their own (the push API runs this inside ``idempotent``, which stores the refusal as the key's response).
    """
    hotline_id = data["hotline_id"]
    if HotlineWorkOrder.objects.filter(
        client=client, direction=HotlineWorkOrder.Direction.INBOUND, external_id=hotline_id
    ).exists():
        raise ApplicationError(
            _("热线工单 %(id)s 已推送过。") % {"id": hotline_id}, code="duplicate_work_order", status_code=409
        )
    station, deputy = route(
        client=client,
        station_id=data.get("station"),
        deputy_id=data.get("deputy"),
        region_code=data.get("region_code", ""),
    )
    category = _category(data["category"])
    citizen = data.get("citizen") or {}
    title = data.get("title", "")
    content = _hotline_content(f"{title}\n{data['content']}" if title else data["content"])
    with transaction.atomic(savepoint=False):
        opinion = _hotline_opinion(
            station=station,
            deputy=deputy,
            category=category,
            content=content,
            mobile=citizen.get("mobile", ""),
            citizen_name=citizen.get("name", ""),
            external_id=hotline_id,
        )
        location = data.get("location") or {}
        order = HotlineWorkOrder.objects.create(
            opinion=opinion,
            client=client,
            direction=HotlineWorkOrder.Direction.INBOUND,
            status=Status.ACCEPTED,
            external_id=hotline_id,
            deadline=data.get("deadline"),
            payload={
                "title": title,
                "category": category.code,
                "address": location.get("address", ""),
                "lat": location.get("lat"),
                "long": location.get("long"),
                "attachments": list(data.get("attachments") or []),
                "masked_mobile": opinion.masked_mobile or citizen.get("mobile", "")[:20],
            },
        )
        workflow.record_created(
            order, from_status=Status.PENDING, actor=None, note=_("热线推送工单"), history_fields={"client": client}
        )
        audit(None, "hotline.work_order_receive", order, data={"client": client.key_id, "hotline_id": hotline_id})
    return order


@transaction.atomic
def open311_request_create(
    *,
    client,
    service_code,
    description,
    lat=None,
    long=None,
    address_string="",
    first_name="",
    last_name="",
    phone="",
    media_url="",
    station_id=None,
    deputy_id=None,
    region_code="",
):
    """Open311 POST requests: a citizen opinion (source 12345) with an inbound work order holding the location."""
    category = _category(service_code)
    station, deputy = route(client=client, station_id=station_id, deputy_id=deputy_id, region_code=region_code)
    opinion = _hotline_opinion(
        station=station,
        deputy=deputy,
        category=category,
        content=_hotline_content(description),
        mobile=phone,
        citizen_name=f"{last_name}{first_name}".strip(),
    )
    order = HotlineWorkOrder.objects.create(
        opinion=opinion,
        client=client,
        direction=HotlineWorkOrder.Direction.INBOUND,
        status=Status.ACCEPTED,
        payload={
            "category": category.code,
            "address": address_string,
            "lat": lat,
            "long": long,
            "attachments": [media_url] if media_url else [],
            "open311": True,
        },
    )
    audit(None, "hotline.open311_request", opinion, data={"client": client.key_id})
    return opinion, order


# ---------------------------------------------------------------- outbound


@transaction.atomic
def opinion_forward_to_hotline(*, actor, opinion, note=""):
    """转12345 (the triage outcome the hotline registers with stations): the opinion moves to 转12345 through stations'
    status service, and an outbound work order is queued for sending."""
    note = (note or "").strip() or _("已转 12345 政务服务便民热线办理。")
    opinion, _change = station_services.opinion_change_status(
        actor=actor, opinion=opinion, to_status=Opinion.Status.HOTLINE, note=note
    )
    order = HotlineWorkOrder.objects.create(
        opinion=opinion,
        direction=HotlineWorkOrder.Direction.OUTBOUND,
        status=HotlineWorkOrder.Status.PENDING,
        payload={
            "tracking_code": opinion.tracking_code,
            "category": opinion.category.code,
            "content": opinion.content,
            "station": opinion.station.name if opinion.station_id else "",
            "region_code": opinion.region.code,
            "citizen_name": opinion.citizen_name,
            "mobile": crypto.encrypt(opinion.mobile),  # decrypted when the order is sent (outbound_body)
        },
    )
    audit(actor, "hotline_work_order.create", order)
    transaction.on_commit(lambda: queue_send(order.pk))
    return opinion


def erase_opinion_personal_data(*, opinion):
    """The citizen's name and mobile leave the payloads of the opinion's work orders (stations erases the opinion's
    and sends ``opinion_personal_data_erased`` in the same transaction)."""
    for order in HotlineWorkOrder.objects.filter(opinion=opinion):
        order.payload = {k: v for k, v in order.payload.items() if k not in ("citizen_name", "mobile")}
        order.save(update_fields=["payload", "updated_at"])


def client_for_region(region):
    """The active client with an endpoint whose region contains ``region``, the closest one first."""
    candidates = [
        client
        for client in ApiClient.objects.active().exclude(endpoint_url="").select_related("region")
        if region_contains(client.region, region)
    ]
    return max(candidates, key=lambda c: len(c.region.path), default=None)


def _order_region(order):
    if order.opinion_id:
        return order.opinion.region
    return station_services.opinion_region(None, order.deputy)


def outbound_body(order):
    """What the hotline receives. The stored payload keeps the citizen's mobile encrypted; it leaves in clear, as
    the hotline must call the citizen back (over HTTPS, signed)."""
    payload = dict(order.payload)
    if crypto.is_token(payload.get("mobile")):
        payload["mobile"] = crypto.decrypt(payload["mobile"])
    return {
        "portal_id": order.pk,
        "kind": "deputy_line" if order.deputy_id and not order.opinion_id else "opinion",
        "callback_url": f"/api/v1/hotline/work-orders/{order.pk}/status",
        **payload,
    }


def queue_send(order_id):
    from hotline.tasks import send_work_order
    from liaison.outbox import enqueue

    enqueue(send_work_order, order_id)  # kept in the outbox if Redis is down


def work_order_send(*, order_id):
    """Send one pending outbound order. Returns ``sent``, ``skipped`` (not pending), ``no_client``, ``failed``
    (refused for good: unsafe URL or a 4xx answer) or ``retry`` (network error, timeout, 5xx, 408, 429).

    The row stays locked while the request is made (at most 3 s + 10 s), so two deliveries of the task cannot send
    the same order twice; the hotline also gets ``Idempotency-Key: work-order-<id>``.
    """
    with transaction.atomic():
        order = (
            HotlineWorkOrder.objects.select_for_update(of=("self",))
            .select_related("opinion__region", "deputy", "client")
            .filter(pk=order_id, direction=HotlineWorkOrder.Direction.OUTBOUND)
            .first()
        )
        if order is None or order.status != Status.PENDING:
            return "skipped"
        client = order.client if order.client and order.client.is_active else client_for_region(_order_region(order))
        if client is None or not client.endpoint_url:
            order.last_error = _("没有配置接收该区域工单的热线系统。")
            order.save(update_fields=["last_error", "updated_at"])
            return "no_client"
        order.client = client
        order.attempts += 1
        body = json.dumps(outbound_body(order), ensure_ascii=False, sort_keys=True).encode()
        outcome, error = "retry", ""
        try:
            path = net.signed_path(client.endpoint_url)
            headers = auth.signed_headers_with_hash(
                key_id=client.key_id, key_hash=client.key_hash, method="POST", path=path, body=body
            )
            headers.update({"Content-Type": "application/json", "Idempotency-Key": f"work-order-{order.pk}"})
            response = net.post(client.endpoint_url, body, headers)
        except net.UnsafeUrl as refused:
            outcome, error = "failed", refused.message
        except (OSError, http.client.HTTPException) as problem:
            error = f"{type(problem).__name__}: {problem}"[:500]
        else:
            if 200 <= response.status < 300:
                try:
                    answer = json.loads(response.body or b"{}")
                    external_id = str(answer.get("work_order_id") or "")[:64]
                except (ValueError, AttributeError):
                    external_id = ""
                _move(
                    order,
                    Status.SENT,
                    client=client,
                    note=_("已推送至 12345"),
                    action="hotline.work_order_sent",
                    audit_data={"client": client.key_id},
                    external_id=external_id,
                    sent_at=timezone.now(),
                    last_error="",
                )
                return "sent"
            error = f"HTTP {response.status}: {response.body[:300].decode(errors='replace')}"
            if 400 <= response.status < 500 and response.status not in (408, 429):
                outcome = "failed"
        order.last_error = error
        if outcome == "failed":
            _move(
                order,
                Status.FAILED,
                client=client,
                note=error,
                action="hotline.work_order_failed",
                audit_data={"error": error[:200]},
            )
        else:
            order.save()
        return outcome


@transaction.atomic
def work_order_mark_failed(*, order_id):
    """After the last retry: ``failed``, visible to staff with a resend action."""
    order = HotlineWorkOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None or order.status != Status.PENDING:
        return False
    _move(
        order,
        Status.FAILED,
        client=order.client,
        note=order.last_error,
        action="hotline.work_order_failed",
        audit_data={"error": order.last_error[:200]},
    )
    return True


def user_can_resend(user, order):
    if user.is_superuser:
        return True
    region = _order_region(order)
    return staff_covers(user, region)


@transaction.atomic
def work_order_resend(*, actor, order):
    order = (
        HotlineWorkOrder.objects.select_for_update(of=("self",))
        .select_related("opinion__region", "deputy")
        .get(pk=order.pk)
    )
    if not user_can_resend(actor, order):
        raise PermissionDenied(_("您无权重新发送该工单。"))
    if order.direction != HotlineWorkOrder.Direction.OUTBOUND or order.status != Status.FAILED:
        raise InvalidTransition(
            _("只有发送失败的转出工单可以重新发送。"), current=order.status, requested=Status.PENDING
        )
    _move(
        order,
        Status.PENDING,
        actor=actor,
        note=_("重新发送"),
        action="hotline.work_order_resend",
        audit_data={},
        attempts=0,
    )
    transaction.on_commit(lambda: queue_send(order.pk))
    return order


def _deputy_region(deputy):
    return station_services.opinion_region(None, deputy)


@transaction.atomic
def deputy_line_create(*, actor, title, content, category, address="", citizen_name="", mobile=""):
    """代表专线: a deputy forwards a problem straight to 12345 from the portal."""
    deputy = getattr(actor, "deputy", None) if actor is not None and actor.role == User.Role.DEPUTY else None
    if deputy is None:
        raise PermissionDenied(_("只有代表可以通过代表专线转办。"))
    errors = {}
    title, content = (title or "").strip(), (content or "").strip()
    if not title or len(title) > 100:
        errors["title"] = [_("请填写标题（不超过 100 字）。")]
    if len(content) < station_services.CONTENT_MIN_LENGTH or len(content) > station_services.CONTENT_MAX_LENGTH:
        errors["content"] = [_("问题描述须为 5 到 2000 字。")]
    if mobile and not is_valid_mobile(mobile):
        errors["mobile"] = [_("请填写正确的 11 位手机号码。")]
    if category is None:
        errors["category"] = [_("请选择类别。")]
    if errors:
        raise ApplicationError(_("提交的内容有误，请修改后再提交。"), code="invalid", extra={"fields": errors})
    region = _deputy_region(deputy)
    order = HotlineWorkOrder.objects.create(
        deputy=deputy,
        direction=HotlineWorkOrder.Direction.OUTBOUND,
        status=Status.PENDING,
        payload={
            "title": title,
            "content": content,
            "category": category.code,
            "address": address[:200],
            "deputy": deputy.name,
            "region_code": region.code,
            "citizen_name": citizen_name[:32],
            "mobile": crypto.encrypt(mobile),  # decrypted when the order is sent (outbound_body)
        },
    )
    audit(actor, "hotline.deputy_line_create", order)
    transaction.on_commit(lambda: queue_send(order.pk))
    return order


# ---------------------------------------------------------------- callbacks


def _close_opinion(*, opinion, to_status, note):
    """The hotline's result closes a 转12345 opinion through stations' status service (the system as actor); the
    citizen reads ``note`` and gets the SMS. Raises InvalidTransition when the opinion has moved on already."""
    _opinion, change = station_services.opinion_change_status(
        actor=None, opinion=opinion, to_status=to_status, note=note
    )
    return change


def _people_to_notify(order):
    if order.deputy_id and order.deputy.user_id:
        return [order.deputy.user]
    opinion = order.opinion
    if opinion is None:
        return []
    if opinion.deputy_id and opinion.deputy.user_id:
        return [opinion.deputy.user]
    if opinion.station_id:
        return list(opinion.station.managers.all())
    return []


@transaction.atomic
def work_order_apply_status(*, client, order_id, status, result="", resolution="handled", hotline_id=""):
    """A status callback from the hotline for an outbound order. Forward only; ``closed`` needs the result."""
    from liaison.notifications.services import notify

    order = (
        HotlineWorkOrder.objects.select_for_update(of=("self",))
        .select_related("opinion__station", "opinion__deputy", "deputy")
        .filter(pk=order_id, client=client, direction=HotlineWorkOrder.Direction.OUTBOUND)
        .first()
    )
    if order is None:
        raise ApplicationError(_("工单不存在。"), code="unknown_work_order", status_code=404)
    if status not in CALLBACK_STATUSES:
        raise workflow.refusal(order, status, code="status_backwards")
    workflow.check(order, status, code="status_backwards")
    result = (result or "").strip()
    if status == Status.CLOSED and not result:
        message = _("办结时须填写办理结果。")
        raise ApplicationError(message, code="result_required", extra={"fields": {"result": [message]}})
    fields = {"external_id": hotline_id[:64]} if hotline_id and not order.external_id else {}
    if status == Status.CLOSED:
        fields.update(result=result, closed_at=timezone.now())
    _move(
        order,
        status,
        client=client,
        note=result,
        action=f"hotline.work_order_{status}",
        audit_data={"client": client.key_id},
        **fields,
    )
    if status == Status.CLOSED and order.opinion_id:
        note = _("12345 热线办理结果：%(result)s") % {"result": result}
        # Staff may have closed the opinion meanwhile: the hotline's order still closes, the opinion stays.
        with contextlib.suppress(InvalidTransition):
            _close_opinion(opinion=order.opinion, to_status=RESOLUTIONS[resolution], note=note)
    subject = order.payload.get("title") or (order.opinion.tracking_code if order.opinion_id else str(order.pk))
    context = {"subject": subject, "status": Status(status).label, "result": result}
    link = f"/stations/opinions/{order.opinion_id}/" if order.opinion_id else "/stations/hotline/"
    for user in _people_to_notify(order):
        notify(user, "hotline_work_order_status", context, link=link)
    return order
