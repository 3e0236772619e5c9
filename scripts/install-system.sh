#!/usr/bin/env bash
# Debian packages the tests need: PostgreSQL, Redis, Chromium with a CJK font, gettext, docker-compose (config check only),
# nginx and openssl (tests/deploy/test_stack.py puts the stack behind a TLS-terminating nginx).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v msgfmt >/dev/null || need+=(gettext)
[ -x /usr/sbin/nginx ] || need+=(nginx)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
