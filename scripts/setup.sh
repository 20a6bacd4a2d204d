#!/usr/bin/env bash
# Creates .venv (Python 3.11+) and installs the pinned requirements; safe to run again.
# Usage: scripts/setup.sh [runtime|dev]
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-runtime}"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
req=requirements.txt
[ "$kind" = dev ] && req=requirements-dev.txt
stamp=".venv/.installed-$kind-$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  touch "$stamp"
fi
