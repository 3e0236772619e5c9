import pytest
from django.core.management import call_command
from django.db import connection

from deputies.models import Deputy, Membership
from liaison.models import AuditLog, Region
from tests.factories import CongressFactory, MembershipFactory


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_a_seeded_database(tmp_path, regions):
    congress = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory.create_batch(25, congress=congress)
    AuditLog.objects.create(action="test.seed", actor_repr="测试")
    before = {
        "regions": Region.objects.count(),
        "deputies": Deputy.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditLog.objects.count(),
    }
    dump = tmp_path / "liaison.dump"

    call_command("backup", output=str(dump))
    assert dump.stat().st_size > 0

    Membership.objects.all().delete()
    Deputy.objects.all().delete()
    with connection.cursor() as cursor:  # audit rows cannot be deleted: empty the table the way a disaster would
        cursor.execute("TRUNCATE liaison_auditlog")
    assert Membership.objects.count() == 0

    call_command("restore", str(dump), yes=True)
    after = {
        "regions": Region.objects.count(),
        "deputies": Deputy.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditLog.objects.count(),
    }
    assert after == before
    # the append-only trigger came back with the data
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'liaison_auditlog_no_change'")
        assert cursor.fetchone()[0] == 1
