#!/usr/bin/env bash
# Sets up (first time) and starts the dashboard on http://localhost:8501.
# The database is data/tracker.duckdb unless TRACKER_DB names another file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
exec .venv/bin/python -m streamlit run dashboard.py "$@"
