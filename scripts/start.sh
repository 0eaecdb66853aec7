#!/usr/bin/env bash
# Sets up (see setup.sh) and starts Goldsmith on its embedded defaults:
# SQLite and a blob directory under the data directory. Arguments are passed
# to `goldsmith server`, e.g. --data-dir DIR --port N.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/goldsmith.js server "$@"
