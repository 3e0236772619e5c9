#!/usr/bin/env python
"""Time one reminder sweep over N open items (default 300,000) in PostgreSQL and print seconds and peak memory.

    eval "$(scripts/services.sh start /tmp/bench)"        # PostgreSQL + Redis on loopback
    DJANGO_SETTINGS_MODULE=liaison.settings.test .venv/bin/python scripts/bench_sweep.py [--items 300000]
    scripts/services.sh stop /tmp/bench

The items are 督办事项 (liaison.FollowUp, the generic rule's table; proposals will use the same OffsetRule path).
Two shapes: "spread" (deadlines spread over the next 60 days, as in real life: a few percent are due) and "all-due"
(every item due today: the worst case, every row claimed and a send task queued for each). The sweep queues the
send tasks on the configured broker (Redis under services.sh); nothing consumes them during the run.
"""

import argparse
import datetime
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from liaison.models import FollowUp, Notification, Reminder, User  # noqa: E402
from liaison.reminders.services import reminders_sweep  # noqa: E402


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(n, shape, today):
    tables = ", ".join(m._meta.db_table for m in (Notification, Reminder, FollowUp))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")
    users = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    if not users:
        User.objects.bulk_create(User(username=f"bench-{i}", role=User.Role.UNIT) for i in range(1000))
        users = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    batch = 20000
    for start in range(0, n, batch):
        FollowUp.objects.bulk_create(
            FollowUp(
                title=f"督办事项 {i}",
                assignee_id=users[i % len(users)],
                due_on=today if shape == "all-due" else today + datetime.timedelta(days=i % 60),
                link=f"/follow-ups/{i}/",
            )
            for i in range(start, min(n, start + batch))
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {FollowUp._meta.db_table}")


def run(n, shape, enqueue, trace):
    today = timezone.localdate()
    t0 = time.perf_counter()
    seed(n, shape, today)
    seeded = time.perf_counter() - t0
    if trace:
        tracemalloc.start()
    rss_before = rss_mb()
    t0 = time.perf_counter()
    result = reminders_sweep(today=today, enqueue=enqueue)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if trace else None
    if trace:
        tracemalloc.stop()
    row = {
        "shape": shape,
        "items": n,
        "seed_s": round(seeded, 1),
        "due": result.seen,
        "claimed": result.claimed,
        "sweep_s": round(seconds, 2),
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_mb": round(rss_mb(), 1),
        "tracemalloc_peak_mb": round(peak, 1) if peak is not None else "-",
    }
    print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--shape", choices=["spread", "all-due", "both"], default="both")
    parser.add_argument("--no-enqueue", action="store_true", help="claim only, do not queue send tasks")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python allocations (slower)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    shapes = ["spread", "all-due"] if args.shape == "both" else [args.shape]
    for shape in shapes:
        run(args.items, shape, not args.no_enqueue, args.tracemalloc)


if __name__ == "__main__":
    main()
