"""`make run`'s embedded default: SQLite, no servers. The rest of the suite runs on PostgreSQL, so a read that only
PostgreSQL accepts would break a new user's first run unseen. Here, in a separate process on a fresh SQLite file:
migrate, load the demo data, and open every role's main pages in both languages."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES = """
import os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from liaison.models import User

call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
pages = {
    "staff_zz": ["/", "/proposals/", "/proposals/?page_size=5", "/api/v1/proposals/", "/stations/opinions/",
                 "/dashboard/", "/proposals/overdue/", "/proposals/key/", "/proposals/ledger/", "/deputies/roster/",
                 "/proposals/review/", "/api/v1/opinions/", "/notifications/"],
    "unit_zz_zj": ["/", "/proposals/unit/", "/api/v1/proposals/"],
    "deputy_zz": ["/deputies/portal/", "/proposals/", "/api/v1/proposals/"],
    "manager_zz": ["/", "/stations/opinions/"],
    "": ["/stations/directory/", "/stations/s/1/", "/open311/v2/services.json", "/public/"],
}
failed = []
for username, paths in pages.items():
    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        client.force_login(User.objects.get(username=username))
    for language in ("zh-hans", "en"):
        for path in paths:
            status = client.get(path, HTTP_ACCEPT_LANGUAGE=language).status_code
            if status != 200:
                failed.append(f"{username or 'anonymous'} {path} {language}: {status}")
print("FAILED " + "; ".join(failed) if failed else "ALL 200")
"""


def test_make_run_default_serves_every_role_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://embedded",
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "ERROR",
    }
    result = subprocess.run(
        [sys.executable, "-c", PAGES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip().splitlines()[-1] == "ALL 200", result.stdout[-4000:] + result.stderr[-4000:]
