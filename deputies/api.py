"""REST API of the deputies app, mounted under /api/v1/."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from deputies import selectors, services
from deputies.models import Membership
from deputies.serializers import (
    CongressSerializer,
    DeputySerializer,
    DutyApproveInputSerializer,
    DutyRecordCreateInputSerializer,
    DutyRecordSerializer,
    DutyRegistrationInputSerializer,
    DutyResubmitInputSerializer,
    DutyReturnInputSerializer,
    ErrorSerializer,
    MembershipSerializer,
    RankingRowSerializer,
)
from liaison.access import IsDeputy, IsLiaisonStaff, get_visible_or_404
from liaison.converters import YEAR_MAX, YEAR_MIN, parse_id, parse_int

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class CongressViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CongressSerializer
    filterset_fields = ["level", "region", "is_current"]

    def get_queryset(self):
        return selectors.congress_list(user=self.request.user)

    @extend_schema(
        summary="履职积分排名",
        description="本届在任代表在某一年度的履职积分和排名（1 为最高）；仅限本辖区的联络工作人员。",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度，默认今年")],
        responses={200: RankingRowSerializer(many=True), 403: ErrorSerializer, 404: ErrorSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated, IsLiaisonStaff], filterset_fields=[])
    def ranking(self, request, pk=None):
        congress = get_visible_or_404(selectors.congress_list(user=request.user), request.user, pk=pk)
        year = (
            parse_int(request.query_params.get("year"), "year", minimum=YEAR_MIN, maximum=YEAR_MAX)
            or timezone.localdate().year
        )
        rows = selectors.points_ranking(user=request.user, congress=congress, year=year)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RankingRowSerializer(page, many=True).data)


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Deputies' seats (the roster), scoped to the caller's region; mobiles are masked."""

    serializer_class = MembershipSerializer
    filterset_fields = ["congress", "status", "congress__level"]

    def get_queryset(self):
        return selectors.membership_list(user=self.request.user)


class DeputyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeputySerializer

    def get_queryset(self):
        return selectors.deputy_list(user=self.request.user)


@extend_schema_view(
    create=extend_schema(
        summary="录入履职记录",
        description="联络工作人员为本辖区在任代表录入一条履职记录（可附 PDF、图片、Word 或 Excel 附件，不超过 10 MB）。",
        request={
            "application/json": DutyRecordCreateInputSerializer,
            "multipart/form-data": DutyRecordCreateInputSerializer,
        },
        responses={201: DutyRecordSerializer, **ERRORS},
    )
)
class DutyRecordViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DutyRecordSerializer
    filterset_fields = ["kind", "membership"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.duty_records_with_points(user=self.request.user)

    def get_permissions(self):
        if self.action in ("create", "approve", "return_"):
            return [IsAuthenticated(), IsLiaisonStaff()]
        if self.action in ("submit", "resubmit"):
            return [IsAuthenticated(), IsDeputy()]
        return super().get_permissions()

    def _created(self, record, code=status.HTTP_200_OK):
        output = self.get_queryset().get(pk=record.pk)
        return Response(DutyRecordSerializer(output).data, status=code)

    @extend_schema(
        summary="代表自主登记履职",
        description="代表登记在门户外履行的职责（可附 PDF、图片、Word 或 Excel 附件，不超过 10 MB）；"
        "状态为待审核，本辖区工作人员审核通过后才计入履职积分。",
        request={
            "application/json": DutyRegistrationInputSerializer,
            "multipart/form-data": DutyRegistrationInputSerializer,
        },
        responses={201: DutyRecordSerializer, **ERRORS},
        filters=False,
    )
    @action(detail=False, methods=["post"], filterset_fields=[])
    def submit(self, request):
        data = DutyRegistrationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = services.duty_record_submit(
            actor=request.user,
            membership=values["membership"],
            kind=values["kind"],
            occurred_on=values["occurred_on"],
            place=values["place"],
            description=values["description"],
            attachment=values.get("attachment"),
        )
        return self._created(record, status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改并重新提交被退回的履职登记",
        request={
            "application/json": DutyResubmitInputSerializer,
            "multipart/form-data": DutyResubmitInputSerializer,
        },
        responses={200: DutyRecordSerializer, 409: ErrorSerializer, **ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_fields=[])
    def resubmit(self, request, pk=None):
        data = DutyResubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = services.duty_record_resubmit(
            actor=request.user,
            record=parse_id(pk, "id", required=True),
            kind=values["kind"],
            occurred_on=values["occurred_on"],
            place=values["place"],
            description=values["description"],
            attachment=values.get("attachment"),
        )
        return self._created(record)

    @extend_schema(
        summary="审核通过履职登记",
        description="本辖区联络工作人员审核通过代表的履职登记：计入履职积分，public 为真时在公开履职档案中显示。",
        request=DutyApproveInputSerializer,
        responses={200: DutyRecordSerializer, 409: ErrorSerializer, **ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_fields=[], parser_classes=[JSONParser, FormParser])
    def approve(self, request, pk=None):
        data = DutyApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.duty_record_approve(
            actor=request.user, record=parse_id(pk, "id", required=True), public=data.validated_data["public"]
        )
        return self._created(record)

    @extend_schema(
        summary="退回履职登记",
        description="本辖区联络工作人员退回代表的履职登记并说明原因，代表可修改后重新提交。",
        request=DutyReturnInputSerializer,
        responses={200: DutyRecordSerializer, 409: ErrorSerializer, **ERRORS},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        filterset_fields=[],
        parser_classes=[JSONParser, FormParser],
    )
    def return_(self, request, pk=None):
        data = DutyReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.duty_record_return(
            actor=request.user, record=parse_id(pk, "id", required=True), reason=data.validated_data["reason"]
        )
        return self._created(record)

    def create(self, request):
        data = DutyRecordCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        membership = get_visible_or_404(Membership.objects, request.user, pk=values["membership"])
        record = services.duty_record_create(
            actor=request.user,
            membership=membership,
            kind=values["kind"],
            occurred_on=values["occurred_on"],
            place=values["place"],
            description=values["description"],
            attachment=values.get("attachment"),
        )
        output = self.get_queryset().get(pk=record.pk)
        return Response(DutyRecordSerializer(output).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("congresses", CongressViewSet, basename="congress")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("duty-records", DutyRecordViewSet, basename="duty-record")
urlpatterns = router.urls
