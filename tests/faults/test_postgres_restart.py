"""PostgreSQL restarted under load: gunicorn (2 workers, the test settings, CONN_HEALTH_CHECKS on) keeps serving,
requests fail for at most a few seconds around the restart and then succeed without restarting the app, and no
interrupted write leaves half a record behind (a draft is three rows: proposal, status change, audit row)."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from liaison.models import AuditLog, User
from proposals.models import Proposal, ProposalStatusChange
from tests.factories import CongressFactory, MembershipFactory, UserFactory
from tests.faults.conftest import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
MAX_OUTAGE_SECONDS = 8  # first to last failed request
SETTLE_SECONDS = 3  # after pg_ctl reports the server up, every request must succeed


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url():
    s = connection.settings_dict
    return f"postgres://{s.get('USER') or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _post_draft(base, auth, congress_id, n):
    body = json.dumps({"congress": congress_id, "title": f"关于第{n}个路口增设信号灯的建议", "content": "建议增设。"})
    request = urllib.request.Request(
        f"{base}/api/v1/proposals/drafts/",
        data=body.encode(),
        headers={"Content-Type": "application/json", **auth},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        return type(exc).__name__


def test_the_app_rides_out_a_postgres_restart(regions, postgres_server, tmp_path):
    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    user = UserFactory(username="deputy_zz", role=User.Role.DEPUTY)
    MembershipFactory(congress=congress, deputy__user=user)
    browser = Client()
    browser.force_login(user)  # the API takes a session, never a password per request
    csrf = _get_new_csrf_string()
    auth = {"Cookie": f"sessionid={browser.cookies['sessionid'].value}; csrftoken={csrf}", "X-CSRFToken": csrf}
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    results, stop = [], threading.Event()

    def drive():
        n = 0
        while not stop.is_set():
            n += 1
            results.append((time.monotonic(), _post_draft(base, auth, congress.pk, n)))
            time.sleep(0.02)

    try:
        wait_for(lambda: _post_draft(base, auth, congress.pk, 0) == 201, timeout=30, interval=0.3, message="gunicorn")
        driver = threading.Thread(target=drive, daemon=True)
        driver.start()
        wait_for(lambda: sum(1 for _t, s in results if s == 201) >= 10, timeout=30, message="load before restart")
        restarted_at = time.monotonic()
        restart = postgres_server(
            "restart", "-m", "fast", "-w", "-l", str(Path(os.environ["PG_DATA"]).parent / "postgres.log")
        )
        assert restart.returncode == 0, restart.stderr
        back_at = time.monotonic()
        wait_for(
            lambda: sum(1 for t, s in results if t > back_at + SETTLE_SECONDS and s == 201) >= 10,
            timeout=30,
            message="load after the restart",
        )
        stop.set()
        driver.join(timeout=10)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=20)
        log.close()
    connections.close_all()  # the test's own connection died with the restart

    failures = [t for t, s in results if s != 201]
    print(f"requests: {len(results)}, failed: {len(failures)}, restart took {back_at - restarted_at:.1f}s")
    if failures:
        window = max(failures) - min(failures)
        assert window <= MAX_OUTAGE_SECONDS, (window, [s for _t, s in results if s != 201][:10])
        assert min(failures) >= restarted_at - 1
    after = [s for t, s in results if t > back_at + SETTLE_SECONDS]
    assert after and all(s == 201 for s in after), after[:10]
    # all or nothing: every draft that exists has its status change and its audit row, and nothing else exists
    drafts = set(Proposal.objects.values_list("pk", flat=True))
    assert drafts == set(ProposalStatusChange.objects.values_list("proposal_id", flat=True))
    audited = AuditLog.objects.filter(action="proposal.create_draft").values_list("object_id", flat=True)
    assert drafts == {int(pk) for pk in audited}
    assert len(drafts) >= sum(1 for _t, s in results if s == 201)
