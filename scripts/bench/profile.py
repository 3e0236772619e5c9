"""Server time and the slowest SQL statements of each benchmark scenario, without HTTP or load.

    scripts/bench/profile.py [--only NAME] [--repeat 3] [--top 5]

Run it against a database the benchmark has seeded (`make bench` or `run.py` keeps the facts file in var/): it
builds the same plan as ``run.py``, sends each GET through Django's test client as the scenario's user, and prints
the best wall time of ``--repeat`` runs, the Python CPU time of that run (wall time minus waiting, a steadier figure
on a busy machine), the statements' count and total time, and the slowest statements. It is
the tool for finding *why* a scenario is slow; ``run.py`` is the one that measures throughput and latency.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--facts", default=str(ROOT / "var" / "bench-facts.json"))
    parser.add_argument("--path", action="append", help="extra 'role:/path' to profile")
    args = parser.parse_args(argv)

    import django

    django.setup()
    import run
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from liaison.models import User

    facts_file = Path(args.facts)
    facts = json.loads(facts_file.read_text()) if facts_file.exists() else {}
    plan = [s for s in run.build_plan(facts) if s["available"] and s["kind"] not in ("floor", "export", "submit")]
    for extra in args.path or []:
        role, path = extra.split(":", 1)
        plan.append({"name": path, "path": path, "role": role})
    if args.only:
        plan = [s for s in plan if any(o in s["name"] for o in args.only)]
    users = {
        "staff": "bench_staff",
        "staff_city": "bench_staff_city",
        "unit": "bench_unit",
        "deputy": "bench_deputy",
        "station_manager": "bench_manager",
    }
    for scenario in plan:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
        if scenario.get("role"):
            client.force_login(User.objects.get(username=users[scenario["role"]]))
        best, best_cpu, captured, status = None, None, None, None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(scenario["path"], **scenario.get("headers_meta", {}))
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                took, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            status = response.status_code
            if best is None or took < best:
                best, best_cpu, captured = took, cpu, list(ctx.captured_queries)
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        print(
            f"{scenario['name']:<46} {status}  {best * 1000:8.1f} ms  CPU {best_cpu * 1000:6.1f} ms  SQL {len(captured):3d} = {sql_ms:8.1f} ms"
        )
        for q in sorted(captured, key=lambda q: -float(q["time"]))[: args.top]:
            print(f"    {float(q['time']) * 1000:8.1f} ms  {q['sql'][:300]}")


if __name__ == "__main__":
    main()
