"""The 12345 models move to the hotline app (hotline 0001 takes them over): stations forgets them in the
migration state only; the tables and their rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0009_opinion_source_created_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (Meta.db_table keeps their stations_* names): state only.
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="apiclient",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="apiclient",
                    name="region",
                ),
                migrations.RemoveField(
                    model_name="idempotencyrecord",
                    name="client",
                ),
                migrations.RemoveField(
                    model_name="hotlineworkorderstatuschange",
                    name="client",
                ),
                migrations.RemoveField(
                    model_name="hotlineworkorder",
                    name="client",
                ),
                migrations.RemoveField(
                    model_name="hotlineworkorder",
                    name="deputy",
                ),
                migrations.RemoveField(
                    model_name="hotlineworkorder",
                    name="opinion",
                ),
                migrations.RemoveField(
                    model_name="hotlineworkorderstatuschange",
                    name="order",
                ),
                migrations.RemoveField(
                    model_name="hotlineworkorderstatuschange",
                    name="actor",
                ),
                migrations.DeleteModel(
                    name="ApiNonce",
                ),
                migrations.DeleteModel(
                    name="IdempotencyRecord",
                ),
                migrations.DeleteModel(
                    name="ApiClient",
                ),
                migrations.DeleteModel(
                    name="HotlineWorkOrder",
                ),
                migrations.DeleteModel(
                    name="HotlineWorkOrderStatusChange",
                ),
            ],
        ),
    ]
