#!/usr/bin/env bash
# Run the whole test suite (called by `make test`, which has made the virtual environment):
# once on SQLite, then again on a real PostgreSQL started by scripts/postgres.sh.
# Installs what the tests need when it can: Debian's Chromium, CJK fonts and PostgreSQL (as root),
# and axe-core from the npm registry. Where Chromium or PostgreSQL cannot be had, those parts are
# skipped with a loud message, except under CI=true, where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
missing() {
  echo "!!! $1" >&2
  if [ "${CI:-}" = true ]; then exit 1; fi
}

if ! command -v chromium >/dev/null 2>&1; then
  if can_install; then
    echo "== installing Chromium and CJK fonts (Debian packages) for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    missing "Chromium is not installed and cannot be installed here: browser tests will be skipped"
  fi
fi

if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core (npm) for the accessibility tests"
  npm ci --no-audit --no-fund --silent
fi

echo "== test suite on SQLite"
.venv/bin/python -m pytest "$@"

if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || can_install; then
  pg_url=$(scripts/postgres.sh start | tail -n 1)
  echo "== test suite on PostgreSQL ($pg_url)"
  XTQ_TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest "$@"
else
  missing "PostgreSQL is not installed and cannot be installed here: the PostgreSQL run is skipped"
fi
