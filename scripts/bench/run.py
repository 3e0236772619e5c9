#!/usr/bin/env python
"""The province-scale benchmark: seed, serve under gunicorn, load every face with locust, print and record the table.

    make bench                   # SCALE=1.0: services, migrate, seed, gunicorn, locust, docs/benchmarks.md
    make bench SCALE=0.01        # a quick run
    .venv/bin/python scripts/bench/run.py --scale 0.01 --seconds 5 --mix-seconds 20   (DATABASE_URL set)

Two measurements per scenario, in the same run and on the same gunicorn:
1. alone: locust users send that one request back to back for ``--seconds``: the throughput ceiling (req/s),
   printed as a share of the floor's (the bare view, ``/bench/floor``), and its latency at that ceiling;
2. the mix: every scenario together at ``--rate`` requests/s offered (100 by default), paced by
   ``constant_throughput``: p50/p95/p99 and errors there are the figures the targets speak of.
SQL statements per request come from the ``X-SQL-Count`` header of the bench settings' middleware.
"""

import argparse
import contextlib
import csv
import datetime
import json
import os
import platform
import re
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

VENV_BIN = Path(sys.executable).parent
NOT_AVAILABLE = "not available"

# Targets of issue 10.
P95_PAGE_MS, P99_PAGE_MS, P95_SUBMIT_MS = 150, 400, 200
LIST_SHARE_OF_FLOOR = 0.30
WORKER_RSS_MB = 250


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------- the plan


def build_plan(facts):
    """Scenarios with their URLs, found in the seeded database (ids, deep page numbers)."""
    from django.apps import apps

    from liaison.models import User
    from proposals.models import Proposal
    from proposals.selectors import LIST_KEYS

    staff = User.objects.get(username="bench_staff")
    visible = Proposal.objects.visible_to(staff).count()
    # Deep pages: the keyset cursor of the row 90% down the staff's list (found once here with an OFFSET; the
    # pages themselves never use one).
    deep_row = max(0, int(visible * 0.9) - 1)
    deep_cursor = _cursor_at(Proposal.objects.visible_to(staff), LIST_KEYS, deep_row)
    deep_page, deep_api = deep_row // 50 + 2, deep_row // 20 + 2
    s = []

    def add(name, path, role=None, kind="page", weight=10, users=8, **extra):
        s.append(
            {
                "name": name,
                "path": path,
                "role": role,
                "kind": kind,
                "weight": weight,
                "users": users,
                "available": True,
                **extra,
            }
        )

    def missing(name, kind="page"):
        s.append({"name": name, "path": "", "kind": kind, "available": False, "weight": 0})

    add("floor (bare Django view)", "/bench/floor", kind="floor", weight=0)
    # What every signed-in request pays before its own work, for reference (not in the mix): the same JSON behind
    # the session and the user's row, then the portal's empty page (header, menu, badge, footer).
    add("reference: floor signed in (session + user)", "/bench/floor/signed-in", "staff", kind="reference", weight=0)
    add("reference: empty page signed in (base layout)", "/bench/floor/page", "staff", kind="reference", weight=0)
    add("deputy portal home", "/deputies/portal/", "deputy")
    add("proposal list page, first", "/proposals/", "staff", kind="list")
    add(f"proposal list page, deep (~p{deep_page})", f"/proposals/?cursor={deep_cursor}", "staff", kind="list")
    add("proposal list API, first", "/api/v1/proposals/", "staff", kind="list")
    add(f"proposal list API, deep (~p{deep_api})", f"/api/v1/proposals/?cursor={deep_cursor}", "staff", kind="list")
    add("unit workbench by deadline", "/proposals/unit/", "unit", kind="list")
    add("staff workbench (home)", "/", "staff")
    if _has_url("dashboard:index"):
        add("staff dashboard", _reverse("dashboard:index"), "staff")
    else:
        missing("staff dashboard")
    if apps.is_installed("stations") and facts.get("station_id"):
        station = facts["station_id"]
        add("opinion list (staff)", "/stations/opinions/", "staff", kind="list")
        add("public station directory", "/stations/directory/", kind="list")
        add("public station page", f"/stations/s/{station}/")
        add(
            "QR opinion submission",
            f"/stations/s/{station}/opinion/",
            kind="submit",
            weight=5,
            form=f"/stations/s/{station}/opinion/",
            fields={
                "category": facts["category_id"],
                "content": "小区门口路灯坏了一个多月，晚上出行不安全，请尽快修复。",
                "citizen_name": "李女士",
                "website": "",
            },
            expect=302,
        )
    else:
        for name in ("public station directory", "public station page", "QR opinion submission"):
            missing(name)
    key_id, key = _bench_api_client() if apps.is_installed("stations") else (None, None)
    open311 = _open311_paths(key, facts) if key else []
    if open311:
        for name, path in open311:
            add(name, path, kind="list")
    else:
        missing("Open311 GET requests", "list")
    push = _hotline_push(key_id, key) if key else None
    if push:
        add(
            "hotline push (native API)",
            push["path"],
            None,
            kind="submit",
            weight=5,
            method="POST",
            sign=push["sign"],
            body=push["body"],
            expect=push["expect"],
        )
    else:
        missing("hotline push (native API)", "submit")
    # Alone only: the roster page starts its .xlsx as a background job (liaison/jobs.py), so no clerk waits on this
    # request in the mix; the direct URL is kept for scripts and measured here for the cost of building the file.
    add(
        f"roster export ({facts.get('roster_rows', '?'):,} rows, .xlsx)",
        "/deputies/roster/export/",
        "staff_city",
        kind="export",
        weight=0,
        users=2,
        seconds=40,  # a file takes longer than the other scenarios' whole window
    )
    return s


def _cursor_at(queryset, keys, index):
    from liaison.listing import encode_cursor

    values = queryset.order_by(*keys).values_list(*[k.lstrip("-") for k in keys])[index : index + 1]
    return encode_cursor(list(values[0])) if values else ""


def _has_url(name):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _reverse(name):
    from django.urls import reverse

    return reverse(name)


def _bench_api_client():
    """The seeded province's 12345 client, with a fresh key each run (only its hash is stored) and no throttle."""
    from hotline import auth
    from hotline.models import ApiClient
    from liaison.models import Region

    key_id, key = auth.new_key()
    province = Region.objects.order_by("path").first()
    client = ApiClient.objects.filter(name="bench 12345").first() or ApiClient(name="bench 12345", region=province)
    client.key_id, client.key_hash = key_id, auth.hash_key(key)
    client.ip_allowlist, client.throttle_rate, client.revoked_at = "", "100000/min", None
    client.save()
    return key_id, key


def _open311_paths(key, facts):
    """Open311 GeoReport v2 GET requests: services.json and requests.json, as the hotline's client.

    requests.json asks for one day of the seeded province (about 80 requests from the hotline, see seed.py), as a
    12345 system's daily reconciliation would: a fixed window ending where the seeded history ends, so the rows it
    reads are the same whichever scenario ran before (the push scenario adds thousands of work orders an hour, a
    rate no province has). Without that fact (an older seed), the last day.
    """
    from urllib.parse import quote

    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    until = parse_datetime(facts.get("opinions_until") or "") or timezone.now()
    since = until - datetime.timedelta(days=1)
    window = f"start_date={quote(since.replace(microsecond=0).isoformat())}"
    window += f"&end_date={quote(until.replace(microsecond=0).isoformat())}"
    paths = []
    for name, label, query in (
        ("open311-services", "Open311 GET services", f"?api_key={key}"),
        ("open311-requests", "Open311 GET requests", f"?api_key={key}&{window}"),
    ):
        with contextlib.suppress(NoReverseMatch):
            paths.append((label, reverse(name, kwargs={"fmt": "json"}) + query))
    return paths


def _hotline_push(key_id, key):
    """The native push: a new work order per request, signed as auth.py describes (the locust user signs)."""
    from django.urls import NoReverseMatch, reverse

    from stations.models import OpinionCategory

    try:
        path = reverse("hotline-work-order-push")
    except NoReverseMatch:
        return None
    category = OpinionCategory.objects.filter(is_active=True).order_by("id").first()
    return {
        "path": path,
        "sign": {"key_id": key_id, "key": key},
        "body": {
            "content": "市民来电反映：小区门口道路破损严重，雨天积水，老人孩子出行不便，请尽快维修。",
            "category": category.code if category else "other",
            "citizen": {"name": "王先生"},
        },
        "expect": 201,
    }


# ---------------------------------------------------------------------------------------------------- the server


class Gunicorn:
    def __init__(self, port, workers, threads, env):
        self.port, self.workers, self.threads, self.env = port, workers, threads, env
        self.process = None

    def start(self):
        self.log = open(tempfile.mktemp(prefix="bench-gunicorn-", suffix=".log"), "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi:application",
                "--config",
                str(ROOT / "gunicorn.conf.py"),  # production's (max-requests included); the flags below win
                "--worker-class",
                "gthread",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**self.env, "GUNICORN_ACCESS_LOG": ""},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        import urllib.request

        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/bench/floor", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start; see {self.log.name}")

    def worker_pids(self):
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def worker_rss_mb(self):
        result = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                result[pid] = int(match.group(1)) / 1024
        return result

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------------- HTTP helpers


def login(host, username, password):
    import requests

    session = requests.Session()
    page = session.get(f"{host}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{host}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{host}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"login of {username} failed: {response.status_code}")
    # Exports of personal data ask for the password again (liaison/reauth.py): type it once, as a clerk would.
    page = session.get(f"{host}/accounts/reauth/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token:
        session.post(
            f"{host}/accounts/reauth/",
            data={"password": password, "csrfmiddlewaretoken": token.group(1), "next": "/"},
            headers={"Referer": f"{host}/accounts/reauth/"},
            allow_redirects=False,
            timeout=30,
        )
    return f"sessionid={session.cookies['sessionid']}; csrftoken={session.cookies.get('csrftoken', '')}"


def probe(host, scenario, cookies):
    """One request: status and the X-SQL-Count header (for a form, the POST after a GET for its token)."""
    import requests

    headers = {}
    if scenario.get("role"):
        headers["Cookie"] = cookies[scenario["role"]]
    if scenario.get("form"):
        session = requests.Session()
        page = session.get(host + scenario["form"], timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        body = {**scenario["fields"], "csrfmiddlewaretoken": token, "mobile": "13900000000"}
        body["content"] += f"（探测 {time.time()}）"
        response = session.post(
            host + scenario["path"],
            data=body,
            allow_redirects=False,
            timeout=60,
            headers={"Referer": host + scenario["form"]},
        )
    elif scenario.get("sign"):
        from signing import signed_push

        body = {**scenario["body"], "hotline_id": f"PROBE-{time.time_ns()}"}
        raw, signed = signed_push(scenario["path"], body, scenario["sign"]["key_id"], scenario["sign"]["key"])
        response = requests.post(host + scenario["path"], data=raw, headers=signed, timeout=60)
    else:
        response = requests.request(
            scenario.get("method", "GET"),
            host + scenario["path"],
            headers={**headers, **(scenario.get("headers") or {})},
            data=scenario.get("body"),
            timeout=300,
        )
    return response.status_code, response.headers.get("X-SQL-Count", "?")


def stream_export(host, path, cookie, server):
    """Download an export, timing the first byte and the whole, sampling the workers' RSS meanwhile."""
    import requests

    peak = {"rss": 0.0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            rss = server.worker_rss_mb()
            if rss:
                peak["rss"] = max(peak["rss"], max(rss.values()))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    first = None
    size = lines = 0
    with requests.get(host + path, headers={"Cookie": cookie}, stream=True, timeout=600) as response:
        status = response.status_code
        for chunk in response.iter_content(65536):
            if first is None:
                first = time.monotonic() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
    total = time.monotonic() - started
    done.set()
    sampler.join()
    return {
        "status": status,
        "first_byte_s": first or total,
        "total_s": total,
        "bytes": size,
        "lines": lines,
        "peak_worker_rss_mb": peak["rss"],
    }


# ---------------------------------------------------------------------------------------------------- locust


def run_locust(plan_file, host, seconds, users, scenario=None, rate=None, workdir=None):
    prefix = Path(workdir) / f"locust-{int(time.time() * 1000)}"
    env = {**os.environ, "BENCH_PLAN": str(plan_file), "BENCH_USERS": str(users)}
    env.pop("BENCH_SCENARIO", None)
    env.pop("BENCH_RATE", None)
    if scenario:
        env["BENCH_SCENARIO"] = scenario
    if rate:
        env["BENCH_RATE"] = str(rate)
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "30",
            "--loglevel",
            "ERROR",
        ],
        env=env,
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(f"{prefix}.err", "w"),  # noqa: SIM115
    )
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] in ("Aggregated", "(form for csrf)"):
                continue
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    return rows


# ---------------------------------------------------------------------------------------------------- CPU


def tree_cpu_seconds(root_pid):
    """CPU seconds (user + system) of a process and its descendants, the exited ones included (their time is in
    their parent's cutime/cstime once reaped): a gunicorn master with workers replaced by max-requests, or a
    postmaster with its backends."""
    if not root_pid:
        return None
    children, own = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        own[pid] = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    if root_pid not in own:
        return None
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += own.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


def postmaster_pid():
    """The benchmark's PostgreSQL (scripts/services.sh exports PG_DATA), or None for a server elsewhere."""
    try:
        return int((Path(os.environ["PG_DATA"]) / "postmaster.pid").read_text().split()[0])
    except (KeyError, OSError, ValueError, IndexError):
        return None


class CpuMeter:
    """CPU seconds spent by the web tier (gunicorn), PostgreSQL and the load driver (locust, our child) between
    ``start()`` and ``stop()``; divided by the requests served, the CPU cost of one request on each side."""

    def __init__(self, server):
        self.server = server

    def _now(self):
        children = os.times()
        return {
            "app": tree_cpu_seconds(self.server.process.pid),
            "db": tree_cpu_seconds(postmaster_pid()),
            "driver": children.children_user + children.children_system,
        }

    def start(self):
        self.started = self._now()

    def per_request_ms(self, requests):
        ended = self._now()
        if not requests:
            return {}
        return {
            side: (ended[side] - self.started[side]) * 1000 / requests
            for side in ended
            if ended[side] is not None and self.started[side] is not None
        }


def capacity(results, rate):
    """Cores the mix at ``rate`` req/s needs, from each scenario's CPU per request (web + PostgreSQL) weighted as
    the mix weights them, at 70% utilisation (queues, and so p95, grow fast above that)."""
    mixed = [r for r in results if r["available"] and r["kind"] != "floor" and r.get("weight") and r.get("cpu")]
    weight = sum(r["weight"] for r in mixed)
    if not weight:
        return None
    cost = sum(r["weight"] * (r["cpu"].get("app", 0) + r["cpu"].get("db", 0)) for r in mixed) / weight
    return {"ms_per_request": cost, "cores": rate * cost / 1000 / 0.7}


# ---------------------------------------------------------------------------------------------------- the table


def machine():
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else "?",
        "cpu": cpu,
        "python": platform.python_version(),
        "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def fmt(value, spec="{:.0f}"):
    return NOT_AVAILABLE if value is None else spec.format(value)


def table(results):
    header = [
        "scenario",
        "req/s alone",
        "× floor",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "SQL/req",
        "mix req/s",
        "web CPU ms/req",
        "DB CPU ms/req",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in results:
        if not r["available"]:
            lines.append(f"| {r['name']} | " + " | ".join([NOT_AVAILABLE] * (len(header) - 1)) + " |")
            continue
        mix = r.get("mix") or {}
        alone = r.get("alone") or {}
        errors = alone.get("failures", 0) + mix.get("failures", 0)
        lines.append(
            f"| {r['name']} | {fmt(alone.get('rps'), '{:.1f}')} | {fmt(r.get('ratio'), '{:.2f}')} | "
            f"{fmt(mix.get('p50', alone.get('p50')))} | {fmt(mix.get('p95', alone.get('p95')))} | "
            f"{fmt(mix.get('p99', alone.get('p99')))} | {errors} | {r.get('sql', '?')} | "
            f"{fmt(mix.get('rps'), '{:.1f}')} | {fmt((r.get('cpu') or {}).get('app'), '{:.1f}')} | "
            f"{fmt((r.get('cpu') or {}).get('db'), '{:.1f}')} |"
        )
    return "\n".join(lines)


def verdicts(results, export, rss):
    """One line per target: ``MISSED …`` for each scenario that misses it, else ``met: …``; then the references."""
    misses = {key: [] for key in ("errors", "latency", "submit", "floor", "fastest", "export", "rss")}
    floor = next(r for r in results if r["kind"] == "floor")
    lists = [r for r in results if r["available"] and r["kind"] == "list" and r.get("alone")]
    fastest_list = max((r["alone"]["rps"] for r in lists), default=None)
    mixed = False
    for r in results:
        if not r["available"] or r["kind"] in ("floor", "reference"):
            continue
        mix = r.get("mix") or {}
        mixed = mixed or bool(mix)
        alone = r.get("alone") or {}
        errors = alone.get("failures", 0) + mix.get("failures", 0)
        if errors:
            misses["errors"].append(f"MISSED {r['name']}: {errors} errors")
        if r["kind"] in ("page", "list") and mix and (mix["p95"] > P95_PAGE_MS or mix["p99"] > P99_PAGE_MS):
            misses["latency"].append(
                f"MISSED {r['name']}: p95 {mix['p95']:.0f} ms / p99 {mix['p99']:.0f} ms in the mix "
                f"(target ≤ {P95_PAGE_MS} / ≤ {P99_PAGE_MS})"
            )
        if r["kind"] == "submit" and mix and mix["p95"] > P95_SUBMIT_MS:
            misses["submit"].append(f"MISSED {r['name']}: p95 {mix['p95']:.0f} ms (target ≤ {P95_SUBMIT_MS})")
        if r["kind"] == "list" and r.get("ratio") is not None and r["ratio"] < LIST_SHARE_OF_FLOOR:
            misses["floor"].append(f"MISSED {r['name']}: {r['ratio']:.0%} of the floor (target ≥ 30%)")
        if fastest_list and alone.get("rps") and r["kind"] in ("page", "list") and alone["rps"] * 5 < fastest_list:
            misses["fastest"].append(
                f"MISSED {r['name']}: {fastest_list / alone['rps']:.1f}× slower than the fastest list"
            )
    if export:
        if export["first_byte_s"] > 2:
            misses["export"].append(
                f"MISSED streamed export: first byte after {export['first_byte_s']:.1f} s (target ≤ 2 s)"
            )
        if export["peak_worker_rss_mb"] > 300:
            misses["export"].append(
                f"MISSED streamed export: worker peak {export['peak_worker_rss_mb']:.0f} MB (target < 300)"
            )
    for pid, mb in rss.items():
        if mb > WORKER_RSS_MB:
            misses["rss"].append(f"MISSED worker {pid}: {mb:.0f} MB resident after the run (target < {WORKER_RSS_MB})")
    met = {
        "errors": "met: no errors",
        "latency": f"met: every page and API p95 ≤ {P95_PAGE_MS} ms and p99 ≤ {P99_PAGE_MS} ms in the mix"
        if mixed
        else None,
        "submit": f"met: QR submission and hotline push p95 ≤ {P95_SUBMIT_MS} ms in the mix" if mixed else None,
        "floor": "met: every list at 30% of the floor or more",
        "fastest": "met: no page or list more than 5× slower than the fastest list",
        "export": "met: the streamed export starts within 2 s and its worker stays under 300 MB" if export else None,
        "rss": f"met: every worker under {WORKER_RSS_MB} MB resident after the run" if rss else None,
    }
    notes = []
    for key, lines in misses.items():
        notes += lines or ([met[key]] if met[key] else [])
    references = {r["kind"] + r["name"]: r for r in results if r["kind"] == "reference" and r.get("alone")}
    shares = sorted(r["ratio"] for r in lists if r.get("ratio") is not None)
    if references and shares:
        said = ", ".join(f"{r['name'].split(': ', 1)[-1]} {r['ratio']:.0%}" for r in references.values())
        notes.append(
            f"reference: share of the floor of {said}; the lists {shares[0]:.0%}–{shares[-1]:.0%}"
            f" (the floor itself: {floor['alone']['rps']:.0f} req/s)"
        )
    return notes


def write_doc(path, args, info, seeded, results, export, rss, notes, started, took):
    counts = seeded.counts if seeded else {}
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/bench/run.py`); the last run replaces this file, so compare with git history.",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} (Asia/Shanghai), whole run {took / 60:.1f} min",
        f"- machine: {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}; Python {info['python']}",
        f"- load average at the start: {info['loadavg_start']}, at the end: {info['loadavg']} (the machine is "
        "shared with other test runs: a load above the core count means the figures are pessimistic)",
        f"- scale {args.scale}; gunicorn gthread, {args.workers} workers × {args.threads} threads, keep-alive "
        f"{args.keepalive} s, preloaded; "
        f"locust FastHttpUser on the same machine; {args.seconds} s per scenario alone with {args.users} users, "
        f"{args.mix_seconds} s of the mix at {args.rate} req/s offered",
    ]
    if seeded:
        lines.append(
            f"- seeded in {seeded.seconds.get('total', 0):.0f} s: "
            + ", ".join(f"{label} {count:,}" for label, count in counts.items())
        )
        lines.append(
            "- skew: "
            + ", ".join(f"{k} {v}" for k, v in seeded.facts.items() if k not in ("station_id", "category_id"))
        )
    lines += [
        "",
        "## Per scenario",
        "",
        "req/s alone: the ceiling with that request alone; × floor: that over the floor's ceiling; "
        "p50/p95/p99: in the mix at the offered rate (alone for the floor); errors: alone + mix; "
        "SQL/req: statements of one request (X-SQL-Count); web / DB CPU ms/req: CPU time gunicorn (master, "
        "workers, replaced workers) and PostgreSQL (postmaster and backends) spent during the scenario alone, "
        "divided by its requests (a submission's form GET included).",
        "",
        table(results),
        "",
    ]
    plan = capacity(results, args.rate)
    if plan:
        lines += [
            "## Capacity",
            "",
            f"The mix's weighted CPU cost is {plan['ms_per_request']:.1f} ms per request (web + PostgreSQL); "
            f"{args.rate:.0f} req/s at 70% utilisation needs about {plan['cores']:.1f} cores for the web tier "
            f"and the database, plus the load driver's share here (this machine has {info['nproc']}).",
            "",
        ]
    mixed = info.get("mix")
    if mixed and mixed.get("cpu"):
        cpu = mixed["cpu"]
        lines += [
            f"In the mix itself {mixed['requests']:,} requests were served in {mixed['seconds']} s "
            f"({mixed['rps']:.1f} req/s of the {args.rate:.0f} offered), each costing "
            f"{cpu.get('app', 0):.1f} ms of web CPU, {cpu.get('db', 0):.1f} ms of PostgreSQL CPU and "
            f"{cpu.get('driver', 0):.1f} ms of the load driver's.",
            "",
        ]
    if export:
        lines += [
            "## Streamed export",
            "",
            f"`{export['path']}`: {export['lines'] - 1:,} rows, {export['bytes'] / 1e6:.1f} MB, first byte after "
            f"{export['first_byte_s']:.2f} s, all after {export['total_s']:.1f} s, worker peak RSS "
            f"{export['peak_worker_rss_mb']:.0f} MB (status {export['status']}).",
            "",
        ]
    lines += [
        "## Workers after the run",
        "",
        ", ".join(f"pid {pid}: {mb:.0f} MB" for pid, mb in rss.items()),
        "",
        "## Against the targets",
        "",
        *[f"- {note}" for note in notes],
        "",
    ]
    analysis = HERE / "NOTES.md"  # the hand-written why of the misses, kept beside the script
    if analysis.exists():
        lines.append(analysis.read_text(encoding="utf-8"))
    Path(path).write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(description="province-scale benchmark")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=10, help="seconds per scenario alone")
    parser.add_argument("--mix-seconds", type=int, default=60)
    parser.add_argument("--rate", type=float, default=100, help="requests/s offered in the mix")
    parser.add_argument("--users", type=int, default=8, help="locust users per scenario alone")
    parser.add_argument("--mix-users", type=int, default=25)
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's")
    parser.add_argument("--threads", type=int, default=None, help="default: gunicorn.conf.py's")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data already in the database")
    parser.add_argument("--facts", default=str(ROOT / "var" / "bench-facts.json"), help="the seeder's facts file")
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--only", action="append", help="run only scenarios whose name contains this")
    parser.add_argument("--no-export-stream", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"), help="'-' to write no file")
    args = parser.parse_args(argv)

    import django

    django.setup()
    import seed as seeder
    from django.core.management import call_command
    from django.utils import timezone

    info = machine()
    info["loadavg_start"] = info["loadavg"]
    started_at = timezone.localtime()
    started = time.monotonic()
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    seeded = None
    if args.skip_seed:
        facts_file = Path(args.facts)
        facts = json.loads(facts_file.read_text()) if facts_file.exists() else {}
    else:
        seeded = seeder.seed(scale=args.scale)
        facts = seeded.facts
        Path(args.facts).parent.mkdir(exist_ok=True)
        Path(args.facts).write_text(json.dumps(facts, ensure_ascii=False))
    from django.db import connections

    plan = build_plan(facts)
    connections.close_all()
    if args.only:
        plan = [s for s in plan if s["kind"] in ("floor", "reference") or any(o in s["name"] for o in args.only)]

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # production's defaults unless the flags say otherwise
    args.workers, args.threads = args.workers or config["workers"], args.threads or config["threads"]
    args.keepalive = config["keepalive"]
    server = Gunicorn(port, args.workers, args.threads, env)
    workdir = tempfile.mkdtemp(prefix="bench-run-")
    results, export, rss = [], None, {}
    try:
        server.start()
        roles = {
            "staff": "bench_staff",
            "staff_city": "bench_staff_city",
            "unit": "bench_unit",
            "deputy": "bench_deputy",
            "station_manager": "bench_manager",
        }
        cookies = {role: login(host, username, seeder.BENCH_PASSWORD) for role, username in roles.items()}
        plan_file = Path(workdir) / "plan.json"
        plan_file.write_text(json.dumps({"host": host, "scenarios": plan, "cookies": cookies}, ensure_ascii=False))

        print(f"serving on {host}; {sum(s['available'] for s in plan)} scenarios", flush=True)
        for scenario in plan:
            result = {**scenario}
            results.append(result)
            if not scenario["available"]:
                print(f"  {scenario['name']:<44} {NOT_AVAILABLE}", flush=True)
                continue
            status, sql = probe(host, scenario, cookies)
            if scenario["kind"] not in ("submit", "export"):  # the statements of a warm request, as in the run
                status, sql = probe(host, scenario, cookies)
            result["sql"] = sql
            result["probe_status"] = status
            meter = CpuMeter(server)
            meter.start()
            stats = run_locust(
                plan_file,
                host,
                max(args.seconds, scenario.get("seconds", 0)),
                scenario.get("users", args.users),
                scenario=scenario["name"],
                workdir=workdir,
            )
            result["alone"] = stats.get(scenario["name"])
            alone = result["alone"] or {}
            result["cpu"] = meter.per_request_ms(alone.get("requests", 0))
            print(
                f"  {scenario['name']:<44} status {status} SQL {sql:>3}  {alone.get('rps', 0):8.1f} req/s  "
                f"p95 {alone.get('p95', 0):6.0f} ms  errors {alone.get('failures', 0)}  "
                f"CPU/req web {result['cpu'].get('app', 0):5.1f} ms db {result['cpu'].get('db', 0):5.1f} ms",
                flush=True,
            )
        floor_rps = next(r for r in results if r["kind"] == "floor")["alone"]["rps"]
        for r in results:
            if r.get("alone") and floor_rps:
                r["ratio"] = r["alone"]["rps"] / floor_rps

        mix_plan = [s for s in plan if s["available"] and s["kind"] not in ("floor", "reference")]
        if mix_plan and args.mix_seconds > 0:
            print(f"the mix: {args.rate} req/s offered for {args.mix_seconds} s", flush=True)
            meter = CpuMeter(server)
            meter.start()
            mix = run_locust(plan_file, host, args.mix_seconds, args.mix_users, rate=args.rate, workdir=workdir)
            served = sum(row["requests"] for row in mix.values())
            info["mix"] = {
                "requests": served,
                "rps": served / args.mix_seconds,
                "cpu": meter.per_request_ms(served),
                "seconds": args.mix_seconds,
            }
            for r in results:
                if r["name"] in mix:
                    r["mix"] = mix[r["name"]]

        if not args.no_export_stream:
            path = "/deputies/roster/export/?format=csv"
            status, _sql = probe(host, {"path": path, "role": "staff"}, cookies)
            if status == 200:
                export = stream_export(host, path, cookies["staff"], server)
                export["path"] = path
        rss = server.worker_rss_mb()
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    took = time.monotonic() - started
    info.update(machine())
    notes = verdicts(results, export, rss)
    print()
    print(table(results))
    if export:
        print(
            f"\nstreamed export {export['lines'] - 1:,} rows: first byte {export['first_byte_s']:.2f} s, "
            f"all {export['total_s']:.1f} s, worker peak {export['peak_worker_rss_mb']:.0f} MB"
        )
    print("workers after the run: " + ", ".join(f"{mb:.0f} MB" for mb in rss.values()))
    plan = capacity(results, args.rate)
    if plan:
        print(
            f"mix CPU {plan['ms_per_request']:.1f} ms/request: {args.rate:.0f} req/s needs ~{plan['cores']:.1f} cores"
        )
    if info.get("mix"):
        print(f"the mix served {info['mix']['rps']:.1f} req/s; CPU per request: {info['mix']['cpu']}")
    print("\n".join(notes))
    if args.out != "-":
        write_doc(args.out, args, info, seeded, results, export, rss, notes, started_at, took)
        print(f"written to {args.out}")
    return results


if __name__ == "__main__":
    main()
