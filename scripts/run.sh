#!/usr/bin/env bash
# Sets up (first time) and starts the dashboard on http://localhost:8501.
# The database is data/tracker.duckdb unless TRACKER_DB names another file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
# Chromium and Noto CJK draw the briefing's PDF/PPTX; without them the rest of the app still runs.
scripts/system-deps.sh runtime || echo "未能安装 Chromium / Noto CJK 字体：简报的 PDF/PPTX 导出将不可用。" >&2
exec .venv/bin/python -m streamlit run dashboard.py "$@"
