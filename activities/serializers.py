"""API input and output of activities; ids in a write are resolved through the caller's scope (activities.rules)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from activities import rules
from activities.models import Activity, ActivityFile, Attendance, Invitation, Outcome
from activities.services import InviteBy
from deputies.models import Congress, DeputyGroup, Membership
from liaison.scoped import ScopedPrimaryKeyRelatedField
from proposals.models import Proposal


class ActivitySerializer(serializers.ModelSerializer):
    # Plain strings: a choice field named "kind"/"status" would collide with other models' enums in the schema.
    kind = serializers.CharField(
        read_only=True, help_text=" / ".join(f"{v} {label}" for v, label in Activity.Kind.choices)
    )
    status = serializers.CharField(read_only=True, help_text=" / ".join(Activity.Status.values))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True, default="")
    invited_count = serializers.IntegerField(read_only=True)
    attend_count = serializers.IntegerField(read_only=True)
    excused_count = serializers.IntegerField(read_only=True)
    attendance_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "congress",
            "congress_name",
            "group",
            "group_name",
            "place",
            "starts_at",
            "ends_at",
            "agenda",
            "minutes",
            "status",
            "status_display",
            "invited_count",
            "attend_count",
            "excused_count",
            "attendance_count",
        ]


class InvitationSerializer(serializers.ModelSerializer):
    response = serializers.CharField(read_only=True, help_text="pending 未答复 / attend 参加 / excused 请假")
    response_display = serializers.CharField(source="get_response_display", read_only=True)
    activity = serializers.SerializerMethodField()
    signed_in = serializers.BooleanField(read_only=True, help_text="本人是否已签到")

    class Meta:
        model = Invitation
        fields = ["id", "activity", "membership", "response", "response_display", "reason", "responded_at", "signed_in"]

    def get_activity(self, obj) -> dict:
        a = obj.activity
        return {
            "id": a.pk,
            "title": a.title,
            "kind": a.kind,
            "place": a.place,
            "starts_at": a.starts_at.isoformat(),
            "ends_at": a.ends_at.isoformat(),
            "status": a.status,
        }


class ActivityPlanInput(serializers.Serializer):
    congress = ScopedPrimaryKeyRelatedField(
        label=_("人民代表大会"), queryset=Congress.objects.all(), scope=rules.congresses_for
    )
    kind = serializers.ChoiceField(choices=Activity.Kind.values)
    title = serializers.CharField(max_length=120)
    place = serializers.CharField(max_length=128)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    agenda = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    group = ScopedPrimaryKeyRelatedField(
        label=_("代表小组"),
        queryset=DeputyGroup.objects.all(),
        scope=rules.groups_for,
        required=False,
        allow_null=True,
        default=None,
    )
    invite_by = serializers.ChoiceField(
        choices=list(InviteBy.CHOICES),
        default=InviteBy.HAND,
        help_text="group 按代表小组 / congress 全体在任代表 / hand 逐个选择",
    )
    memberships = ScopedPrimaryKeyRelatedField(
        label=_("受邀代表"),
        queryset=Membership.objects.all(),
        scope=rules.seats_for,
        many=True,
        required=False,
        default=list,
        help_text="逐个选择时的代表资格 id",
    )


class RespondInput(serializers.Serializer):
    response = serializers.ChoiceField(choices=[Invitation.Response.ATTEND.value, Invitation.Response.EXCUSED.value])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AttendanceSerializer(serializers.ModelSerializer):
    how = serializers.CharField(read_only=True, help_text="qr 扫码签到 / staff 工作人员登记")
    created = serializers.BooleanField(read_only=True, help_text="false：此前已签到，本次未作改变")
    message = serializers.CharField(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "activity", "membership", "signed_in_at", "how", "created", "message"]


class MinutesInput(serializers.Serializer):
    minutes = serializers.CharField(max_length=20000)


class FileInput(serializers.Serializer):
    file = serializers.FileField(help_text="照片（JPG、PNG、WebP）、PDF 或 Word，不超过 10 MB；内容须与扩展名相符")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)


class ActivityFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityFile
        fields = ["id", "activity", "title", "created_at"]


class OutcomeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Outcome.Kind.values, help_text="opinion 意见建议 / report 调研报告")
    title = serializers.CharField(max_length=120)
    content = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    proposal = ScopedPrimaryKeyRelatedField(
        label=_("转为建议"),
        queryset=Proposal.objects.all(),
        scope=rules.outcome_proposals,
        required=False,
        allow_null=True,
        default=None,
        help_text="转成的建议 id（本届人大、调用者可见的建议）",
    )


class OutcomeSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "activity", "kind", "title", "content", "proposal", "created_at"]
