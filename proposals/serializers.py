from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deputies.models import Congress, Deputy
from liaison.converters import ID_MAX
from liaison.models import Organization, choice_label
from liaison.scoped import ScopedPrimaryKeyRelatedField, scoped_ids
from proposals import rules
from proposals.models import (
    Assignment,
    Attachment,
    Contact,
    CoSigner,
    JointSupervision,
    Proposal,
    ProposalStatusChange,
    Reply,
    SiteVisit,
)


def choice(choices, **kwargs):
    """A choice field documented inline (a plain string enum), so its name cannot collide with other apps'
    enums in the schema."""
    values = [value for value, _label in choices]
    field_class = extend_schema_field({"type": "string", "enum": values})(
        type("InlineChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


def text(**kwargs):
    return serializers.CharField(read_only=True, **kwargs)


_DATETIME = serializers.DateTimeField(read_only=True)  # DRF's own conversion (time zone, "Z"), shared by the rows


def _date(value):
    return None if value is None else value.isoformat()


def _datetime(value):
    return None if value is None else _DATETIME.to_representation(value)


def unit_row_json(row):
    """An assignment row of ``proposals.selectors.with_units`` as :class:`UnitAssignmentSerializer` writes it."""
    return {
        "id": row["id"],
        "unit": row["unit_id"],
        "unit_name": row["unit__name"],
        "role": row["role"],
        "assigned_on": _date(row["assigned_on"]),
        "deadline": _date(row["deadline"]),
        "extension_reason": row["extension_reason"],
        "completed_at": _datetime(row["completed_at"]),
    }


def proposal_row_json(row):
    """A row of ``proposals.selectors.proposal_rows`` (with ``units``) as :class:`ProposalListSerializer` writes
    it. The list API builds its pages with this: DRF's generic path (building the serializer's fields, then an
    attribute lookup and a field call per value) was most of the list's time. tests/proposals/test_list_rows.py
    keeps the two equal."""
    return {
        "id": row["id"],
        "number": row["number"],
        "title": row["title"],
        "kind": row["kind"],
        "category": row["category"],
        "session": row["session"],
        "congress": row["congress_id"],
        "congress_name": row["congress__name"],
        "lead_deputy": row["lead_deputy_id"],
        "lead_deputy_name": row["lead_deputy__name"],
        "status": row["status"],
        "status_display": choice_label(Proposal, "status", row["status"]),
        "submitted_at": _datetime(row["submitted_at"]),
        "reply_class": row["reply_class"],
        "promised_on": _date(row["promised_on"]),
        "rating": row["rating"],
        "rehandle_count": row["rehandle_count"],
        "is_key_supervised": row["is_key_supervised"],
        "units": [unit_row_json(unit) for unit in row["units"]],
    }


class UnitAssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role = text()

    class Meta:
        model = Assignment
        fields = ["id", "unit", "unit_name", "role", "assigned_on", "deadline", "extension_reason", "completed_at"]


class ProposalListSerializer(serializers.ModelSerializer):
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    status = text()
    kind = text()
    reply_class = text()
    rating = text()
    units = UnitAssignmentSerializer(source="unit_list", many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "number",
            "title",
            "kind",
            "category",
            "session",
            "congress",
            "congress_name",
            "lead_deputy",
            "lead_deputy_name",
            "status",
            "status_display",
            "submitted_at",
            "reply_class",
            "promised_on",
            "rating",
            "rehandle_count",
            "is_key_supervised",
            "units",
        ]


class CoSignerSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = CoSigner
        fields = ["deputy", "deputy_name", "confirmed_at", "via_merge"]


class AttachmentSerializer(serializers.ModelSerializer):
    purpose = text()

    class Meta:
        model = Attachment
        fields = ["id", "purpose", "name", "size", "created_at"]


class ReplySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reply_class = text()
    rating = text()

    class Meta:
        model = Reply
        fields = [
            "round",
            "unit_name",
            "reply_class",
            "text",
            "promised_on",
            "replied_on",
            "on_time",
            "rating",
            "rating_comment",
            "rated_at",
        ]


class ProposalDetailSerializer(ProposalListSerializer):
    origin = text()
    cosigners = CoSignerSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields,
            "content",
            "origin",
            "origin_reference",
            "review_note",
            "transfer_target",
            "merged_into",
            "key_supervision_leaders",
            "cosigners",
            "attachments",
            "replies",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    proposal_number = serializers.CharField(source="proposal.number", read_only=True)
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)
    proposal_status = serializers.CharField(source="proposal.status", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    contact_count = serializers.IntegerField(read_only=True)
    role = text()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "proposal",
            "proposal_number",
            "proposal_title",
            "proposal_status",
            "unit",
            "unit_name",
            "role",
            "assigned_on",
            "deadline",
            "extension_reason",
            "opinion",
            "completed_at",
            "contact_count",
        ]


class StatusChangeSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.__str__", read_only=True, default="")
    from_status = text()
    to_status = text()

    class Meta:
        model = ProposalStatusChange
        fields = ["from_status", "to_status", "actor_name", "note", "created_at"]


class ContactSerializer(serializers.ModelSerializer):
    stage = text()
    way = text()

    class Meta:
        model = Contact
        fields = ["id", "stage", "way", "contacted_on", "summary"]


# ---------------------------------------------------------------- inputs of the write views


class DraftInput(serializers.Serializer):
    congress = ScopedPrimaryKeyRelatedField(
        label=_("人民代表大会"), queryset=Congress.objects.all(), scope=rules.draft_congresses
    )
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    kind = choice(Proposal.Kind.choices, default=Proposal.Kind.SUGGESTION)
    category = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    session = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class CommentInput(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True)


class TransferInput(serializers.Serializer):
    target = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class MergeInput(serializers.Serializer):
    into = ScopedPrimaryKeyRelatedField(
        label=_("并入的建议"), queryset=Proposal.objects.all(), scope=rules.merge_targets
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)


class CoSignerInput(serializers.Serializer):
    deputy = ScopedPrimaryKeyRelatedField(
        label=_("附议代表"), queryset=Deputy.objects.all(), scope=rules.cosigner_deputies
    )


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None) or serializer.context["user"]


class AssignItemInput(serializers.Serializer):
    proposal = _id(label=_("建议"))
    lead_unit = _id(label=_("主办单位"))
    co_units = serializers.ListField(child=_id(), required=False, default=list, label=_("协办单位"))


class AssignBatchInput(serializers.Serializer):
    """The items name records by id; ``validate`` resolves each through proposals.rules (visible to the caller,
    units of the proposal's region's tree), a 400 naming the field for any other id."""

    meeting_title = serializers.CharField(max_length=128)
    held_on = serializers.DateField()
    items = AssignItemInput(many=True)

    def validate(self, attrs):
        user = _user(self)
        labels = AssignItemInput().fields
        ids = [item["proposal"] for item in attrs["items"]]
        proposals = scoped_ids("proposal", labels["proposal"].label, ids, rules.assignable_proposals(user))
        by_pk = {p.pk: p for p in proposals}
        resolved = []
        for item in attrs["items"]:
            proposal = by_pk[item["proposal"]]
            units = rules.proposal_units(user, {"proposal": proposal})
            (lead,) = scoped_ids("lead_unit", labels["lead_unit"].label, [item["lead_unit"]], units)
            co_units = scoped_ids("co_units", labels["co_units"].label, item["co_units"], units)
            resolved.append((proposal, lead, co_units))
        attrs["resolved_items"] = resolved
        return attrs


class ExtendInput(serializers.Serializer):
    deadline = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class KeySupervisionInput(serializers.Serializer):
    leaders = serializers.CharField(allow_blank=True)


class ContactInput(serializers.Serializer):
    stage = choice(Contact.Stage.choices)
    way = choice(Contact.Way.choices)
    contacted_on = serializers.DateField()
    summary = serializers.CharField()


class OpinionInput(serializers.Serializer):
    opinion = serializers.CharField(allow_blank=True)


class ReplyInput(serializers.Serializer):
    reply_class = choice(Proposal.ReplyClass.choices)
    text = serializers.CharField(allow_blank=True)
    promised_on = serializers.DateField(required=False, allow_null=True, default=None)


class RateInput(serializers.Serializer):
    rating = choice(Proposal.Rating.choices)
    comment = serializers.CharField(required=False, default="", allow_blank=True)


class FiguresSerializer(serializers.Serializer):
    review = serializers.DictField(child=serializers.IntegerField())
    classes = serializers.DictField()
    satisfaction = serializers.DictField()
    on_time = serializers.DictField()
    overdue_units = serializers.ListField(child=serializers.DictField())
    rehandled = serializers.DictField(child=serializers.IntegerField())
    key_supervision = serializers.DictField()
    joint_supervision = serializers.DictField()


# ---------------------------------------------------------------- 联合督办 joint supervision


class SupervisedProposalSerializer(serializers.ModelSerializer):
    """A proposal as a joint supervision shows it: its state, its units and every reply with the rating."""

    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    status = text()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    reply_class = text()
    rating = text()
    units = UnitAssignmentSerializer(source="unit_list", many=True, read_only=True)
    replies = ReplySerializer(source="reply_list", many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "number",
            "title",
            "lead_deputy_name",
            "status",
            "status_display",
            "reply_class",
            "promised_on",
            "rating",
            "is_key_supervised",
            "units",
            "replies",
        ]


class SiteVisitSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.CharField(source="recorded_by", read_only=True, default="")

    class Meta:
        model = SiteVisit
        fields = [
            "id",
            "visited_on",
            "place",
            "participants",
            "summary",
            "findings",
            "follow_ups",
            "recorded_by_name",
            "created_at",
        ]


class JointSupervisionListSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    status = text()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    proposal_count = serializers.IntegerField(read_only=True)
    visit_count = serializers.IntegerField(read_only=True)
    last_visit_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = JointSupervision
        fields = [
            "id",
            "title",
            "committee",
            "committee_name",
            "status",
            "status_display",
            "proposal_count",
            "visit_count",
            "last_visit_on",
            "created_at",
            "closed_at",
        ]


class JointSupervisionDetailSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    status = text()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    proposals = SupervisedProposalSerializer(source="proposal_list", many=True, read_only=True)
    visits = SiteVisitSerializer(source="visit_list", many=True, read_only=True)

    class Meta:
        model = JointSupervision
        fields = [
            "id",
            "title",
            "focus",
            "committee",
            "committee_name",
            "status",
            "status_display",
            "conclusion",
            "created_at",
            "closed_at",
            "proposals",
            "visits",
        ]


class ProposalIdsInput(serializers.Serializer):
    """``proposals`` are resolved (one query) to those the caller can see; another id is a 400 naming the field."""

    proposals = serializers.ListField(child=_id(), allow_empty=True, label=_("督办建议"))

    def validate(self, attrs):
        attrs = super().validate(attrs)
        label = self.fields["proposals"].label
        attrs["proposals"] = scoped_ids("proposals", label, attrs["proposals"], rules.assignable_proposals(_user(self)))
        return attrs


class JointSupervisionCreateInput(ProposalIdsInput):
    committee = ScopedPrimaryKeyRelatedField(
        label=_("牵头专门委员会"), queryset=Organization.objects.all(), scope=rules.supervision_committees
    )
    title = serializers.CharField(allow_blank=True, max_length=128)
    focus = serializers.CharField(required=False, default="", allow_blank=True)


class SiteVisitInput(serializers.Serializer):
    visited_on = serializers.DateField()
    place = serializers.CharField(allow_blank=True, max_length=128)
    participants = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)
    summary = serializers.CharField(allow_blank=True)
    findings = serializers.CharField(required=False, default="", allow_blank=True)
    follow_ups = serializers.CharField(required=False, default="", allow_blank=True)


class ConclusionInput(serializers.Serializer):
    conclusion = serializers.CharField(allow_blank=True)
