"""REST API of activities, mounted under /api/v1/.

Reads: activities (staff of the region; deputies the ones they are invited to) and the deputy's invitations.
Writes: plan, mark held, close, minutes, files, outcomes (staff of the region); answer an invitation and sign in
(the invited deputy, in the window).
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from activities import selectors, services
from activities.models import Activity, Invitation
from activities.serializers import (
    ActivityFileSerializer,
    ActivityPlanInput,
    ActivitySerializer,
    AttendanceSerializer,
    FileInput,
    InvitationSerializer,
    MinutesInput,
    OutcomeInput,
    OutcomeSerializer,
    RespondInput,
)
from liaison.access import IsDeputy, IsLiaisonStaff, get_visible_or_404


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Activities the caller may see: staff of the congress's region, deputies invited to them."""

    serializer_class = ActivitySerializer
    filter_backends = []

    def get_queryset(self):
        filters = selectors.activity_filters(self.request.query_params)
        return selectors.activity_list(user=self.request.user, filters=filters)


class InvitationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in deputy's invitations (staff: the invitations of their region's activities)."""

    serializer_class = InvitationSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.my_invitations(user=self.request.user)


class ActivityPlanView(APIView):
    """Plan an activity and invite deputies (by group, the whole congress, or by hand); each gets an inbox message."""

    permission_classes = [IsLiaisonStaff]

    @extend_schema(
        request=ActivityPlanInput,
        responses={
            201: ActivitySerializer,
            400: OpenApiResponse(description="输入无效：受邀代表不属于本届人大、编号不在可选范围内、结束早于开始"),
        },
    )
    def post(self, request):
        data = ActivityPlanInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        activity = services.activity_plan(actor=request.user, **values)
        row = selectors.activity_list(user=request.user).get(pk=activity.pk)
        return Response(ActivitySerializer(row).data, status=status.HTTP_201_CREATED)


class InvitationRespondView(APIView):
    """The invited deputy answers: attend, or excused with a reason."""

    permission_classes = [IsDeputy]

    @extend_schema(
        request=RespondInput,
        responses={
            200: InvitationSerializer,
            404: OpenApiResponse(description="邀请不存在或不是本人的邀请"),
            409: OpenApiResponse(description="活动已结束或已取消"),
        },
    )
    def post(self, request, invitation_id):
        invitation = get_visible_or_404(Invitation.objects, request.user, pk=invitation_id)
        data = RespondInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.invitation_respond(actor=request.user, invitation=invitation, **data.validated_data)
        row = selectors.my_invitations(user=request.user).get(pk=invitation.pk)
        return Response(InvitationSerializer(row).data)


class SignInView(APIView):
    """Sign in to an activity (what scanning its QR code does): only invited deputies, from 1 h before the start to
    the end, once; a second sign-in answers 200 with ``created: false`` and changes nothing."""

    permission_classes = [IsDeputy]

    @extend_schema(
        request=None,
        responses={
            201: AttendanceSerializer,
            200: OpenApiResponse(AttendanceSerializer, description="已签到过，本次未作改变"),
            400: OpenApiResponse(description="不在签到时间内"),
            404: OpenApiResponse(description="活动不存在或未受邀"),
            409: OpenApiResponse(description="活动已结束或已取消"),
        },
    )
    def post(self, request, activity_id):
        activity = get_visible_or_404(Activity.objects, request.user, pk=activity_id)
        attendance, created = services.attendance_sign_in(actor=request.user, activity=activity)
        attendance.created = created
        attendance.message = _("签到成功。") if created else _("您已签到，无需重复签到。")
        return Response(
            AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


def _staff_activity(request, activity_id):
    return get_visible_or_404(Activity.objects, request.user, pk=activity_id)


def _activity_row(request, activity):
    return ActivitySerializer(selectors.activity_list(user=request.user).get(pk=activity.pk)).data


STEP_RESPONSES = {
    200: ActivitySerializer,
    404: OpenApiResponse(description="活动不存在或无权查看"),
    409: OpenApiResponse(description="当前状态不能执行此操作"),
}


class ActivityHeldView(APIView):
    """Mark a planned activity as held (once it has started)."""

    permission_classes = [IsLiaisonStaff]

    @extend_schema(request=None, responses=STEP_RESPONSES)
    def post(self, request, activity_id):
        activity = services.activity_mark_held(actor=request.user, activity=_staff_activity(request, activity_id))
        return Response(_activity_row(request, activity))


class ActivityCloseView(APIView):
    """Close a held activity: each attendance becomes a duty record, once."""

    permission_classes = [IsLiaisonStaff]

    @extend_schema(request=None, responses=STEP_RESPONSES)
    def post(self, request, activity_id):
        activity = services.activity_close(actor=request.user, activity=_staff_activity(request, activity_id))
        return Response(_activity_row(request, activity))


class ActivityMinutesView(APIView):
    """Record the minutes (纪要) of a held or closed activity."""

    permission_classes = [IsLiaisonStaff]

    @extend_schema(request=MinutesInput, responses=STEP_RESPONSES)
    def post(self, request, activity_id):
        activity = _staff_activity(request, activity_id)
        data = MinutesInput(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.activity_minutes_record(actor=request.user, activity=activity, **data.validated_data)
        return Response(_activity_row(request, activity))


class ActivityFileView(APIView):
    """Upload a photo or document of a held or closed activity; a file that is not what its name says is refused."""

    permission_classes = [IsLiaisonStaff]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": FileInput},
        responses={
            201: ActivityFileSerializer,
            400: OpenApiResponse(description="文件类型不允许、内容与扩展名不符或过大"),
            404: OpenApiResponse(description="活动不存在或无权查看"),
            409: OpenApiResponse(description="活动尚未举行"),
        },
    )
    def post(self, request, activity_id):
        activity = _staff_activity(request, activity_id)
        data = FileInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.activity_file_add(actor=request.user, activity=activity, **data.validated_data)
        return Response(ActivityFileSerializer(row).data, status=status.HTTP_201_CREATED)


class ActivityOutcomeView(APIView):
    """Record an opinion gathered or a research report, optionally the proposal of the congress it became."""

    permission_classes = [IsLiaisonStaff]

    @extend_schema(
        request=OutcomeInput,
        responses={
            201: OutcomeSerializer,
            400: OpenApiResponse(description="输入无效：建议不在可选范围内或不属于本届人大"),
            404: OpenApiResponse(description="活动不存在或无权查看"),
            409: OpenApiResponse(description="活动尚未举行"),
        },
    )
    def post(self, request, activity_id):
        activity = _staff_activity(request, activity_id)
        data = OutcomeInput(data=request.data, context={"request": request, "activity": activity})
        data.is_valid(raise_exception=True)
        outcome = services.activity_outcome_add(actor=request.user, activity=activity, **data.validated_data)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register("activity-invitations", InvitationViewSet, basename="activity-invitation")

urlpatterns = [
    path("activities/plan/", ActivityPlanView.as_view(), name="activity-plan"),
    path("activities/<id:activity_id>/sign-in/", SignInView.as_view(), name="activity-sign-in"),
    path("activities/<id:activity_id>/held/", ActivityHeldView.as_view(), name="activity-held"),
    path("activities/<id:activity_id>/close/", ActivityCloseView.as_view(), name="activity-close"),
    path("activities/<id:activity_id>/minutes/", ActivityMinutesView.as_view(), name="activity-minutes"),
    path("activities/<id:activity_id>/files/", ActivityFileView.as_view(), name="activity-files"),
    path("activities/<id:activity_id>/outcomes/", ActivityOutcomeView.as_view(), name="activity-outcomes"),
    path("activity-invitations/<id:invitation_id>/response/", InvitationRespondView.as_view(), name="activity-respond"),
    *router.urls,
]
