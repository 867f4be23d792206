#!/usr/bin/env bash
# Manual check of a run report page (not part of scripts/test.sh): renders report.html in headless
# Chromium with the network blocked, checks that the rendered page has its charts (or "no data"
# notes), holds no http(s) reference and logged no console message, and takes a screenshot to look at.
#
#   scripts/check-report.sh data/reports/2021-12-07/report.html [screenshot.png]
#
# Chromium is Debian's package `chromium`, with the CJK font fonts-noto-cjk for Chinese names; as root
# both are installed when missing.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <report.html> [screenshot.png]" >&2
  exit 2
fi
PAGE=$(realpath "$1")
[[ -f "$PAGE" ]] || { echo "[check-report] no such file: $1" >&2; exit 2; }
SHOT=${2:-${TMPDIR:-/tmp}/report-$(basename "$(dirname "$PAGE")").png}
WINDOW=${REPORT_WINDOW_SIZE:-1280,2400}

source "$(dirname "${BASH_SOURCE[0]}")/lib/chromium.sh"
ensure_chromium check-report || exit 1
CHROMIUM=$(command -v chromium)

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
