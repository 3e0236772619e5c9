"""Time and memory of the roster export, each case in a fresh process, on a database the benchmark has seeded.

    source /work/benchsvc.env; export DJANGO_SETTINGS_MODULE=config.settings.bench
    .venv/bin/python scripts/bench/export_memory.py [--case bench_staff_city:xlsx] [--case bench_staff:csv]

Each case runs ``/deputies/roster/export/`` (``?format=csv`` for csv) through Django's test client as that user
and prints the seconds until the whole file, the first byte, the rows, the file size, the process's resident
memory before the request, its peak (``ru_maxrss``) and what it keeps resident afterwards. A fresh process per
case, so that one case's peak does not hide the next one's. ``user:xlsx:4`` runs four exports at once in threads,
as a gunicorn gthread worker may; ``user:job`` calls the background job's runner (``deputies.jobs.deputy_roster``).
"1st row" is when the first data row arrived (CSV; the whole file for .xlsx).

It writes nothing to the database but the audit row the export itself writes: the session lives in a signed
cookie (no session row, no ``last_login`` update, no login signal).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CASES = ["bench_staff_city:xlsx", "bench_staff_city:csv", "bench_staff_city:job", "bench_staff:csv"]


def _rss_mb():
    """Resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_case(username, fmt, threads=1):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.db import connections
    from django.test import Client
    from django.test.utils import override_settings

    from liaison import reauth
    from liaison.models import User

    override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies").enable()
    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "liaison.auth.UsernameOrMobileBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[reauth.SESSION_KEY] = int(time.time())
    session.save()
    path = "/deputies/roster/export/" + ("?format=csv" if fmt == "csv" else "")

    def client():
        browser = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
        browser.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        return browser

    def chunks():
        """The body as it is sent: the response's chunks, or the job's finished file at once."""
        if fmt == "job":  # the background job's runner (deputies.jobs), as the Celery worker calls it
            from django.http import QueryDict

            from deputies.jobs import deputy_roster

            class Silent:  # a JobReporter that tells nobody
                def __call__(self, done, total=None, message=""):
                    pass

                def counting(self, rows, total):
                    return rows

            yield 200, deputy_roster(user=user, params=QueryDict(), report=Silent()).content
            return
        response = client().get(path)
        yield response.status_code, b""
        yield from (
            (None, chunk) for chunk in (response.streaming_content if response.streaming else [response.content])
        )
        response.close()

    def one(_index=0):
        started = time.monotonic()
        status, first_byte, first_row, size, rows = None, None, None, 0, 0
        with tempfile.TemporaryFile() as body:  # the client's copy stays out of the measured memory
            for code, chunk in chunks():
                status = status or code
                if not chunk:
                    continue
                first_byte = first_byte or time.monotonic() - started
                size += len(chunk)
                body.write(chunk)
                if fmt == "csv":
                    rows += chunk.count(b"\n")
                    if rows > 1 and first_row is None:
                        first_row = time.monotonic() - started
            total = time.monotonic() - started
            if fmt != "csv" and status == 200:
                body.seek(0)
                with zipfile.ZipFile(body) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
                    tail = b""
                    while block := sheet.read(1 << 20):
                        rows += (tail + block).count(b"<row ")
                        tail = block[-4:]
        connections.close_all()
        return {
            "status": status,
            "rows": max(rows - 1, 0),  # the header row
            "mb": size / 1e6,
            "seconds": total,
            "first_byte_s": first_byte or total,
            "first_row_s": first_row or total,
        }

    client().get("/bench/floor")  # middleware and URLconf loaded before the baseline
    gc.collect()
    before = _rss_mb()
    if threads > 1:  # like a gunicorn gthread worker serving several exports at once
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(one, range(threads)))
    else:
        results = [one()]
    peak = _peak_mb()
    gc.collect()
    slowest = max(results, key=lambda r: r["seconds"])
    return {
        **slowest,
        "status": max(r["status"] for r in results),
        "user": username,
        "format": fmt + (f"×{threads}" if threads > 1 else ""),
        "rss_before_mb": before,
        "peak_rss_mb": peak,
        "rss_after_mb": _rss_mb(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--case", action="append", help="username:xlsx, username:csv or username:job, optionally :N threads at once"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        username, fmt, *threads = args.child.split(":")
        print(json.dumps(run_case(username, fmt, int(threads[0]) if threads else 1)))
        return
    print(
        f"{'user':<18} {'format':<7} {'rows':>8} {'MB':>6} {'seconds':>8} {'1st byte':>9} {'1st row':>8} "
        f"{'RSS before':>10} {'peak RSS':>9} {'RSS after':>9}"
    )
    for case in args.case or DEFAULT_CASES:
        done = subprocess.run(  # noqa: S603 - our own script, our own arguments
            [sys.executable, __file__, "--child", case], capture_output=True, text=True, check=False
        )
        if done.returncode:
            print(f"{case}: failed\n{done.stderr[-3000:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        if r["status"] != 200:
            print(f"{case}: status {r['status']}")
            continue
        print(
            f"{r['user']:<18} {r['format']:<7} {r['rows']:>8,} {r['mb']:>6.1f} {r['seconds']:>8.2f} "
            f"{r['first_byte_s']:>9.2f} {r['first_row_s']:>8.2f} {r['rss_before_mb']:>8.0f}MB {r['peak_rss_mb']:>7.0f}MB "
            f"{r['rss_after_mb']:>7.0f}MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
