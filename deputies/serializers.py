from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deputies.models import SELF_REGISTERED_KINDS, Congress, Deputy, DutyKind, DutyRecord, Membership
from liaison.api import ErrorSerializer  # noqa: F401  (re-exported for deputies.api)
from liaison.scoped import ScopedPrimaryKeyRelatedField


class CongressSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Congress
        fields = ["id", "name", "region", "region_name", "level", "level_display", "term", "is_current"]


class MembershipSerializer(serializers.ModelSerializer):
    deputy_code = serializers.CharField(source="deputy.code", read_only=True)
    name = serializers.CharField(source="deputy.name", read_only=True)
    gender = serializers.CharField(source="deputy.get_gender_display", read_only=True)
    party = serializers.CharField(source="deputy.party", read_only=True)
    occupation = serializers.CharField(source="deputy.occupation", read_only=True)
    mobile = serializers.CharField(source="deputy.masked_mobile", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    region_name = serializers.CharField(source="congress.region.name", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True, default="")
    professional_groups = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "deputy",
            "deputy_code",
            "name",
            "gender",
            "party",
            "occupation",
            "mobile",
            "congress",
            "congress_name",
            "region_name",
            "electoral_unit",
            "group_name",
            "professional_groups",
            "status",
            "status_display",
            "terminated_on",
            "termination_reason",
        ]

    def get_professional_groups(self, obj) -> list[str]:
        return [group.name for group in obj.professional_groups.all()]


class DeputySerializer(serializers.ModelSerializer):
    mobile = serializers.CharField(source="masked_mobile", read_only=True)
    gender_display = serializers.CharField(source="get_gender_display", read_only=True)

    class Meta:
        model = Deputy
        fields = [
            "id",
            "code",
            "name",
            "gender",
            "gender_display",
            "ethnicity",
            "birth_date",
            "party",
            "education",
            "occupation",
            "workplace",
            "sector",
            "mobile",
        ]


class DutyRecordSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    points = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    congress_name = serializers.CharField(source="membership.congress.name", read_only=True)
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = DutyRecord
        fields = [
            "id",
            "membership",
            "congress_name",
            "kind",
            "kind_display",
            "occurred_on",
            "place",
            "description",
            "has_attachment",
            "points",
            "status",
            "status_display",
            "self_registered",
            "return_reason",
            "is_public",
        ]

    def get_has_attachment(self, obj) -> bool:
        return bool(obj.attachment)


@extend_schema_field(
    {"type": "string", "enum": list(DutyKind.values), "description": "履职类型：" + "，".join(DutyKind.values)}
)
class DutyKindField(serializers.ChoiceField):
    """DutyKind, described inline so that its enum does not clash with other models' ``kind`` choices."""

    def __init__(self, **kwargs):
        super().__init__(choices=DutyKind.choices, **kwargs)


class DutyRecordCreateInputSerializer(serializers.Serializer):
    membership = serializers.IntegerField(help_text="代表资格（席位）编号")
    kind = DutyKindField()
    occurred_on = serializers.DateField()
    place = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False, allow_null=True, default=None)


@extend_schema_field(
    {
        "type": "string",
        "enum": [kind.value for kind in SELF_REGISTERED_KINDS],
        "description": "可自主登记的履职类型：" + "，".join(kind.value for kind in SELF_REGISTERED_KINDS),
    }
)
class SelfRegisteredKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[(kind.value, kind.label) for kind in SELF_REGISTERED_KINDS], **kwargs)


def _registration_seats(user, context):
    from deputies.selectors import deputy_seats_for_registration

    return deputy_seats_for_registration(user=user)


class DutyRegistrationInputSerializer(serializers.Serializer):
    """A deputy's own registration of a duty (or its correction after it was returned)."""

    membership = ScopedPrimaryKeyRelatedField(
        scope=_registration_seats,
        queryset=Membership.objects.all(),
        label=_("代表资格"),
        help_text="计入的代表资格（席位）编号：本人在任的席位",
    )
    kind = SelfRegisteredKindField()
    occurred_on = serializers.DateField()
    place = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    description = serializers.CharField()
    attachment = serializers.FileField(required=False, allow_null=True, default=None)


class DutyResubmitInputSerializer(serializers.Serializer):
    kind = SelfRegisteredKindField()
    occurred_on = serializers.DateField()
    place = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    description = serializers.CharField()
    attachment = serializers.FileField(required=False, allow_null=True, default=None)


class DutyApproveInputSerializer(serializers.Serializer):
    public = serializers.BooleanField(required=False, default=True, help_text="是否在公开的履职档案中显示")


class DutyReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="退回原因，代表据此修改后重新提交")


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    membership = serializers.IntegerField(source="pk")
    deputy_code = serializers.CharField(source="deputy.code")
    name = serializers.CharField(source="deputy.name")
    group_name = serializers.SerializerMethodField()
    total_points = serializers.DecimalField(max_digits=10, decimal_places=2)

    def get_group_name(self, obj) -> str:
        return obj.group.name if obj.group_id else ""
