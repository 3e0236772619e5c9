"""REST API of the stations app, mounted under /api/v1/."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from deputies.models import Deputy
from liaison.access import get_visible_or_404
from liaison.api import ErrorSerializer, KeysetPagination
from liaison.converters import ID_MAX
from liaison.models import Region
from liaison.scoped import ScopedPrimaryKeyRelatedField, scoped_ids
from stations import rules, selectors, services
from stations.models import Opinion, OpinionCategory, ReceptionDay, Station

# ---------------------------------------------------------------- serializers


class PublicDeputySerializer(serializers.ModelSerializer):
    """A deputy's public fields only: never a phone number."""

    class Meta:
        model = Deputy
        fields = ["id", "name", "occupation", "workplace"]


class StationSerializer(serializers.ModelSerializer):
    # Plain strings: a choice field named "kind" would collide with Organization.kind in the schema's enums.
    kind = serializers.CharField(read_only=True, help_text="fixed 固定站 / mobile 流动站 / cloud 云端站")
    region_name = serializers.CharField(source="region.name", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default="")

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "region",
            "region_code",
            "region_name",
            "kind",
            "kind_display",
            "sector",
            "sector_display",
            "parent",
            "parent_name",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "contact_name",
            "contact_phone",
        ]


class OpinionCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = OpinionCategory
        fields = ["code", "name", "description"]


class OpinionSerializer(serializers.ModelSerializer):
    """An opinion as staff, managers and deputies read it: the mobile number is always masked."""

    mobile = serializers.CharField(source="masked_mobile", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True, default="")
    deputy_name = serializers.CharField(source="deputy.name", read_only=True, default="")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "tracking_code",
            "source",
            "source_display",
            "external_id",
            "station",
            "station_name",
            "deputy",
            "deputy_name",
            "reception_day",
            "category",
            "category_name",
            "content",
            "citizen_name",
            "mobile",
            "status",
            "status_display",
            "outcome_note",
            "triaged_at",
            "proposal",
            "created_at",
        ]


class ReceptionDaySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="regular 每月定期接待 / campaign 集中进站履职 / other")
    station_name = serializers.CharField(source="station.name", read_only=True)
    deputies_on_duty = PublicDeputySerializer(many=True, read_only=True)
    deputies_present = PublicDeputySerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "station",
            "station_name",
            "date",
            "starts_at",
            "ends_at",
            "kind",
            "kind_display",
            "topic",
            "status",
            "status_display",
            "deputies_on_duty",
            "deputies_present",
            "citizens_received",
            "opinions_taken",
        ]


class ReceptionScheduleInput(serializers.Serializer):
    station = ScopedPrimaryKeyRelatedField(label=_("联络站"), queryset=Station.objects.all(), scope=rules.stations_for)
    date = serializers.DateField()
    starts_at = serializers.TimeField(required=False, allow_null=True)
    ends_at = serializers.TimeField(required=False, allow_null=True)
    kind = serializers.CharField(default=ReceptionDay.Kind.REGULAR, help_text="regular / campaign / other")
    topic = serializers.CharField(required=False, allow_blank=True, default="")
    deputies_on_duty = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        default=list,
        label=_("值班代表"),
    )

    def validate_kind(self, value):
        if value not in ReceptionDay.Kind.values:
            raise serializers.ValidationError(_("接待类型无效。"))
        return value

    def resolve_deputies(self, user, station):
        """The deputies on duty, each one assigned to ``station`` (stations.rules.station_deputies)."""
        return scoped_ids(
            "deputies_on_duty",
            self.fields["deputies_on_duty"].label,
            self.validated_data["deputies_on_duty"],
            rules.station_deputies(user, {"station": station}),
        )


class ReceptionLogInput(serializers.Serializer):
    deputies_present = ScopedPrimaryKeyRelatedField(
        many=True,
        required=False,
        default=list,
        label=_("到场代表"),
        queryset=Deputy.objects.all(),
        scope=rules.reception_day_deputies,
    )
    citizens_received = serializers.IntegerField(min_value=0)
    opinions_taken = serializers.IntegerField(min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TriageInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[])  # services.triage_outcomes(), set when the input is made
    note = serializers.CharField(required=False, allow_blank=True, default="")
    lead_deputy = ScopedPrimaryKeyRelatedField(
        required=False,
        allow_null=True,
        default=None,
        label=_("领衔代表"),
        help_text="转建议时的领衔代表（代表编号 id）",
        queryset=Deputy.objects.all(),
        scope=rules.opinion_lead_deputies,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [status for status, _label in services.triage_outcomes()]


class PublicStationDetailSerializer(StationSerializer):
    deputies = serializers.SerializerMethodField()
    upcoming_reception_days = serializers.SerializerMethodField()

    class Meta(StationSerializer.Meta):
        fields = [*StationSerializer.Meta.fields, "deputies", "upcoming_reception_days"]

    @extend_schema_field(PublicDeputySerializer(many=True))
    def get_deputies(self, obj):
        return PublicDeputySerializer([a.deputy for a in obj.current_assignments], many=True).data

    def get_upcoming_reception_days(self, obj) -> list[dict]:
        return [
            {
                "date": day.date.isoformat(),
                "starts_at": day.starts_at.strftime("%H:%M") if day.starts_at else None,
                "kind": day.kind,
                "topic": day.topic,
                "deputies": [d.name for d in day.deputies_on_duty.all()],
            }
            for day in obj.upcoming_days[:10]
        ]


# ---------------------------------------------------------------- public directory (no login)


@extend_schema_view(
    list=extend_schema(
        summary="公开联络站名录",
        parameters=[
            OpenApiParameter("q", str, description="站点名称或地址"),
            OpenApiParameter("region", str, description="行政区划代码（含下级）"),
            OpenApiParameter("kind", str, enum=Station.Kind.values),
        ],
    ),
    retrieve=extend_schema(summary="公开联络站详情：进站代表与近期接待日"),
)
class PublicStationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    authentication_classes = []
    filter_backends = []

    def get_serializer_class(self):
        return PublicStationDetailSerializer if self.action == "retrieve" else StationSerializer

    def get_queryset(self):
        params = self.request.query_params
        region = Region.objects.filter(code=params.get("region", "")).first() if params.get("region") else None
        kind = params.get("kind", "")
        return selectors.public_station_list(
            q=params.get("q", "").strip(), region=region, kind=kind if kind in Station.Kind.values else ""
        )

    def get_object(self):
        station = selectors.public_station_detail(pk=self.kwargs["pk"])
        if station is None:
            from django.http import Http404

            raise Http404
        return station


# ---------------------------------------------------------------- scoped resources


@extend_schema_view(list=extend_schema(summary="联络站（按权限范围）"), retrieve=extend_schema(summary="联络站"))
class StationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StationSerializer
    filterset_fields = ["kind", "region", "parent"]

    def get_queryset(self):
        return (
            Station.objects.visible_to(self.request.user)
            .select_related("region", "parent")
            .order_by("region__path", "name", "id")
        )


@extend_schema_view(list=extend_schema(summary="意见类别（service_code = code）"))
class OpinionCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OpinionCategorySerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.active_categories()


@extend_schema_view(
    list=extend_schema(summary="群众意见（按权限范围，手机号脱敏）"), retrieve=extend_schema(summary="群众意见")
)
class OpinionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OpinionSerializer
    filterset_fields = ["status", "station", "source", "deputy"]
    pagination_class = KeysetPagination
    keyset_keys = selectors.OPINION_KEYS

    def get_queryset(self):
        return selectors.opinion_list(user=self.request.user)


class OpinionTriageView(APIView):
    """分类处理：已处理 / 转建议 / 转12345 / 无法落实. The note is what the citizen reads."""

    @extend_schema(
        summary="分类处理群众意见",
        request=TriageInput,
        responses={
            200: OpinionSerializer,
            400: OpenApiResponse(ErrorSerializer),
            403: OpenApiResponse(ErrorSerializer),
            404: OpenApiResponse(ErrorSerializer),
            409: OpenApiResponse(ErrorSerializer),
        },
    )
    def post(self, request, pk):
        opinion = get_visible_or_404(Opinion.objects.select_related("region", "station"), request.user, pk=pk)
        data = TriageInput(data=request.data, context={"request": request, "opinion": opinion})
        data.is_valid(raise_exception=True)
        services.triage_opinion(
            actor=request.user,
            opinion=opinion,
            outcome=data.validated_data["outcome"],
            note=data.validated_data["note"],
            lead_deputy=data.validated_data["lead_deputy"],
        )
        return Response(OpinionSerializer(selectors.opinion_list(user=request.user).get(pk=pk)).data)


@extend_schema_view(
    list=extend_schema(summary="接待日（按权限范围）"),
    retrieve=extend_schema(summary="接待日"),
)
class ReceptionDayViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReceptionDaySerializer
    filterset_fields = ["station", "status", "kind", "date"]

    def get_queryset(self):
        return selectors.reception_day_list(user=self.request.user)


class ReceptionScheduleView(generics.GenericAPIView):
    serializer_class = ReceptionScheduleInput

    @extend_schema(
        summary="安排接待日",
        request=ReceptionScheduleInput,
        responses={
            201: ReceptionDaySerializer,
            400: OpenApiResponse(ErrorSerializer),
            403: OpenApiResponse(ErrorSerializer),
        },
    )
    def post(self, request):
        data = ReceptionScheduleInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        station = values.pop("station")
        values.pop("deputies_on_duty")
        deputies = data.resolve_deputies(request.user, station)
        day = services.reception_day_schedule(actor=request.user, station=station, deputies_on_duty=deputies, **values)
        return Response(ReceptionDaySerializer(day).data, status=status.HTTP_201_CREATED)


class ReceptionLogView(generics.GenericAPIView):
    serializer_class = ReceptionLogInput

    @extend_schema(
        summary="填写接待记录",
        request=ReceptionLogInput,
        responses={
            200: ReceptionDaySerializer,
            400: OpenApiResponse(ErrorSerializer),
            404: OpenApiResponse(ErrorSerializer),
        },
    )
    def post(self, request, pk):
        day = get_visible_or_404(ReceptionDay.objects.select_related("station"), request.user, pk=pk)
        data = ReceptionLogInput(data=request.data, context={"request": request, "reception_day": day})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        present = list(dict.fromkeys(values["deputies_present"]))
        day = services.reception_day_log(
            actor=request.user,
            reception_day=day,
            deputies_present=present,
            citizens_received=values["citizens_received"],
            opinions_taken=values["opinions_taken"],
            note=values["note"],
        )
        return Response(ReceptionDaySerializer(selectors.reception_day_list(user=request.user).get(pk=day.pk)).data)


router = SimpleRouter()
router.register("public/stations", PublicStationViewSet, basename="public-station")
router.register("stations", StationViewSet, basename="station")
router.register("opinion-categories", OpinionCategoryViewSet, basename="opinion-category")
router.register("opinions", OpinionViewSet, basename="opinion")
router.register("reception-days", ReceptionDayViewSet, basename="reception-day")

urlpatterns = [
    path("opinions/<id:pk>/triage/", OpinionTriageView.as_view(), name="opinion-triage"),
    path("reception-days/schedule/", ReceptionScheduleView.as_view(), name="reception-day-schedule"),
    path("reception-days/<id:pk>/log/", ReceptionLogView.as_view(), name="reception-day-log"),
    *router.urls,
]
