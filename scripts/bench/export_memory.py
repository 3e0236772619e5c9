"""Time and memory of the roster export, each case in a fresh process, on a database the benchmark has seeded.

    source /work/benchsvc.env; export DJANGO_SETTINGS_MODULE=liaison.settings.bench
    .venv/bin/python scripts/bench/export_memory.py [--case bench_staff_city:xlsx] [--case bench_staff:csv]

Each case runs ``/deputies/roster/export/`` (``?format=csv`` for csv) through Django's test client as that user
and prints the seconds until the whole file, the first byte, the rows, the file size, the process's resident
memory before the request, its peak (``ru_maxrss``) and what it keeps resident afterwards. A fresh process per
case, so that one case's peak does not hide the next one's.

It writes nothing to the database but the audit row the export itself writes: the session lives in a signed
cookie (no session row, no ``last_login`` update, no login signal).
"""

import argparse
import json
import subprocess
import sys
import time
import zipfile
from io import BytesIO
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


def run_case(username, fmt):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import gc

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.http import HttpResponse
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
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    path = "/deputies/roster/export/" + ("?format=csv" if fmt == "csv" else "")
    client.get("/bench/floor")  # middleware and URLconf loaded before the baseline
    gc.collect()
    before = _rss_mb()

    started = time.monotonic()
    if fmt == "job":  # the background job's runner (liaison.jobs), as the worker calls it
        from django.http import QueryDict

        from liaison.jobs import deputy_roster

        class Silent:  # a JobReporter that tells nobody
            def __call__(self, done, total=None, message=""):
                pass

            def counting(self, rows, total):
                return rows

        result = deputy_roster(user=user, params=QueryDict(), report=Silent())
        response = HttpResponse(result.content)
    else:
        response = client.get(path)
    status = response.status_code
    first_byte = None
    size = 0
    rows = 0
    keep = BytesIO() if fmt in ("xlsx", "job") else None
    if response.streaming:
        for chunk in response.streaming_content:
            if first_byte is None:
                first_byte = time.monotonic() - started
            size += len(chunk)
            if keep is not None:
                keep.write(chunk)
            else:
                rows += chunk.count(b"\n")
    else:
        first_byte = time.monotonic() - started  # nothing is sent before the whole body is built
        size = len(response.content)
        if keep is not None:
            keep.write(response.content)
        else:
            rows = response.content.count(b"\n")
    total = time.monotonic() - started
    peak = _peak_mb()
    response.close()
    del response
    gc.collect()
    after = _rss_mb()
    if keep is not None:
        with zipfile.ZipFile(keep) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
            tail = b""
            while block := sheet.read(1 << 20):
                rows += (tail + block).count(b"<row ")
                tail = block[-4:]
    return {
        "user": username,
        "format": fmt,
        "status": status,
        "rows": max(rows - 1, 0),  # the header row
        "mb": size / 1e6,
        "seconds": total,
        "first_byte_s": first_byte if first_byte is not None else total,
        "rss_before_mb": before,
        "peak_rss_mb": peak,
        "rss_after_mb": after,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", help="username:xlsx, username:csv or username:job (repeatable)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        username, fmt = args.child.split(":")
        print(json.dumps(run_case(username, fmt)))
        return
    print(
        f"{'user':<18} {'fmt':<5} {'rows':>8} {'MB':>6} {'seconds':>8} {'1st byte':>9} "
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
            f"{r['user']:<18} {r['format']:<5} {r['rows']:>8,} {r['mb']:>6.1f} {r['seconds']:>8.2f} "
            f"{r['first_byte_s']:>9.2f} {r['rss_before_mb']:>8.0f}MB {r['peak_rss_mb']:>7.0f}MB "
            f"{r['rss_after_mb']:>7.0f}MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
