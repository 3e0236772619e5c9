#!/usr/bin/env python
"""Time one reminder sweep over N open proposals (default 300,000) in PostgreSQL and print seconds and peak memory.

    eval "$(scripts/services.sh start /tmp/bench)"        # PostgreSQL + Redis on loopback
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python scripts/bench_sweep.py [--items 300000]
    scripts/services.sh stop /tmp/bench

The items are real proposals being handled (status 办理中), each with its lead unit's assignment and, for one in
five, a co-unit's; 14 cities, 20 handling units per city, ``--users-per-unit`` logins per unit, 2 staff per city.
They are inserted with INSERT … SELECT FROM generate_series (seconds, not minutes). The sweep is the real one: every
installed app's rules (deadline, overdue, overdue staff copy, survey, promise, votes, stations, follow-ups).
Shapes:

- "spread": deadlines spread evenly from 5 days ago to 95 days ahead (1 % a day): the 15/7/1-day reminders hit 3 %
  of the assignments, 5 % are overdue (reminded daily), and 3 % are overdue 3+ days (staff copied);
- "all-due": every deadline is tomorrow (every assignment reminded at once: the worst case).

``--today`` fixes the sweep day (default a Wednesday, so no weekend is folded in). ``--parallel`` runs each rule's
sweep in its own process, as separate Celery tasks on separate workers would, and reports the wall time.
"""

import argparse
import datetime
import os
import resource
import sys
import time
import tracemalloc
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from deputies.models import Congress, Deputy  # noqa: E402
from liaison.models import Organization, Region, User  # noqa: E402
from liaison.notifications.models import Notification  # noqa: E402
from liaison.reminders import discover_rules, rule_by_key  # noqa: E402
from liaison.reminders.models import Reminder  # noqa: E402
from liaison.reminders.services import reminders_sweep  # noqa: E402
from proposals.models import Assignment, Proposal  # noqa: E402

CITIES, UNITS_PER_CITY, STAFF_PER_CITY = 14, 20, 2


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed_people(users_per_unit):
    """Cities, congresses, one lead deputy per city, handling units with their logins, staff. Idempotent."""
    province, _ = Region.objects.get_or_create(
        code="990000", defaults={"name": "基准省", "level": Region.Level.PROVINCE}
    )
    cities = []
    for c in range(CITIES):
        city, _ = Region.objects.get_or_create(
            code=f"99{c + 1:02d}00", defaults={"name": f"基准市{c + 1}", "level": Region.Level.CITY, "parent": province}
        )
        congress, _ = Congress.objects.get_or_create(
            region=city, term=1, defaults={"level": 2, "name": f"基准市{c + 1}第一届人民代表大会"}
        )
        deputy, _ = Deputy.objects.get_or_create(code=f"BENCH{c:03d}", defaults={"name": f"基准代表{c + 1}"})
        units = []
        for u in range(UNITS_PER_CITY):
            unit, _ = Organization.objects.get_or_create(
                region=city, name=f"基准市{c + 1}承办单位{u + 1}", defaults={"kind": Organization.Kind.HANDLING_UNIT}
            )
            for k in range(users_per_unit):
                User.objects.get_or_create(
                    username=f"bench-u{unit.pk}-{k}", defaults={"role": User.Role.UNIT, "organization": unit}
                )
            units.append(unit.pk)
        for s in range(STAFF_PER_CITY):
            User.objects.get_or_create(
                username=f"bench-s{city.pk}-{s}", defaults={"role": User.Role.STAFF, "region": city}
            )
        cities.append((city.pk, congress.pk, deputy.pk, units))
    # Keep exactly users_per_unit logins per unit across runs with different settings.
    User.objects.filter(username__startswith="bench-u", is_active=True).exclude(
        username__regex=r"-(" + "|".join(str(k) for k in range(users_per_unit)) + ")$"
    ).update(is_active=False)
    User.objects.filter(
        username__regex=r"^bench-u\d+-(" + "|".join(str(k) for k in range(users_per_unit)) + ")$"
    ).update(is_active=True)
    return cities


def seed(n, shape, today, users_per_unit):
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE {} RESTART IDENTITY CASCADE".format(
                ", ".join(m._meta.db_table for m in (Notification, Reminder, Assignment, Proposal))
            )
        )
    cities = seed_people(users_per_unit)
    regions = [c[0] for c in cities]
    congresses = [c[1] for c in cities]
    deputies = [c[2] for c in cities]
    units = [u for c in cities for u in c[3]]  # city k's units are units[k*20:(k+1)*20]
    deadline = "%(today)s::date + 1" if shape == "all-due" else "%(today)s::date + ((i::bigint * 7919) %% 101)::int - 5"
    params = {"n": n, "today": today, "regions": regions, "congresses": congresses, "deputies": deputies}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO proposals_proposal (created_at, updated_at, number, congress_id, region_id, session, kind,
                category, title, content, origin, origin_reference, lead_deputy_id, status, submitted_at, accepted_at,
                assigned_on, review_note, transfer_target, reply_class, rating, rehandle_count, is_key_supervised,
                key_supervision_leaders)
            SELECT now(), now(), 'BENCH-' || i, (%(congresses)s::bigint[])[1 + i %% {CITIES}],
                (%(regions)s::bigint[])[1 + i %% {CITIES}], '', 'suggestion', '', '关于第' || i || '件民生事项的建议',
                '建议内容。', 'deputy', '', (%(deputies)s::bigint[])[1 + i %% {CITIES}], 'assigned', now(), now(),
                ({deadline}) - 90, '', '', '', '', 0, false, ''
            FROM generate_series(0, %(n)s - 1) AS i
            """,
            params,
        )
        # Lead unit: one of the city's 20 units; one proposal in five also has a co-unit (the next unit).
        cursor.execute(
            f"""
            INSERT INTO proposals_assignment (created_at, updated_at, proposal_id, unit_id, role, assigned_on, deadline,
                extension_reason, opinion)
            SELECT now(), now(), p.id, (%(units)s::bigint[])[1 + (i %% {CITIES}) * {UNITS_PER_CITY}
                    + ((i / {CITIES}) + k) %% {UNITS_PER_CITY}],
                CASE WHEN k = 0 THEN 'lead' ELSE 'co' END, ({deadline}) - 90, {deadline}, '', ''
            FROM proposals_proposal p
            CROSS JOIN LATERAL (SELECT p.id - 1 AS i) AS s
            CROSS JOIN generate_series(0, 1) AS k
            WHERE k = 0 OR i %% 5 = 0
            """,
            {**params, "units": units},
        )
        cursor.execute("ANALYZE proposals_proposal; ANALYZE proposals_assignment; ANALYZE liaison_user")
    return Assignment.objects.count()


def _sweep_one_rule(key, today):
    connections.close_all()
    t0 = time.perf_counter()
    result = reminders_sweep(today=today, rules=[rule_by_key(key)], enqueue=False)
    return key, result.seen, result.claimed, time.perf_counter() - t0, rss_mb()


def run(n, shape, today, enqueue, trace, users_per_unit, parallel):
    t0 = time.perf_counter()
    assignments = seed(n, shape, today, users_per_unit)
    seeded = time.perf_counter() - t0
    if trace:
        tracemalloc.start()
    rss_before = rss_mb()
    t0 = time.perf_counter()
    per_rule = []
    if parallel:
        connections.close_all()
        with get_context("fork").Pool(parallel) as pool:
            per_rule = pool.starmap(_sweep_one_rule, [(rule.key, today) for rule in discover_rules()])
        seen, claimed = sum(r[1] for r in per_rule), sum(r[2] for r in per_rule)
    else:
        result = reminders_sweep(today=today, enqueue=enqueue)
        seen, claimed = result.seen, result.claimed
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if trace else None
    if trace:
        tracemalloc.stop()
    by_rule = dict(Reminder.objects.values_list("rule").annotate(n=django.db.models.Count("pk")).order_by())
    row = {
        "shape": shape,
        "proposals": n,
        "assignments": assignments,
        "users_per_unit": users_per_unit,
        "seed_s": round(seeded, 1),
        "due": seen,
        "claimed": claimed,
        "sweep_s": round(seconds, 2),
        "parallel": parallel or "-",
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_mb": round(max([rss_mb(), *[r[4] for r in per_rule]]), 1),
        "tracemalloc_peak_mb": round(peak, 1) if peak is not None else "-",
    }
    print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    print("  claimed per rule:", by_rule, flush=True)
    for key, _seen, rule_claimed, rule_seconds, _rss in per_rule:
        print(f"  {key}: {rule_claimed} claimed in {rule_seconds:.1f} s", flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300_000, help="open proposals")
    parser.add_argument("--shape", choices=["spread", "all-due", "both"], default="both")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date(2024, 11, 13))
    parser.add_argument("--users-per-unit", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=0, help="sweep each rule in its own process, N at a time")
    parser.add_argument("--no-enqueue", action="store_true", help="claim only, do not queue send tasks")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python allocations (slower)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    shapes = ["spread", "all-due"] if args.shape == "both" else [args.shape]
    for shape in shapes:
        run(
            args.items,
            shape,
            args.today,
            not args.no_enqueue,
            args.tracemalloc,
            args.users_per_unit,
            args.parallel,
        )


if __name__ == "__main__":
    main()
