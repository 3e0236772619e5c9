"""Explicit input and output shapes of the native hotline API. Inputs are strict: unknown fields are refused."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from hotline.models import HotlineWorkOrder


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare, so a typo in a vendor's payload is an error, not silently dropped."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("须为 JSON 对象。")]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("未知字段。")] for name in unknown})
        return super().to_internal_value(data)


class HotlineErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="机器可读的错误码，如 bad_signature / idempotency_key_reused")
    message = serializers.CharField()
    fields = serializers.DictField(required=False)


class LocationInput(StrictSerializer):
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True, default=None)
    long = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True, default=None)


class CitizenInput(StrictSerializer):
    name = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    mobile = serializers.RegexField(
        r"^1\d{10}$|^1\d{2}\*{4}\d{4}$",
        max_length=11,
        required=False,
        allow_blank=True,
        default="",
        help_text="完整的 11 位手机号，或脱敏形式 138****5678",
    )


class WorkOrderPushInput(StrictSerializer):
    hotline_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64, help_text="热线自己的工单号")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(min_length=5, max_length=1800)
    category = serializers.SlugField(max_length=32, help_text="意见类别编码 = Open311 service_code")
    location = LocationInput(required=False)
    citizen = CitizenInput(required=False)
    deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)
    attachments = serializers.ListField(
        child=serializers.URLField(max_length=500), max_length=10, required=False, default=list
    )
    station = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    deputy = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    region_code = serializers.RegexField(r"^\d{6,12}$", max_length=12, required=False, allow_blank=True, default="")

    def validate_attachments(self, value):
        for url in value:
            if not url.lower().startswith(("http://", "https://")):
                raise serializers.ValidationError(_("附件须为 http(s) 地址。"))
        return value


class StatusCallbackInput(StrictSerializer):
    status = serializers.ChoiceField(choices=["accepted", "closed"], help_text="accepted 已受理 / closed 已办结")
    result = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    resolution = serializers.ChoiceField(
        choices=["handled", "unfeasible"],
        required=False,
        default="handled",
        help_text="办结时：handled 已处理 / unfeasible 无法落实",
    )
    hotline_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64, required=False, allow_blank=True)


class WorkOrderSerializer(serializers.ModelSerializer):
    hotline_id = serializers.CharField(source="external_id")
    tracking_code = serializers.CharField(source="opinion.tracking_code", default="", allow_null=True)
    opinion_status = serializers.CharField(source="opinion.status", default="", allow_null=True)
    status = serializers.CharField(help_text="pending / sent / failed / accepted / closed")
    direction = serializers.CharField(help_text="outbound 转出 / inbound 转入")

    class Meta:
        model = HotlineWorkOrder
        fields = [
            "id",
            "hotline_id",
            "direction",
            "status",
            "tracking_code",
            "opinion_status",
            "result",
            "deadline",
            "sent_at",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


class PingSerializer(serializers.Serializer):
    client = serializers.CharField()
    key_id = serializers.CharField()
    region_code = serializers.CharField()
    server_time = serializers.IntegerField()
