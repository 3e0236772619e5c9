#!/usr/bin/env bash
# Web server, Celery worker and beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
PY=.venv/bin/python
mkdir -p var/broker/out var/broker/processed var/log

$PY manage.py seed_schedules >/dev/null

pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 & pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --pidfile= >var/log/beat.log 2>&1 & pids+=($!)
$PY manage.py runserver "127.0.0.1:$PORT" --noreload & pids+=($!)

cat <<TXT

  人大代表联络工作平台 is running:  http://127.0.0.1:$PORT/
  Worker and beat logs: var/log/worker.log, var/log/beat.log

  Demo logins (password for all: liaison-demo-2024)
    liaison staff, 株洲市:      staff_zz
    liaison staff, 衡阳市:      staff_hy
    handling unit (株洲市住建局): unit_zz_zj
    deputy (株洲市):            deputy_zz
    station manager:            manager_zz
    superuser:                  admin
  Ctrl-C stops web, worker and beat.

TXT
wait -n "${pids[@]}"
