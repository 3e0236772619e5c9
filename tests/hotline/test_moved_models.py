"""The 12345 models moved from stations to the hotline app: rows written before the move are read through the new
models, their permissions and admin history follow them, and the Celery tasks keep their registered names."""

import pytest
from celery import current_app as celery_app
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hotline.models import ApiClient, HotlineWorkOrder, HotlineWorkOrderStatusChange, IdempotencyRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BEFORE_THE_MOVE = [("stations", "0009_opinion_source_created_index"), ("hotline", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_rows_written_before_the_move_are_read_through_the_hotline_models(regions):
    user = UserFactory(username="perm_holder")
    _migrate(BEFORE_THE_MOVE)
    try:
        old_type = ContentType.objects.get(app_label="stations", model="hotlineworkorder")
        assert not ContentType.objects.filter(app_label="hotline").exists()
        permission = Permission.objects.get(content_type=old_type, codename="change_hotlineworkorder")
        user.user_permissions.add(permission)
        now = timezone.now()
        with connection.cursor() as cursor:  # rows as the stations app wrote them
            cursor.execute(
                "INSERT INTO stations_apiclient (created_at, updated_at, name, region_id, key_id, key_hash, "
                "ip_allowlist, endpoint_url, throttle_rate) VALUES (%s, %s, '老热线', %s, 'hk_old', %s, '', "
                "'https://12345.example.cn/orders', '60/min') RETURNING id",
                [now, now, regions["zhuzhou"].pk, "0" * 64],
            )
            client_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO stations_hotlineworkorder (created_at, updated_at, direction, status, external_id, "
                "payload, last_error, client_id, result, attempts) VALUES (%s, %s, 'outbound', 'sent', 'RX-1', "
                "'{\"title\": \"路灯不亮\"}', '', %s, '', 1) RETURNING id",
                [now, now, client_id],
            )
            order_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO stations_hotlineworkorderstatuschange (order_id, from_status, to_status, client_id, "
                "note, created_at) VALUES (%s, 'pending', 'sent', %s, '已推送至 12345', %s)",
                [order_id, client_id, now],
            )
            cursor.execute(
                "INSERT INTO stations_idempotencyrecord (client_id, key, request_hash, response_status, "
                "response_body, created_at) VALUES (%s, 'k-1', 'h', 201, '{}', %s)",
                [client_id, now],
            )
        LogEntry.objects.create(
            user=user, content_type=old_type, object_id=str(order_id), object_repr="RX-1", action_flag=CHANGE
        )
    finally:
        _migrate(_leaves())
    ContentType.objects.clear_cache()

    order = HotlineWorkOrder.objects.select_related("client").get(pk=order_id)
    assert (order.external_id, order.status, order.payload, order.client.name) == (
        "RX-1",
        "sent",
        {"title": "路灯不亮"},
        "老热线",
    )
    assert list(HotlineWorkOrderStatusChange.objects.filter(order=order).values_list("to_status", flat=True)) == [
        "sent"
    ]
    assert IdempotencyRecord.objects.get(client=order.client).response_status == 201
    assert ApiClient.objects.get(pk=client_id).throttle_rate == "60/min"

    # The same content type row, relabelled: permissions, their holders and the admin history follow the model.
    new_type = ContentType.objects.get_for_model(HotlineWorkOrder)
    assert (new_type.pk, new_type.app_label) == (old_type.pk, "hotline")
    assert not ContentType.objects.filter(app_label="stations", model="hotlineworkorder").exists()
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    assert user.has_perm("hotline.change_hotlineworkorder")
    assert LogEntry.objects.get(object_id=str(order_id)).get_edited_object() == order


def test_the_content_type_migration_is_safe_to_re_run(regions):
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    migration = import_module("hotline.migrations.0002_content_types_from_stations")
    (relabel,) = migration.Migration.operations
    before = sorted(ContentType.objects.filter(app_label="hotline").values_list("pk", "model"))
    relabel.code(apps, connection.schema_editor())
    assert sorted(ContentType.objects.filter(app_label="hotline").values_list("pk", "model")) == before
    assert len(before) == 5


def test_the_tasks_keep_the_names_they_were_registered_under_in_stations():
    import hotline.tasks  # noqa: F401  (as autodiscover_tasks loads it)

    for name in ("send_work_order", "send_pending_work_orders", "purge_hotline_replay_data"):
        task = celery_app.tasks[f"stations.hotline.tasks.{name}"]
        assert task.run.__module__ == "hotline.tasks"
