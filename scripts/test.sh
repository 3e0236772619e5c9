#!/usr/bin/env bash
# The whole test run: system packages, Python packages, PostgreSQL + Redis on loopback, lint, checks, pytest.
# Servers are stopped whatever happens. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system.sh
make venv-dev >/dev/null

svc=$(mktemp -d /tmp/liaison-test-XXXXXX)
trap 'scripts/services.sh stop "$svc"' EXIT
exports=$(scripts/services.sh start "$svc")
eval "$exports"
[[ "${DATABASE_URL:-}" == postgres://* ]] || { echo "PostgreSQL did not start"; cat "$svc"/*.log; exit 1; }
export DJANGO_SETTINGS_MODULE=config.settings.test
export PYTHONDONTWRITEBYTECODE=1

PY=.venv/bin/python
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --check .; exit 1; }
echo "== lint-imports (.importlinter)"; .venv/bin/lint-imports --no-cache --no-logo >/dev/null || { .venv/bin/lint-imports --no-cache --no-logo; exit 1; }
echo "== manage.py check"; $PY manage.py check
echo "== makemigrations --check"; $PY manage.py makemigrations --check --dry-run
echo "== pytest"
set +e
$PY -m pytest "$@"
status=$?
set -e
exit $status
