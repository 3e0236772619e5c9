"""Operations the apps' migrations share."""

from django.db import migrations


def relabel_content_types(moves):
    """A ``RunPython`` that moves content types between apps, for models moved by state-only migrations, so the
    permissions granted on them (and the groups and users holding them) and the admin's history stay attached.

    ``moves`` maps a model name to ``(old_app_label, new_app_label)``. Safe to re-run and reversible: a model whose
    content type already exists under the target label (``post_migrate`` created it on a database that never had
    the old one) is left as it is.
    """

    def relabel(apps, schema_editor, *, forward):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
        for model, (old, new) in moves.items():
            source, target = (old, new) if forward else (new, old)
            if content_types.filter(app_label=target, model=model).exists():
                continue
            content_types.filter(app_label=source, model=model).update(app_label=target)

    def forwards(apps, schema_editor):
        relabel(apps, schema_editor, forward=True)

    def backwards(apps, schema_editor):
        relabel(apps, schema_editor, forward=False)

    return migrations.RunPython(forwards, backwards)
