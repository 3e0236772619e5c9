"""REST API of the votes app, mounted under /api/v1/.

Reads: vote sessions (scoped), results (public, closed sessions), project progress (public).
Write: casting a ballot, one small view with explicit input and output serializers calling ``ballot_cast``.
"""

from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from liaison.access import IsDeputy, get_visible_or_404
from votes import selectors, services
from votes.models import Candidate, VoteSession
from votes.serializers import (
    BallotCastInputSerializer,
    BallotCastOutputSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    VoteResultSerializer,
    VoteSessionSerializer,
)


class VoteSessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Vote sessions the caller may see: staff of the region, deputies of the congress."""

    serializer_class = VoteSessionSerializer
    filterset_fields = ["status", "year", "congress"]

    def get_queryset(self):
        return selectors.session_list(user=self.request.user).prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.select_related("department"))
        )


class VoteResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Published results of closed sessions: public, no login."""

    serializer_class = VoteResultSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    filterset_fields = ["year"]

    def get_queryset(self):
        return selectors.public_session_list().prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.select_related("department").order_by("position", "id"))
        )


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Chosen livelihood projects and their progress: public, no login."""

    permission_classes = [AllowAny]
    authentication_classes = []
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        qs = selectors.project_list(public=True)
        if self.action == "retrieve":
            qs = qs.prefetch_related("milestones", "reports__photos")
        return qs

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer


class BallotCastView(APIView):
    """Cast the caller's electronic ballot: for each candidate 赞成/反对/弃权, at most N 赞成."""

    permission_classes = [IsDeputy]

    @extend_schema(
        request=BallotCastInputSerializer,
        responses={
            201: BallotCastOutputSerializer,
            400: OpenApiResponse(description="选票无效（赞成票超过应选数、漏选）"),
            403: OpenApiResponse(description="未签到或不是本届代表"),
            404: OpenApiResponse(description="会议不存在或无权查看"),
            409: OpenApiResponse(description="已经投过票，或不在投票时间内"),
        },
    )
    def post(self, request, session_id):
        session = get_visible_or_404(VoteSession.objects, request.user, pk=session_id)
        data = BallotCastInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        choices = {str(item["candidate"]): item["choice"] for item in data.validated_data["choices"]}
        services.ballot_cast(actor=request.user, session=session, choices=choices)
        out = BallotCastOutputSerializer(
            {
                "session": session.pk,
                "message": _("投票成功，感谢您参加票决。"),
            }
        )
        return Response(out.data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("vote-sessions", VoteSessionViewSet, basename="vote-session")
router.register("vote-results", VoteResultViewSet, basename="vote-result")
router.register("vote-projects", ProjectViewSet, basename="vote-project")

urlpatterns = [
    path("vote-sessions/<id:session_id>/ballots/", BallotCastView.as_view(), name="vote-ballot-cast"),
    *router.urls,
]
