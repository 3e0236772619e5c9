"""REST API of the proposals app, mounted under /api/v1/.

Reads are viewsets scoped like the pages; each write is one small view calling one service.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from deputies.models import Congress
from liaison.access import IsLiaisonStaff, get_visible_or_404
from liaison.api import ERROR_RESPONSES, KeysetPagination
from liaison.converters import parse_date, parse_id
from liaison.errors import PermissionDenied
from liaison.models import Organization, Region, User
from proposals import selectors, services
from proposals import serializers as s
from proposals.actions import API_ACTIONS
from proposals.api_supervision import urlpatterns as supervision_urlpatterns
from proposals.models import Proposal

ERRORS = ERROR_RESPONSES


# The assignment API's columns: not the proposals' long texts nor their deputies.
API_ASSIGNMENT_FIELDS = (
    "id",
    "proposal_id",
    "unit_id",
    "role",
    "assigned_on",
    "deadline",
    "extension_reason",
    "opinion",
    "completed_at",
    "proposal__number",
    "proposal__title",
    "proposal__status",
    "unit__name",
)


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Proposals the caller may see: staff their region, units what was assigned to them, deputies their own."""

    filterset_fields = ["status", "kind", "congress", "reply_class", "rating", "is_key_supervised"]
    pagination_class = KeysetPagination
    keyset_keys = selectors.LIST_KEYS

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.proposal_detail(user=self.request.user)
        return selectors.proposal_rows(user=self.request.user)

    def get_serializer_class(self):
        return s.ProposalDetailSerializer if self.action == "retrieve" else s.ProposalListSerializer

    def list(self, request, *args, **kwargs):
        """A page of rows (dicts, see ``selectors.proposal_rows``) with their units, written by
        ``serializers.proposal_row_json`` (the same JSON as ``ProposalListSerializer``, a fraction of its time)."""
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([s.proposal_row_json(row) for row in selectors.with_units(rows)])

    @extend_schema(responses=s.StatusChangeSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def history(self, request, pk=None):
        """Every status change, oldest first."""
        proposal = get_visible_or_404(Proposal.objects, request.user, pk=pk)
        rows = proposal.status_changes.select_related("actor").order_by("created_at", "id")
        return Response(s.StatusChangeSerializer(rows, many=True).data)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assignments: a unit sees only its own, soonest deadline first."""

    serializer_class = s.AssignmentSerializer
    filterset_fields = ["role", "unit"]

    def get_queryset(self):
        return (
            selectors.unit_assignments(user=self.request.user)
            .select_related(None)
            .select_related("proposal", "unit")
            .only(*API_ASSIGNMENT_FIELDS)
        )


@extend_schema(
    parameters=[
        OpenApiParameter("region", int, description="行政区域 id，含下级区域"),
        OpenApiParameter("congress", int),
        OpenApiParameter("session", str),
        OpenApiParameter("unit", int),
        OpenApiParameter("date_from", str),
        OpenApiParameter("date_to", str),
    ],
    responses={200: s.FiguresSerializer, 403: ERRORS[403], 404: ERRORS[404]},  # 404: a congress/unit not visible
)
class FiguresView(APIView):
    """Headline figures for staff, filterable by region (with its subtree), congress, session, unit and period."""

    permission_classes = [IsLiaisonStaff]

    def get(self, request):
        return Response(selectors.figures(request.user, **figure_filters(request)))


def figure_filters(request):
    params = request.GET
    congress = parse_id(params.get("congress"), "congress")
    unit = parse_id(params.get("unit"), "unit")
    region = parse_id(params.get("region"), "region")
    return {
        "region": get_visible_or_404(Region.objects, request.user, pk=region) if region else None,
        "congress": get_visible_or_404(Congress.objects, request.user, pk=congress) if congress else None,
        "session": params.get("session") or None,
        "unit": get_visible_or_404(Organization.objects, request.user, pk=unit) if unit else None,
        "date_from": parse_date(params.get("date_from"), "date_from"),
        "date_to": parse_date(params.get("date_to"), "date_to"),
    }


class _ProposalAction(APIView):
    """One POST on one proposal calling one service; the body is validated by ``input_serializer``."""

    input_serializer = None
    service = None

    def call(self, request, proposal, data):
        raise NotImplementedError

    def post(self, request, pk):
        proposal = get_visible_or_404(Proposal.objects, request.user, pk=pk)
        data = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data, context={"request": request, "proposal": proposal})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.call(request, proposal, data)
        fresh = selectors.proposal_detail(user=request.user, pk=pk).first()
        return Response(s.ProposalDetailSerializer(fresh).data)


def proposal_action(action):
    """The API view of one entry of :data:`proposals.actions.ACTIONS`."""
    view = type(
        action.api_view,
        (_ProposalAction,),
        {
            "input_serializer": action.serializer,
            "call": lambda self, request, p, d: action.run(actor=request.user, proposal=p, **action.api_kwargs(d)),
            "__doc__": action.api_doc,
        },
    )
    return extend_schema(request=action.serializer, responses={200: s.ProposalDetailSerializer, **ERRORS})(view)


ACTIONS = {name: proposal_action(action) for name, action in API_ACTIONS.items()}


@extend_schema(request=s.DraftInput, responses={201: s.ProposalDetailSerializer, **ERRORS})
class DraftCreateView(APIView):
    """A deputy drafts a proposal in their own name."""

    def post(self, request):
        serializer = s.DraftInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        congress = data.pop("congress")
        deputy = getattr(request.user, "deputy", None) if request.user.role == User.Role.DEPUTY else None
        if deputy is None:
            raise PermissionDenied(_("仅限人大代表。"), code="deputy_only")
        proposal = services.proposal_create_draft(actor=request.user, lead_deputy=deputy, congress=congress, **data)
        return Response(
            s.ProposalDetailSerializer(selectors.proposal_detail(user=request.user, pk=proposal.pk).first()).data,
            status=201,
        )


@extend_schema(request=s.AssignBatchInput, responses={200: s.ProposalListSerializer(many=True), **ERRORS})
class AssignBatchView(APIView):
    """交办会: assign several accepted proposals at once, each to one lead unit and any co-units."""

    permission_classes = [IsLiaisonStaff]

    def post(self, request):
        serializer = s.AssignBatchInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = data["resolved_items"]
        _meeting, done = services.assignment_meeting_hold(
            actor=request.user,
            region=request.user.region,
            title=data["meeting_title"],
            held_on=data["held_on"],
            items=items,
        )
        rows = selectors.proposal_list(user=request.user).filter(pk__in=[p.pk for p in done])
        return Response(s.ProposalListSerializer(rows, many=True).data)


router = SimpleRouter()
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("proposal-assignments", AssignmentViewSet, basename="proposal-assignment")

urlpatterns = [
    *supervision_urlpatterns,
    path("proposals/drafts/", DraftCreateView.as_view(), name="proposal-draft-create"),
    path("proposals/assign/", AssignBatchView.as_view(), name="proposal-assign-batch"),
    path("proposals/figures/", FiguresView.as_view(), name="proposal-figures"),
    *[path(f"proposals/<id:pk>/{name}/", view.as_view(), name=f"proposal-{name}") for name, view in ACTIONS.items()],
    *router.urls,
]
