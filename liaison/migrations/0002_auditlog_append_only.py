"""Audit rows are append-only: on PostgreSQL a trigger refuses UPDATE and DELETE, whoever asks."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION liaison_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'liaison_auditlog is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS liaison_auditlog_no_change ON liaison_auditlog;
CREATE TRIGGER liaison_auditlog_no_change BEFORE UPDATE OR DELETE ON liaison_auditlog
    FOR EACH ROW EXECUTE FUNCTION liaison_auditlog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS liaison_auditlog_no_change ON liaison_auditlog;
DROP FUNCTION IF EXISTS liaison_auditlog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("liaison", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
