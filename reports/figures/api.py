"""GET /api/v1/figures/: the dashboard's figures as JSON — the same composition the pages and the report use."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.access import IsLiaisonStaff
from liaison.api import ErrorSerializer
from reports.figures import selectors
from reports.figures.period import period_from_params


class FiguresPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class FiguresNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FiguresHeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()


class DashboardFiguresSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField()
    region = FiguresNamedSerializer()
    congress = FiguresNamedSerializer(allow_null=True)
    session = serializers.CharField(allow_null=True)
    unit = FiguresNamedSerializer(allow_null=True)
    period = FiguresPeriodSerializer()
    previous_period = FiguresPeriodSerializer()
    headlines = FiguresHeadlineSerializer(many=True)
    deputies = serializers.JSONField(help_text="在任/资格终止代表人数（按层级）")
    current = serializers.JSONField(help_text="本期：proposals, projects, points, stations, activities")
    previous = serializers.JSONField(help_text="上期：同上")


class FiguresView(APIView):
    """Dashboard figures of a region (with everything under it), a congress and a period, with the previous
    period beside them; the proposal figures can be narrowed further to a session and a lead handling unit.
    Staff only."""

    permission_classes = [IsLiaisonStaff]

    @extend_schema(
        operation_id="figures_retrieve",
        parameters=[
            OpenApiParameter(
                "region", int, description="行政区域 id（默认：本人管辖区域），含下级区域；管辖范围以外的区域答复 404"
            ),
            OpenApiParameter("congress", int, description="人民代表大会 id（可选）"),
            OpenApiParameter("session", str, description="会议名称（可选，仅用于建议数字）"),
            OpenApiParameter("unit", int, description="主办单位 id（可选，仅用于建议数字）"),
            OpenApiParameter("period", str, enum=["year", "quarter", "range"], description="统计周期"),
            OpenApiParameter("year", int),
            OpenApiParameter("quarter", int, enum=[1, 2, 3, 4]),
            OpenApiParameter("start", str, description="自定义区间开始 YYYY-MM-DD"),
            OpenApiParameter("end", str, description="自定义区间结束 YYYY-MM-DD"),
        ],
        responses={200: DashboardFiguresSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request):
        region = selectors.region_for(request.user, request.query_params.get("region"))
        congress = selectors.congress_for(region, request.query_params.get("congress"))
        period = period_from_params(request.query_params)
        entry = selectors.figures_for(
            user=request.user,
            region=region,
            congress=congress,
            period=period,
            session=selectors.session_for(request.query_params.get("session")),
            unit=selectors.unit_for(region, request.query_params.get("unit")),
        )
        data = {"as_of": entry["as_of"], **entry["figures"]}
        return Response(DashboardFiguresSerializer(data).data)
