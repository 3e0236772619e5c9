"""The moved models' content types change app label from stations to hotline, so their permissions (and the
groups and users holding them) and the admin's change history keep pointing at them.

Safe to re-run: a model whose hotline content type exists already is left alone (post_migrate creates it on a
database where the stations one never existed)."""

from django.db import migrations

MODELS = ("hotlineworkorder", "hotlineworkorderstatuschange", "apiclient", "apinonce", "idempotencyrecord")


def _relabel(apps, old, new):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if content_types.objects.filter(app_label=new, model=model).exists():
            continue
        content_types.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "stations", "hotline")


def backwards(apps, schema_editor):
    _relabel(apps, "hotline", "stations")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("hotline", "0001_take_over_stations_tables"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
