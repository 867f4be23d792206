#!/usr/bin/env bash
# Manual check of a run report page (not part of scripts/test.sh): renders report.html in headless
# Chromium with the network blocked, checks that the rendered page has its charts (or "no data"
# notes), holds no http(s) reference and logged no console message, and takes a screenshot to look at.
#
#   scripts/check-report.sh data/reports/2021-12-07/report.html [screenshot.png]
#
# Chromium is Debian's package `chromium`; as root it is installed when missing. Chinese names need a
# CJK font (Debian: fonts-noto-cjk), or the screenshot shows boxes for them.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <report.html> [screenshot.png]" >&2
  exit 2
fi
PAGE=$(realpath "$1")
[[ -f "$PAGE" ]] || { echo "[check-report] no such file: $1" >&2; exit 2; }
SHOT=${2:-${TMPDIR:-/tmp}/report-$(basename "$(dirname "$PAGE")").png}
WINDOW=${REPORT_WINDOW_SIZE:-1280,2400}

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$CHROMIUM" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "[check-report] installing Debian's chromium package"
    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null
    CHROMIUM=$(command -v chromium)
  else
    echo "[check-report] chromium is not installed; as root: apt-get install -y --no-install-recommends chromium" >&2
    exit 1
  fi
fi
if command -v fc-list >/dev/null && [[ -z "$(fc-list :lang=zh)" ]]; then
  echo "[check-report] warning: no Chinese font installed, Chinese text will show as boxes (apt-get install fonts-noto-cjk)" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every host name resolves to nothing: a page that needed the network would show it as errors.
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --hide-scrollbars
  --user-data-dir="$work/profile" --host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0)

"$CHROMIUM" "${flags[@]}" --dump-dom "file://$PAGE" >"$work/dom.html" 2>"$work/dom.log"
"$CHROMIUM" "${flags[@]}" --screenshot="$SHOT" --window-size="$WINDOW" "file://$PAGE" >/dev/null 2>"$work/shot.log"

occurrences() { { grep -o "$1" "$2" || true; } | wc -l; }
failures=()
charts=$(occurrences '<svg class="chart"' "$work/dom.html")
notes=$(occurrences 'class="nodata">No data: no \(price observations\|parcels\|up-bound\)' "$work/dom.html")
grep -q '<h1>' "$work/dom.html" || failures+=("the rendered page has no title (empty DOM?)")
(( charts + notes == 3 )) || failures+=("expected 3 charts or no-data notes, found $charts charts and $notes notes")
if grep -qiE 'https?://' "$PAGE"; then
  failures+=("the page references http(s) resources: $(grep -oiE 'https?://[^"<> ]+' "$PAGE" | sort -u | head -3 | tr '\n' ' ')")
fi
if grep -h 'CONSOLE' "$work/dom.log" "$work/shot.log" >"$work/console.log"; then
  failures+=("console messages: $(head -3 "$work/console.log")")
fi
[[ -s "$SHOT" ]] || failures+=("no screenshot was written")

echo "[check-report] $PAGE: $charts svg charts, $notes no-data notes, $(occurrences '<table' "$work/dom.html") tables"
echo "[check-report] screenshot ($WINDOW): $SHOT"
if (( ${#failures[@]} > 0 )); then
  printf '[check-report] FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "[check-report] OK"
