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
from liaison.models import Organization, Region
from proposals import selectors, services
from proposals import serializers as s
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


def proposal_action(name, input_serializer, call, doc):
    view = type(
        name,
        (_ProposalAction,),
        {
            "input_serializer": input_serializer,
            "call": lambda self, request, p, d: call(request.user, p, d),
            "__doc__": doc,
        },
    )
    return extend_schema(request=input_serializer, responses={200: s.ProposalDetailSerializer, **ERRORS})(view)


ACTIONS = {
    "submit": proposal_action(
        "SubmitView", None, lambda u, p, d: services.proposal_submit(actor=u, proposal=p), "提交 (lead deputy)."
    ),
    "withdraw": proposal_action(
        "WithdrawView",
        s.NoteInput,
        lambda u, p, d: services.proposal_withdraw(actor=u, proposal=p, reason=d["note"]),
        "撤回 (lead deputy).",
    ),
    "cosigners": proposal_action(
        "CoSignerAddView",
        s.CoSignerInput,
        lambda u, p, d: services.cosigner_add(actor=u, proposal=p, deputy=d["deputy"]),
        "Add a co-signer (lead deputy, draft only).",
    ),
    "cosign-confirm": proposal_action(
        "CoSignConfirmView", None, lambda u, p, d: services.cosigner_confirm(actor=u, proposal=p), "确认附议."
    ),
    "accept": proposal_action(
        "AcceptView",
        s.NoteInput,
        lambda u, p, d: services.proposal_accept(actor=u, proposal=p, note=d["note"]),
        "立案.",
    ),
    "merge": proposal_action(
        "MergeView",
        s.MergeInput,
        lambda u, p, d: services.proposal_merge(actor=u, proposal=p, into=d["into"], note=d["note"]),
        "并案 into another proposal.",
    ),
    "send-back": proposal_action(
        "SendBackView",
        s.CommentInput,
        lambda u, p, d: services.proposal_send_back(actor=u, proposal=p, comment=d["comment"]),
        "退回修改 (改).",
    ),
    "transfer": proposal_action(
        "TransferView",
        s.TransferInput,
        lambda u, p, d: services.proposal_transfer(actor=u, proposal=p, target=d["target"], reason=d["reason"]),
        "转办.",
    ),
    "return": proposal_action(
        "ReturnView",
        s.ReasonInput,
        lambda u, p, d: services.proposal_return(actor=u, proposal=p, reason=d["reason"]),
        "不予立案 (退).",
    ),
    "extend": proposal_action(
        "ExtendView",
        s.ExtendInput,
        lambda u, p, d: services.assignment_extend_deadline(
            actor=u, proposal=p, deadline=d["deadline"], reason=d["reason"]
        ),
        "延期 (at most six months after assignment).",
    ),
    "key-supervision": proposal_action(
        "KeySupervisionView",
        s.KeySupervisionInput,
        lambda u, p, d: services.proposal_mark_key_supervision(actor=u, proposal=p, leaders=d["leaders"]),
        "重点督办.",
    ),
    "contacts": proposal_action(
        "ContactView",
        s.ContactInput,
        lambda u, p, d: services.contact_record(actor=u, proposal=p, **d),
        "办前/办中/办后 contact (assigned unit).",
    ),
    "co-opinion": proposal_action(
        "CoOpinionView",
        s.OpinionInput,
        lambda u, p, d: services.co_unit_send_opinion(actor=u, proposal=p, opinion=d["opinion"]),
        "协办意见 to the lead unit.",
    ),
    "reply": proposal_action(
        "ReplyView",
        s.ReplyInput,
        lambda u, p, d: services.proposal_reply(actor=u, proposal=p, **d),
        "答复 with class A/B/C (lead unit).",
    ),
    "rate": proposal_action(
        "RateView",
        s.RateInput,
        lambda u, p, d: services.proposal_rate(actor=u, proposal=p, **d),
        "满意度测评 (lead deputy).",
    ),
    "promise-met": proposal_action(
        "PromiseMetView",
        s.NoteInput,
        lambda u, p, d: services.proposal_report_promise_met(actor=u, proposal=p, note=d["note"]),
        "B类承诺已落实 (lead unit).",
    ),
    "staff-close": proposal_action(
        "StaffCloseView",
        s.ReasonInput,
        lambda u, p, d: services.proposal_staff_close(actor=u, proposal=p, reason=d["reason"]),
        "工委确认办结 of a B-class proposal.",
    ),
    "close": proposal_action(
        "CloseView", s.NoteInput, lambda u, p, d: services.proposal_close(actor=u, proposal=p, note=d["note"]), "办结."
    ),
}


@extend_schema(request=s.DraftInput, responses={201: s.ProposalDetailSerializer, **ERRORS})
class DraftCreateView(APIView):
    """A deputy drafts a proposal in their own name."""

    def post(self, request):
        serializer = s.DraftInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        congress = data.pop("congress")
        deputy = getattr(request.user, "deputy", None) if request.user.role == "deputy" else None
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
        meeting = services.assignment_meeting_create(
            actor=request.user, region=request.user.region, title=data["meeting_title"], held_on=data["held_on"]
        )
        done = services.proposals_assign_batch(actor=request.user, meeting=meeting, items=items)
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
