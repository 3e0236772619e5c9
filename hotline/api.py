"""Native work-order API for hotline systems, under /api/v1/hotline/. Every request is signed (see auth.py)."""

import json
import re
import time

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline import auth, schema, selectors, services  # noqa: F401  (schema registers the auth scheme)
from hotline.serializers import (
    HotlineErrorSerializer,
    PingSerializer,
    StatusCallbackInput,
    WorkOrderPushInput,
    WorkOrderSerializer,
)
from liaison.api import error_body
from liaison.errors import ApplicationError

IDEMPOTENCY_KEY_RE = re.compile(r"^[\x21-\x7e]{1,128}$")

SIGNATURE_PARAMETERS = [
    OpenApiParameter(
        auth.KEY_HEADER, str, OpenApiParameter.HEADER, required=True, description="密钥编号 hl_xxxxxxxxxx"
    ),
    OpenApiParameter(auth.TIMESTAMP_HEADER, str, OpenApiParameter.HEADER, required=True, description="Unix 秒"),
    OpenApiParameter(auth.NONCE_HEADER, str, OpenApiParameter.HEADER, required=True, description="16–64 位随机串"),
    OpenApiParameter(
        auth.SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True, description="HMAC-SHA256 签名（hex）"
    ),
]
ID_PARAMETER = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="平台工单编号（portal_id）")
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=True, description="1–128 个可见 ASCII 字符"
)
AUTH_ERRORS = {
    401: OpenApiResponse(HotlineErrorSerializer, description="签名缺失或错误、时间戳过期、随机串重复"),
    403: OpenApiResponse(HotlineErrorSerializer, description="客户端已吊销或来源地址不在白名单"),
    413: OpenApiResponse(HotlineErrorSerializer, description="请求内容过大"),
    429: OpenApiResponse(HotlineErrorSerializer, description="调用过于频繁"),
}


class HotlineAPIView(APIView):
    authentication_classes = [auth.HotlineSignatureAuthentication]
    permission_classes = [auth.IsHotlineClient]
    throttle_classes = [auth.HotlineClientThrottle]


def _json_bytes(status, data):
    return status, json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()


def _run(produce):
    """Turn a service's refusal into the stored response, so a retry of a refused push is refused the same way."""
    try:
        return produce()
    except ApplicationError as error:
        body = error_body(error.code, error.message, error.extra.get("fields"))
        extra = {k: v for k, v in error.extra.items() if k != "fields"}
        if extra:
            body["extra"] = extra
        return _json_bytes(error.status_code, body)


def _idempotency_key(request):
    key = request.headers.get("Idempotency-Key", "")
    if not IDEMPOTENCY_KEY_RE.match(key):
        raise ApplicationError(
            _("缺少或无效的 Idempotency-Key 请求头（1–128 个可见 ASCII 字符）。"),
            code="idempotency_key_required",
        )
    return key


def _order_id(pk):
    if not str(pk).isdigit() or len(str(pk)) > 12:
        raise exceptions.NotFound(_("工单不存在。"), code="unknown_work_order")
    return int(pk)


def _respond(status, body, replayed):
    response = HttpResponse(body, status=status, content_type="application/json")
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


class PingView(HotlineAPIView):
    @extend_schema(
        summary="签名自检：返回调用方客户端信息",
        parameters=SIGNATURE_PARAMETERS,
        responses={200: PingSerializer, **AUTH_ERRORS},
        tags=["hotline"],
    )
    def get(self, request):
        client = request.auth
        return Response(
            {
                "client": client.name,
                "key_id": client.key_id,
                "region_code": client.region.code,
                "server_time": int(time.time()),
            }
        )


class WorkOrderPushView(HotlineAPIView):
    @extend_schema(
        summary="热线推送工单（幂等）",
        description="同一 Idempotency-Key、同一请求体的重试返回首次的响应（状态码与正文逐字节相同）；"
        "同一 Idempotency-Key 而请求体不同返回 422 idempotency_key_reused。",
        parameters=[*SIGNATURE_PARAMETERS, IDEMPOTENCY_PARAMETER],
        request=WorkOrderPushInput,
        responses={
            201: WorkOrderSerializer,
            400: OpenApiResponse(HotlineErrorSerializer),
            409: OpenApiResponse(HotlineErrorSerializer, description="duplicate_work_order：该热线工单号已推送"),
            422: OpenApiResponse(HotlineErrorSerializer, description="idempotency_key_reused"),
            **AUTH_ERRORS,
        },
        tags=["hotline"],
    )
    def post(self, request):
        client = request.auth
        key = _idempotency_key(request)
        data = WorkOrderPushInput(data=request.data)
        data.is_valid(raise_exception=True)

        def produce():
            order = services.work_order_receive(client=client, data=data.validated_data)
            # The order and its opinion were just written as they are in memory: no need to read them back.
            return _json_bytes(201, WorkOrderSerializer(order).data)

        fingerprint = services.request_fingerprint(request.method, request.path, request.body)
        status, body, replayed = services.idempotent(
            client=client, key=key, fingerprint=fingerprint, produce=lambda: _run(produce)
        )
        return _respond(status, body, replayed)


class WorkOrderDetailView(HotlineAPIView):
    @extend_schema(
        summary="查询工单（仅本客户端的工单）",
        parameters=[ID_PARAMETER, *SIGNATURE_PARAMETERS],
        responses={200: WorkOrderSerializer, 404: OpenApiResponse(HotlineErrorSerializer), **AUTH_ERRORS},
        tags=["hotline"],
    )
    def get(self, request, pk):
        order = selectors.work_order_for_client(request.auth, _order_id(pk))
        if order is None:
            raise exceptions.NotFound(_("工单不存在。"), code="unknown_work_order")
        return Response(WorkOrderSerializer(order).data)


class WorkOrderStatusView(HotlineAPIView):
    @extend_schema(
        summary="热线回传工单状态与办理结果",
        description="accepted：意见保持“转12345”；closed：按 resolution 把意见办结为已处理或无法落实，"
        "result 即群众看到的处理情况。状态只能前进，倒退返回 409 status_backwards；未知工单 404。"
        "可带 Idempotency-Key 以便安全重试。",
        parameters=[
            ID_PARAMETER,
            *SIGNATURE_PARAMETERS,
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False),
        ],
        request=StatusCallbackInput,
        responses={
            200: WorkOrderSerializer,
            400: OpenApiResponse(HotlineErrorSerializer),
            404: OpenApiResponse(HotlineErrorSerializer),
            409: OpenApiResponse(HotlineErrorSerializer),
            422: OpenApiResponse(HotlineErrorSerializer),
            **AUTH_ERRORS,
        },
        tags=["hotline"],
    )
    def post(self, request, pk):
        client = request.auth
        pk = _order_id(pk)
        data = StatusCallbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        def produce():
            order = services.work_order_apply_status(
                client=client,
                order_id=pk,
                status=values["status"],
                result=values["result"],
                resolution=values["resolution"],
                hotline_id=values.get("hotline_id", ""),
            )
            return _json_bytes(200, WorkOrderSerializer(selectors.work_order_for_client(client, order.pk)).data)

        if "Idempotency-Key" not in request.headers:
            status, body = _run(produce)
            return _respond(status, body, False)
        key = _idempotency_key(request)
        fingerprint = services.request_fingerprint(request.method, request.path, request.body)
        status, body, replayed = services.idempotent(
            client=client, key=key, fingerprint=fingerprint, produce=lambda: _run(produce)
        )
        return _respond(status, body, replayed)
