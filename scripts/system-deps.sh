#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser tests and the chart images in exports,
# Noto CJK so Chinese renders in screenshots and PDFs, poppler-utils (pdftotext, pdffonts) for
# the PDF export tests. Installs only what is missing; needs root or sudo.
# Usage: scripts/system-deps.sh [tests|runtime]  (runtime: what the app's exports need)
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ "${1:-tests}" = tests ]; then
  { command -v pdftotext && command -v pdffonts; } >/dev/null 2>&1 || need+=(poppler-utils)
fi
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${need[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
