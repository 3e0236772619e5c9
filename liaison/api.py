"""REST plumbing every app's API uses: pagination, filtering, the one error shape, and the exception handler."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from liaison import listing
from liaison.audit import audit, audit_refusal
from liaison.errors import ApplicationError
from liaison.models import AuditLog


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (Open311 endpoints keep Open311's own)."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


# The error responses to declare in ``extend_schema(responses=...)`` for write endpoints.
ERROR_RESPONSES = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class StandardPagination(PageNumberPagination):
    """``?page=`` from 1; a page past the last one is an empty page (200 with the count), not a 404, so a client
    that pages while rows are deleted does not fail. ``page`` and ``page_size`` are documented with their bounds."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            number = request.query_params.get(self.page_query_param, "")
            if not number.isdigit() or int(number) < 1:
                raise
            paginator = self.django_paginator_class(queryset, self.get_page_size(request))
            self.page = Page([], int(number), paginator)
            self.request = request
            self.past_the_end = True
            return []

    def get_previous_link(self):
        if getattr(self, "past_the_end", False):  # the way back is the last page that has rows
            last = self.page.paginator.num_pages if self.page.paginator.count else None
            return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, last) if last else None
        return super().get_previous_link()

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend (``filterset_fields`` on the views), skipped when the request has no parameter
    besides paging: building and validating the filter form cost about a millisecond on every list request. The
    project's filter sets are plain ``filterset_fields`` (no filter applies without its parameter), so the
    queryset is the same."""

    PAGING = frozenset({"cursor", "page", "page_size", "format"})

    def filter_queryset(self, request, queryset, view):
        if self.PAGING.issuperset(request.query_params.keys()):
            return queryset
        return super().filter_queryset(request, queryset, view)


class KeysetPagination(BasePagination):
    """Cursor pages for the big lists (proposals, opinions): as fast on page 5,000 as on page one.

    ``?cursor=`` is the opaque position from ``next``/``previous``; ``?page_size=`` is capped at 100. ``count`` is
    exact up to 10,000 rows; above that it is 10,000 and ``count_capped`` is true (narrow the filters, or follow
    ``next``). The view names its order in ``keyset_keys`` (ending with the primary key); without one the
    queryset's own ``order_by`` is used.
    """

    page_size = StandardPagination.page_size
    max_page_size = StandardPagination.max_page_size
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        keys = getattr(view, "keyset_keys", None) or tuple(queryset.query.order_by) or ("-pk",)
        size = listing.page_size(request, self.page_size, self.max_page_size)
        cursor = request.query_params.get(self.cursor_query_param) or None
        try:
            self.page = listing.keyset_page(queryset, keys=keys, size=size, cursor=cursor)
        except listing.BadCursor:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("分页位置无效，请从第一页重新打开列表。")]}, code="invalid_cursor"
            ) from None
        self.request = request
        return list(self.page.object_list)

    def _link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "count_capped": self.page.count_capped,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {"type": "integer", "description": "exact up to 10,000; 10,000 when count_capped"},
                "count_capped": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "the position from a previous response's next/previous link",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"rows per page, at most {self.max_page_size}",
                "schema": {"type": "integer"},
            },
        ]


def _flatten(detail):
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def error_body(code, message, fields=None):
    return {"code": code, "message": str(message), "fields": fields or {}}


def _audit_refusal(request, exc):
    if request is None:
        return
    audit(
        request.user,
        "access.denied",
        request=request,
        result=AuditLog.Result.DENIED,
        object_type="api",
        data={"method": request.method, "path": request.path[:200], "reason": getattr(exc, "default_code", "")},
    )


def _audit_missing_record(context):
    """A record asked for by its key that the caller cannot see (or that does not exist): a refusal, audited."""
    view, request = context.get("view"), context.get("request")
    lookup = dict(getattr(view, "kwargs", None) or {})
    if request is None or not lookup or not request.user.is_authenticated:
        return
    try:
        model = view.get_queryset().model
    except Exception:  # noqa: BLE001 - a view without a queryset: nothing to name
        return
    audit_refusal(request.user, model, lookup, request=request)


def exception_handler(exc, context):
    """Every API error has one shape: ``{"code", "message", "fields"}``."""
    if isinstance(exc, ApplicationError):
        body = error_body(exc.code, exc.message, exc.extra.get("fields"))
        extra = {k: v for k, v in exc.extra.items() if k != "fields"}
        if extra:
            body["extra"] = extra
        return Response(body, status=exc.status_code)
    if isinstance(exc, DataError):
        # A value PostgreSQL cannot take (a NUL byte in a text filter, a number out of range): the request is wrong.
        return Response(error_body("invalid_parameter", _("请求参数无效。")), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(error_body("invalid", _("提交的数据有误。"), fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        if not getattr(exc, "audited", False):
            _audit_missing_record(context)
        exc = exceptions.NotFound(_("记录不存在或无权查看。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.PermissionDenied | exceptions.NotAuthenticated):
        _audit_refusal(context.get("request"), exc)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body("invalid", _("提交的数据有误。"), _flatten(detail))
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(code, detail if not isinstance(detail, (list, dict)) else exc.default_detail)
    return response
