#!/usr/bin/env bash
# Sets up (first time) and runs every check: ruff, then the whole pytest suite.
# pytest's "no tests collected" (exit 5) is a failure here, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev || exit 1
scripts/system-deps.sh || exit 1
.venv/bin/ruff check . || exit 1
.venv/bin/ruff format --check . || exit 1
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$rc"
