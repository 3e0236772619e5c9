"""The 12345 hotline integration's records: work orders and their history, API clients, replay nonces and
idempotency records. The tables keep the names they had in the stations app (``stations_*``, migration
hotline 0001)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.access import ANYONE, InRegion, Role, ScopedQuerySet, Via, in_region
from liaison.models import Region, TimeStampedModel
from liaison.workflow import StatusChange, register


def _work_orders_in_region(queryset, user):
    """Staff: the orders of opinions in their region subtree, and the orders with no opinion behind them (代表专线)
    whose client serves it."""
    return queryset.filter(
        in_region("opinion__region", user.region) | (Q(opinion__isnull=True) & in_region("client__region", user.region))
    )


class HotlineWorkOrderQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion(rule=_work_orders_in_region), ANYONE: Via("opinion")}


@register
class HotlineWorkOrder(TimeStampedModel):
    """A 12345 work order (工单). Outbound ones are created by 转12345 and sent by the hotline integration."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("转出")
        INBOUND = "inbound", _("转入")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        ACCEPTED = "accepted", _("已受理")
        CLOSED = "closed", _("已办结")

    # Forward only: a callback that goes back is refused (409); a failed order may be sent again (pending).
    TRANSITIONS = {
        Status.PENDING: {Status.SENT, Status.FAILED, Status.ACCEPTED, Status.CLOSED},
        Status.FAILED: {Status.PENDING, Status.ACCEPTED, Status.CLOSED},
        Status.SENT: {Status.ACCEPTED, Status.CLOSED},
        Status.ACCEPTED: {Status.CLOSED},
    }
    STATUS_CHANGES = "status_changes"
    TRANSITION_REFUSED = _("工单当前为“%(current)s”，不能改为“%(requested)s”。")

    opinion = models.ForeignKey(
        "stations.Opinion",
        verbose_name=_("群众意见"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    direction = models.CharField(_("方向"), max_length=16, choices=Direction.choices, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    external_id = models.CharField(_("热线工单号"), max_length=64, blank=True, db_index=True)
    payload = models.JSONField(_("工单内容"), default=dict, blank=True)
    encrypted_json_keys = {"payload": ("mobile",)}  # re-encrypted by manage.py rotate_personal_data
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    # The 12345 integration: which client it goes to / came from, the deputy of a 代表专线 item,
    # the hotline's result, and the outbound send attempts.
    client = models.ForeignKey(
        "hotline.ApiClient",
        verbose_name=_("热线系统"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("代表专线代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_work_orders",
    )
    result = models.TextField(_("办理结果"), blank=True)
    deadline = models.DateTimeField(_("办理时限"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)

    objects = HotlineWorkOrderQuerySet.as_manager()

    class Meta:
        db_table = "stations_hotlineworkorder"  # the table the stations app created
        ordering = ["-created_at", "-id"]
        verbose_name = _("12345工单")
        verbose_name_plural = _("12345工单")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "direction", "external_id"],
                condition=~Q(external_id=""),
                name="work_order_unique_external_id",
            )
        ]

    def __str__(self):
        return self.external_id or f"#{self.pk}"


class ApiClientQuerySet(ScopedQuerySet):
    access = {Role.STAFF: InRegion("region")}

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(TimeStampedModel):
    """A hotline system allowed to call the API for one region. Only the SHA-256 of its key is stored."""

    name = models.CharField(_("系统名称"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("服务区域"), on_delete=models.PROTECT, related_name="api_clients")
    key_id = models.CharField(_("密钥编号"), max_length=32, unique=True, editable=False)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, editable=False)
    ip_allowlist = models.TextField(
        _("IP 白名单"), blank=True, help_text=_("每行一个 IP 地址或网段（CIDR）；留空表示不限。")
    )
    endpoint_url = models.URLField(
        _("工单推送地址"), blank=True, help_text=_("转12345 和代表专线工单推送到这个地址（须为 https）。")
    )
    throttle_rate = models.CharField(_("限流"), max_length=16, default="120/min", help_text=_("例如 120/min。"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    rotated_at = models.DateTimeField(_("密钥轮换时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近调用时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        db_table = "stations_apiclient"  # the table the stations app created
        ordering = ["region__path", "name"]
        verbose_name = _("热线接口客户端")
        verbose_name_plural = _("热线接口客户端")

    def __str__(self):
        return f"{self.name} ({self.key_id})"

    @property
    def is_active(self):
        return self.revoked_at is None


class ApiNonce(models.Model):
    """A nonce already used by a client: the unique constraint refuses a replay, even between two workers."""

    client = models.ForeignKey(ApiClient, verbose_name=_("客户端"), on_delete=models.CASCADE, related_name="nonces")
    nonce = models.CharField(_("随机串"), max_length=64)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "stations_apinonce"  # the table the stations app created
        ordering = ["-created_at"]
        verbose_name = _("请求随机串")
        verbose_name_plural = _("请求随机串")
        constraints = [models.UniqueConstraint(fields=["client", "nonce"], name="api_nonce_unique_per_client")]

    def __str__(self):
        return self.nonce


class IdempotencyRecord(models.Model):
    """The first response to a push with an ``Idempotency-Key``; a retry gets the same bytes back."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("客户端"), on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(_("幂等键"), max_length=128)
    request_hash = models.CharField(_("请求摘要"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    response_body = models.TextField(_("响应内容"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "stations_idempotencyrecord"  # the table the stations app created
        ordering = ["-created_at"]
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_unique_key_per_client")]

    def __str__(self):
        return self.key


class HotlineWorkOrderStatusChange(StatusChange):
    """One step of a work order: sending, the hotline's callbacks, a resend (``client``: whose callback it was)."""

    order = models.ForeignKey(
        HotlineWorkOrder, verbose_name=_("工单"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=HotlineWorkOrder.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=HotlineWorkOrder.Status.choices)
    client = models.ForeignKey(
        ApiClient, verbose_name=_("热线系统"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(StatusChange.Meta):
        db_table = "stations_hotlineworkorderstatuschange"  # the table the stations app created
        verbose_name = _("工单状态变更")
        verbose_name_plural = _("工单状态变更")

    def __str__(self):
        return f"{self.order} {self.from_status} → {self.to_status}"
