"""The embedded default (SQLite file, no servers) under concurrent writers: WAL, busy timeout, BEGIN IMMEDIATE, and
Celery tasks that retry a write that still met "database is locked"."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import OperationalError

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
"""

# Each writer reads then writes inside one transaction, the pattern that fails at once under SQLite's default
# DEFERRED transactions ("database is locked" on the upgrade to a write lock), 60 times.
WRITER = """
import os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.db import transaction
from liaison.models import Region
name = sys.argv[1]
for i in range(60):
    with transaction.atomic():
        Region.objects.filter(code__startswith="99").count()
        Region.objects.create(code=f"99{name}{i:04d}", name=f"{name}{i}", level=4)
print("OK")
"""


def _env(tmp_path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://embedded",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "ERROR",
    }


def test_two_concurrent_writers_on_the_sqlite_file_both_succeed(tmp_path):
    env = _env(tmp_path)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    assert setup.stdout.strip().splitlines()[-1] == "wal"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("1", "2")
    ]
    results = [(w.wait(timeout=300), *w.communicate()) for w in writers]
    for returncode, stdout, stderr in results:
        assert returncode == 0, stderr[-3000:]
        assert stdout.strip() == "OK"
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP.replace('"PRAGMA journal_mode"', "\"SELECT count(*) FROM liaison_region WHERE code LIKE '99%'\""),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.stdout.strip().splitlines()[-1] == "120"


def test_a_task_that_meets_database_is_locked_is_retried_until_it_succeeds(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    calls = []

    @app.task(name="tests.flaky_locked_write")
    def flaky_locked_write():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "written"

    assert flaky_locked_write.apply().get() == "written"
    assert len(calls) == 3


def test_other_operational_errors_are_not_retried_by_the_locked_rule():
    calls = []

    @app.task(name="tests.broken_write")
    def broken_write():
        calls.append(1)
        raise OperationalError("no such table: x")

    result = broken_write.apply()
    assert isinstance(result.result, OperationalError)
    assert len(calls) == 1
