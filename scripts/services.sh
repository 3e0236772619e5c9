#!/usr/bin/env bash
# Start or stop throw-away PostgreSQL and Redis servers on loopback for the tests and benchmarks.
#   eval "$(scripts/services.sh start DIR)"   prints the export lines (DATABASE_URL, REDIS_URL, ...)
#   scripts/services.sh stop DIR
set -euo pipefail

cmd=${1:?start|stop}
dir=${2:?folder}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

case "$cmd" in
start)
  mkdir -p "$dir"
  chown postgres:postgres "$dir"; chmod 755 "$dir"
  pg_port=$(free_port); redis_port=$(free_port)
  pgdata="$dir/pgdata"
  mkdir -p "$pgdata"; chown postgres:postgres "$pgdata"; chmod 700 "$pgdata"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust --locale=C.UTF-8 -E UTF8 >"$dir/initdb.log" 2>&1
  cat >>"$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pgdata'
max_connections = 200
fsync = ${PG_FSYNC:-off}
synchronous_commit = off
full_page_writes = off
shared_buffers = ${PG_SHARED_BUFFERS:-256MB}
CONF
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pgdata" -l "$dir/postgres.log" -w start >/dev/null
  echo "$pg_port" >"$dir/pg_port"
  runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres liaison
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" \
    --save '' --appendonly no --logfile "$dir/redis.log"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "$redis_port" >"$dir/redis_port"
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/liaison"
  echo "export REDIS_URL=redis://127.0.0.1:$redis_port/0"
  echo "export CELERY_BROKER_URL=redis://127.0.0.1:$redis_port/1"
  echo "export PG_PORT=$pg_port PG_DATA=$pgdata PG_BIN=$PG_BIN REDIS_PORT=$redis_port"
  ;;
stop)
  if [ -f "$dir/redis_port" ]; then redis-cli -p "$(cat "$dir/redis_port")" shutdown nosave >/dev/null 2>&1 || true; fi
  if [ -d "$dir/pgdata" ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/pgdata" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
esac
