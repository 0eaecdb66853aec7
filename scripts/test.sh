#!/usr/bin/env bash
# Sets up (see setup.sh) and runs every test: lint, format, types, then the
# test suite, which ends with a line `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# PostgreSQL runs on this machine kind; start it if it has stopped.
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi

npm run -s lint
npm run -s format:check
npm run -s typecheck
report=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" </dev/null || status=$?
node scripts/test-summary.mjs "$report"
rm -f "$report"
exit "$status"
