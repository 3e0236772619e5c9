#!/usr/bin/env bash
# `make bench`: install what the benchmark needs, start PostgreSQL + Redis on loopback, run scripts/bench/run.py
# (migrate, seed at SCALE, gunicorn, locust, table, docs/benchmarks.md), and stop the servers whatever happens.
#   SCALE=0.01 scripts/bench/bench.sh [run.py arguments]
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/install-system.sh
make venv-dev >/dev/null

svc=$(mktemp -d /tmp/liaison-bench-XXXXXX)
trap 'scripts/services.sh stop "$svc"' EXIT
# A bigger shared_buffers than the tests': the province's hot tables (proposals, memberships) fit in memory.
exports=$(PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-1GB} scripts/services.sh start "$svc")
eval "$exports"
[[ "${DATABASE_URL:-}" == postgres://* ]] || { echo "PostgreSQL did not start"; cat "$svc"/*.log; exit 1; }
export DJANGO_SETTINGS_MODULE=config.settings.bench
export PYTHONDONTWRITEBYTECODE=1

.venv/bin/python scripts/bench/run.py --scale "${SCALE:-1.0}" "$@"
