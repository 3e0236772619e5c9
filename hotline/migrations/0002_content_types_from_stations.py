"""The moved models' content types change app label from stations to hotline, so their permissions (and the
groups and users holding them) and the admin's change history keep pointing at them.

Safe to re-run: a model whose hotline content type exists already is left alone (post_migrate creates it on a
database where the stations one never existed)."""

from django.db import migrations

from liaison.migration_ops import relabel_content_types

MODELS = ("hotlineworkorder", "hotlineworkorderstatuschange", "apiclient", "apinonce", "idempotencyrecord")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("hotline", "0001_take_over_stations_tables"),
    ]

    operations = [relabel_content_types({model: ("stations", "hotline") for model in MODELS})]
