#!/usr/bin/env bash
# Starts (or stops) a throw-away PostgreSQL 15 on 127.0.0.1:${AIGW_PG_PORT:-55432} for the tests.
# Usage: scripts/postgres.sh start|stop   (prints the connection string on start)
set -euo pipefail
port="${AIGW_PG_PORT:-55432}"
dir="${AIGW_PG_DIR:-/tmp/aigw-pg-$port}"
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

case "${1:-start}" in
  start)
    if [ ! -x "$bin/initdb" ]; then
      echo "Installing PostgreSQL 15 from Debian..." >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15) >&2
    fi
    if ! as_pg "$bin/pg_ctl -D '$dir' status" >/dev/null 2>&1; then
      rm -rf "$dir" && mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_pg "$bin/initdb -D '$dir' -U postgres --auth=trust -E UTF8" >/dev/null
      as_pg "$bin/pg_ctl -D '$dir' -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off' -l '$dir/pg.log' -w start" >/dev/null
    fi
    echo "postgresql://postgres@127.0.0.1:$port"
    ;;
  stop)
    as_pg "$bin/pg_ctl -D '$dir' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
