"""The hotline app takes over the 12345 models from stations (stations 0010) with their tables: the state gains
them, the database is left as it is."""

import django.db.models.deletion
import liaison.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("deputies", "0007_uploads_checked_by_content"),
        ("liaison", "0010_holiday_schedules"),
        ("stations", "0010_move_hotline_models_to_hotline_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (Meta.db_table keeps their stations_* names): state only.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ApiClient",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("name", models.CharField(max_length=100, verbose_name="系统名称")),
                        (
                            "key_id",
                            models.CharField(editable=False, max_length=32, unique=True, verbose_name="密钥编号"),
                        ),
                        ("key_hash", models.CharField(editable=False, max_length=64, verbose_name="密钥摘要")),
                        (
                            "ip_allowlist",
                            models.TextField(
                                blank=True,
                                help_text="每行一个 IP 地址或网段（CIDR）；留空表示不限。",
                                verbose_name="IP 白名单",
                            ),
                        ),
                        (
                            "endpoint_url",
                            models.URLField(
                                blank=True,
                                help_text="转12345 和代表专线工单推送到这个地址（须为 https）。",
                                verbose_name="工单推送地址",
                            ),
                        ),
                        (
                            "throttle_rate",
                            models.CharField(
                                default="120/min", help_text="例如 120/min。", max_length=16, verbose_name="限流"
                            ),
                        ),
                        ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="吊销时间")),
                        ("rotated_at", models.DateTimeField(blank=True, null=True, verbose_name="密钥轮换时间")),
                        ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="最近调用时间")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="登记人",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="api_clients",
                                to="liaison.region",
                                verbose_name="服务区域",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "热线接口客户端",
                        "verbose_name_plural": "热线接口客户端",
                        "db_table": "stations_apiclient",
                        "ordering": ["region__path", "name"],
                    },
                    bases=(liaison.models.ChoiceDisplayMixin, models.Model),
                ),
                migrations.CreateModel(
                    name="HotlineWorkOrder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        (
                            "direction",
                            models.CharField(
                                choices=[("outbound", "转出"), ("inbound", "转入")],
                                db_index=True,
                                max_length=16,
                                verbose_name="方向",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "待发送"),
                                    ("sent", "已发送"),
                                    ("failed", "发送失败"),
                                    ("accepted", "已受理"),
                                    ("closed", "已办结"),
                                ],
                                db_index=True,
                                default="pending",
                                max_length=16,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "external_id",
                            models.CharField(blank=True, db_index=True, max_length=64, verbose_name="热线工单号"),
                        ),
                        ("payload", models.JSONField(blank=True, default=dict, verbose_name="工单内容")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="发送时间")),
                        ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="办结时间")),
                        ("last_error", models.TextField(blank=True, verbose_name="最近错误")),
                        ("result", models.TextField(blank=True, verbose_name="办理结果")),
                        ("deadline", models.DateTimeField(blank=True, null=True, verbose_name="办理时限")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="发送次数")),
                        (
                            "client",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="work_orders",
                                to="hotline.apiclient",
                                verbose_name="热线系统",
                            ),
                        ),
                        (
                            "deputy",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="hotline_work_orders",
                                to="deputies.deputy",
                                verbose_name="代表专线代表",
                            ),
                        ),
                        (
                            "opinion",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="work_orders",
                                to="stations.opinion",
                                verbose_name="群众意见",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "12345工单",
                        "verbose_name_plural": "12345工单",
                        "db_table": "stations_hotlineworkorder",
                        "ordering": ["-created_at", "-id"],
                    },
                    bases=(liaison.models.ChoiceDisplayMixin, models.Model),
                ),
                migrations.CreateModel(
                    name="HotlineWorkOrderStatusChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "from_status",
                            models.CharField(
                                choices=[
                                    ("pending", "待发送"),
                                    ("sent", "已发送"),
                                    ("failed", "发送失败"),
                                    ("accepted", "已受理"),
                                    ("closed", "已办结"),
                                ],
                                max_length=16,
                                verbose_name="原状态",
                            ),
                        ),
                        (
                            "to_status",
                            models.CharField(
                                choices=[
                                    ("pending", "待发送"),
                                    ("sent", "已发送"),
                                    ("failed", "发送失败"),
                                    ("accepted", "已受理"),
                                    ("closed", "已办结"),
                                ],
                                max_length=16,
                                verbose_name="新状态",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="说明")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="操作人",
                            ),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="hotline.apiclient",
                                verbose_name="热线系统",
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="status_changes",
                                to="hotline.hotlineworkorder",
                                verbose_name="工单",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "工单状态变更",
                        "verbose_name_plural": "工单状态变更",
                        "db_table": "stations_hotlineworkorderstatuschange",
                        "ordering": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=128, verbose_name="幂等键")),
                        ("request_hash", models.CharField(max_length=64, verbose_name="请求摘要")),
                        (
                            "response_status",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="响应状态"),
                        ),
                        ("response_body", models.TextField(blank=True, verbose_name="响应内容")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="idempotency_records",
                                to="hotline.apiclient",
                                verbose_name="客户端",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "幂等记录",
                        "verbose_name_plural": "幂等记录",
                        "db_table": "stations_idempotencyrecord",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ApiNonce",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("nonce", models.CharField(max_length=64, verbose_name="随机串")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="nonces",
                                to="hotline.apiclient",
                                verbose_name="客户端",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "请求随机串",
                        "verbose_name_plural": "请求随机串",
                        "db_table": "stations_apinonce",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.UniqueConstraint(fields=("client", "nonce"), name="api_nonce_unique_per_client")
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="hotlineworkorder",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("external_id", ""), _negated=True),
                        fields=("client", "direction", "external_id"),
                        name="work_order_unique_external_id",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="idempotencyrecord",
                    constraint=models.UniqueConstraint(
                        fields=("client", "key"), name="idempotency_unique_key_per_client"
                    ),
                ),
            ],
        ),
    ]
