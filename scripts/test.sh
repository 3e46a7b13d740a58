#!/usr/bin/env bash
# Run the whole test suite (called by `make test`, which has made the virtual environment).
# Installs what the browser tests need when it can: Debian's Chromium and CJK fonts (as root),
# and axe-core from the npm registry. Without Chromium the browser tests are skipped loudly,
# except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Chromium and CJK fonts (Debian packages) for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "== Chromium is not installed and cannot be installed here: browser tests will be skipped"
  fi
fi

if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core (npm) for the accessibility tests"
  npm ci --no-audit --no-fund --silent
fi

exec .venv/bin/python -m pytest "$@"
