#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite (Debian's package).
# Prints the admin URL on its last line. Usage: scripts/postgres.sh start|stop
set -euo pipefail
DIR=${XTQ_PG_DIR:-/tmp/xtq-test-pg}
PORT=${XTQ_PG_PORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

case "${1:-start}" in
  start)
    if [ -z "$BIN" ]; then
      echo "== installing PostgreSQL (Debian package) for the test suite" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    if ! as_postgres "$BIN/pg_ctl -D $DIR/data status" >/dev/null 2>&1; then
      rm -rf "$DIR" && mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_postgres "$BIN/initdb -D $DIR/data -A trust -U xtq -E UTF8 --locale=C.UTF-8" >/dev/null
      # Throwaway test data: durability settings off for speed.
      as_postgres "$BIN/pg_ctl -D $DIR/data -l $DIR/log -w start -o \"-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\"" >/dev/null
    fi
    echo "postgresql://xtq@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    as_postgres "$BIN/pg_ctl -D $DIR/data -m fast stop" >/dev/null 2>&1 || true
    ;;
esac
