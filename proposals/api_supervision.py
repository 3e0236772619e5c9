"""REST API of joint supervision (联合督办), mounted under /api/v1/ with the rest of the proposals API.

Reads are a viewset scoped like the pages (staff: their region's committees; a committee's users: their own
items); each write is one small view calling one service."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from liaison.access import IsLiaisonStaff, get_visible_or_404
from liaison.api import ERROR_RESPONSES
from proposals import selectors, services
from proposals import serializers as s
from proposals.models import JointSupervision

ERRORS = ERROR_RESPONSES


def _detail(user, pk):
    return s.JointSupervisionDetailSerializer(selectors.joint_supervision_detail(user=user, pk=pk).first()).data


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("status", str, enum=list(JointSupervision.Status.values), description="状态")]
    )
)
class JointSupervisionViewSet(viewsets.ReadOnlyModelViewSet):
    """联合督办: staff see their region's committees' items, a committee's users only their committee's."""

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.joint_supervision_detail(user=self.request.user)
        return selectors.joint_supervision_list(user=self.request.user, status=self.request.query_params.get("status"))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.JointSupervisionDetailSerializer
        return s.JointSupervisionListSerializer


@extend_schema(request=s.JointSupervisionCreateInput, responses={201: s.JointSupervisionDetailSerializer, **ERRORS})
class JointSupervisionCreateView(APIView):
    """Staff open a joint supervision: a special committee and the accepted proposals it follows."""

    permission_classes = [IsLiaisonStaff]

    def post(self, request):
        serializer = s.JointSupervisionCreateInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        committee, proposals = data["committee"], data["proposals"]
        supervision = services.joint_supervision_create(
            actor=request.user, committee=committee, title=data["title"], focus=data["focus"], proposals=proposals
        )
        return Response(_detail(request.user, supervision.pk), status=201)


@extend_schema(request=s.SiteVisitInput, responses={201: s.SiteVisitSerializer, **ERRORS})
class SiteVisitCreateView(APIView):
    """现场督办: staff or the committee's users log a site visit (date, place, participants, findings, follow-ups)."""

    def post(self, request, pk):
        supervision = get_visible_or_404(JointSupervision.objects, request.user, pk=pk)
        serializer = s.SiteVisitInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.site_visit_record(actor=request.user, supervision=supervision, **serializer.validated_data)
        return Response(s.SiteVisitSerializer(visit).data, status=201)


@extend_schema(request=s.ConclusionInput, responses={200: s.JointSupervisionDetailSerializer, **ERRORS})
class JointSupervisionCloseView(APIView):
    """Staff end a joint supervision with its conclusion."""

    permission_classes = [IsLiaisonStaff]

    def post(self, request, pk):
        supervision = get_visible_or_404(JointSupervision.objects, request.user, pk=pk)
        serializer = s.ConclusionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.joint_supervision_close(
            actor=request.user, supervision=supervision, conclusion=serializer.validated_data["conclusion"]
        )
        return Response(_detail(request.user, pk))


@extend_schema(request=s.ProposalIdsInput, responses={200: s.JointSupervisionDetailSerializer, **ERRORS})
class JointSupervisionAddProposalsView(APIView):
    """Staff add proposals to an open joint supervision; those it already follows are skipped."""

    permission_classes = [IsLiaisonStaff]

    def post(self, request, pk):
        supervision = get_visible_or_404(JointSupervision.objects, request.user, pk=pk)
        serializer = s.ProposalIdsInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        proposals = serializer.validated_data["proposals"]
        services.joint_supervision_add_proposals(actor=request.user, supervision=supervision, proposals=proposals)
        return Response(_detail(request.user, pk))


router = SimpleRouter()
router.register("joint-supervisions", JointSupervisionViewSet, basename="joint-supervision")

urlpatterns = [
    path("joint-supervisions/create/", JointSupervisionCreateView.as_view(), name="joint-supervision-create"),
    path(
        "joint-supervisions/<id:pk>/proposals/",
        JointSupervisionAddProposalsView.as_view(),
        name="joint-supervision-add-proposals",
    ),
    path("joint-supervisions/<id:pk>/visits/", SiteVisitCreateView.as_view(), name="joint-supervision-visits"),
    path("joint-supervisions/<id:pk>/close/", JointSupervisionCloseView.as_view(), name="joint-supervision-close"),
    *router.urls,
]
