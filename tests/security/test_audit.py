"""The audit log: one test per category of event, the database's refusal to change rows, and retention.

Retention: audit rows are kept at least 180 days (网络安全法 第二十一条: logs kept no less than six months). The
application has no code path that deletes them (checked below over the whole source tree), the database refuses
UPDATE, DELETE and TRUNCATE on liaison_auditlog, and archiving older rows is an operator's job on the database
server (pg_dump of the table), never the application's.
"""

import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from liaison.models import AuditLog
from tests.deputies.conftest import roster_row, xlsx_bytes
from tests.deputies.test_roster_admin_and_export import upload
from tests.security.helpers import password_just_entered

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_logins_are_audited_with_who_when_where_and_result(client, staff_zz, password):
    client.post(reverse("login"), {"username": "staff_zz", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    client.post(reverse("login"), {"username": "staff_zz", "password": password}, REMOTE_ADDR="10.0.0.7")
    failed = AuditLog.objects.get(action="auth.login_failed")
    assert (failed.result, failed.ip_address, failed.data["username"]) == ("failed", "10.0.0.7", "staff_zz")
    ok = AuditLog.objects.get(action="auth.login")
    assert (ok.actor, ok.result, ok.ip_address) == (staff_zz, "ok", "10.0.0.7")
    assert ok.created_at is not None


def test_refusals_on_scoped_objects_are_audited_on_pages_and_api(client, world):
    client.force_login(world.users["other_staff"])
    assert client.get(reverse("proposals:detail", args=[world["proposal"].pk])).status_code == 404
    assert client.get(f"/api/v1/opinions/{world['opinion'].pk}/").status_code == 404
    client.force_login(world.users["deputy"])
    assert client.get("/api/v1/proposals/figures/").status_code == 403
    denied = AuditLog.objects.filter(action="access.denied", result="denied")
    assert set(denied.values_list("object_type", flat=True)) >= {"proposals.proposal", "stations.opinion", "api"}
    assert denied.filter(actor=world.users["other_staff"]).count() >= 2


def test_viewing_a_whole_mobile_number_is_audited(client, world):
    client.force_login(world.users["staff"])
    response = client.post(reverse("stations:opinion_call_back", args=[world["opinion"].pk]))
    assert response.status_code == 200
    row = AuditLog.objects.get(action="opinion.view_mobile")
    assert (row.actor, row.object_id, row.ip_address) == (world.users["staff"], str(world["opinion"].pk), "127.0.0.1")


@pytest.mark.parametrize(
    ("name", "action"),
    [("deputies:roster_export", "roster.export"), ("proposals:export", "proposal.export")],
)
def test_exports_are_audited(client, world, name, action):
    client.force_login(world.users["staff"])
    password_just_entered(client)
    assert client.get(reverse(name)).status_code == 200
    assert AuditLog.objects.filter(action=action, actor=world.users["staff"]).count() == 1


def test_roster_imports_are_audited(client, staff_zz, regions):
    from tests.factories import CongressFactory

    CongressFactory(region=regions["zhuzhou"], level=2, term=16, name="株洲市第十六届人民代表大会")
    client.force_login(staff_zz)
    preview = upload(client, xlsx_bytes([roster_row()]))
    confirm = preview.context["confirm_form"]
    client.post("/admin/deputies/membership/process_import/", {n: confirm.initial.get(n, "") for n in confirm.fields})
    row = AuditLog.objects.get(action="roster.import")
    assert row.actor == staff_zz
    assert row.data["rows"] == 1


def test_every_proposal_state_change_is_audited(world):
    proposal = world["proposal"]
    changes = list(proposal.status_changes.values_list("to_status", flat=True))
    audited = set(
        AuditLog.objects.filter(object_type="proposals.proposal", object_id=str(proposal.pk)).values_list(
            "action", flat=True
        )
    )
    assert len(changes) >= 3
    assert len(audited) >= len(changes)


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_delete_or_truncate_audit_rows(staff_zz):
    row = AuditLog.objects.create(action="test.event", actor_repr="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).delete()
    # The application's role (not a superuser, which may bypass anything) cannot TRUNCATE even with the privilege.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE liaison_app_probe NOLOGIN")
        cursor.execute("GRANT SELECT, UPDATE, DELETE, TRUNCATE ON liaison_auditlog TO liaison_app_probe")
        cursor.execute("SET LOCAL ROLE liaison_app_probe")
        cursor.execute("TRUNCATE liaison_auditlog")
    assert AuditLog.objects.get(pk=row.pk).action == "test.event"


def test_no_application_code_deletes_audit_rows():
    pattern = re.compile(r"AuditLog\b[^\n]*\.(delete|update|_raw_delete)\(|DELETE FROM liaison_auditlog", re.I)
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if any(part in {".venv", "tests", "migrations", "var"} for part in path.relative_to(ROOT).parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
