#!/bin/sh
# One entrypoint for every process of the stack (docs/adr/0010-one-entrypoint-for-every-process.md):
#   entrypoint.sh web      migrate, collectstatic, seed the beat schedules, then exec gunicorn (gunicorn.conf.py)
#   entrypoint.sh worker   exec celery worker
#   entrypoint.sh beat     seed the beat schedules (idempotent, keeps staff's enabled flag), then exec celery beat
#   entrypoint.sh migrate  migrate, collectstatic and seed, then exit (a one-off release step)
#   entrypoint.sh backup   manage.py backup once a day into var/backups, keeping BACKUP_KEEP_DAYS days
#   anything else          exec'd as given (e.g. `entrypoint.sh python manage.py createsuperuser`)
# Extra arguments after web/worker/beat are passed on to gunicorn/celery. Settings default to production.
set -eu
cd "$(dirname "$0")/.."
: "${DJANGO_SETTINGS_MODULE:=config.settings.production}"
export DJANGO_SETTINGS_MODULE
PYTHON="${PYTHON:-python}"

release() {
    # migrate runs the system checks first: a production misconfiguration (liaison.E101, E102) stops here.
    "$PYTHON" manage.py migrate --noinput
    "$PYTHON" manage.py collectstatic --noinput --verbosity 0
    "$PYTHON" manage.py seed_schedules
}

role="${1:-web}"
[ $# -gt 0 ] && shift
case "$role" in
    web)
        release
        exec "$PYTHON" -m gunicorn --config gunicorn.conf.py config.wsgi:application "$@"
        ;;
    worker)
        exec "$PYTHON" -m celery -A config worker --loglevel="${LOG_LEVEL:-INFO}" "$@"
        ;;
    beat)
        # web migrates too; seeding again here is harmless (idempotent) and covers a beat started alone.
        "$PYTHON" manage.py migrate --check >/dev/null 2>&1 || "$PYTHON" manage.py migrate --noinput
        "$PYTHON" manage.py seed_schedules
        exec "$PYTHON" -m celery -A config beat --loglevel="${LOG_LEVEL:-INFO}" --pidfile= "$@"
        ;;
    migrate)
        release
        ;;
    backup)
        keep="${BACKUP_KEEP_DAYS:-14}"
        mkdir -p var/backups
        while :; do
            "$PYTHON" manage.py backup || echo "backup failed" >&2
            find var/backups -type f -mtime +"$keep" -delete
            sleep "${BACKUP_INTERVAL_SECONDS:-86400}"
        done
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
