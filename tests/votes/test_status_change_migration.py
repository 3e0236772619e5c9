"""The migration to the workflow core's history base keeps every status-change row and its note."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from votes import services
from votes.models import VoteSessionStatusChange

BEFORE = [("votes", "0002_uploads_checked_by_content")]
AFTER = [("votes", "0003_status_changes_from_workflow_core")]


def _rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_id, from_status, to_status, note FROM votes_votesessionstatuschange ORDER BY id")
        return cursor.fetchall()


def _note_type():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'votes_votesessionstatuschange' AND column_name = 'note'"
        )
        return cursor.fetchone()[0]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_keeps_every_status_change(draft_session, staff_zz):
    session = services.session_open(actor=staff_zz, session=draft_session)
    services.session_close(actor=staff_zz, session=session)
    VoteSessionStatusChange.objects.filter(session=session, to_status="closed").update(note="计票完成，结果待公布")
    rows = _rows()
    assert rows[-1][3] == "计票完成，结果待公布"
    assert [(r[1], r[2]) for r in rows] == [("draft", "open"), ("open", "closed")]
    assert _note_type() == "text"
    try:
        _migrate(BEFORE)
        assert _note_type() == "character varying"
        assert _rows() == rows
    finally:
        _migrate(AFTER)
    assert _note_type() == "text"
    assert _rows() == rows
    assert VoteSessionStatusChange.objects.filter(session=session).count() == 2
