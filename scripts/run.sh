#!/usr/bin/env bash
# Runs the nightly job once on embedded defaults and shows what it did:
#   builds the application if needed, starts the local Elasticsearch node (unless AGRI_ES_URL
#   points at one), lands the sample files for the sample date (real Xinfadi prices, plus generated
#   shop orders, courier waybills and an origin registry), imports the month of real prices before
#   it (agri import-history), runs daily-fusion for that date
#   and prints the counts, the output locations and one search against the index; then starts the web
#   portal (agri serve) in the background and prints its address and a demo login.
#
#   ./scripts/run.sh [--date yyyy-MM-dd]     (default: the sample date 2021-12-07)
#
# The node and the portal are left running for searching afterwards; stop them with
# ./scripts/portal.sh stop and ./scripts/es-local.sh stop.
set -euo pipefail
# Landed files and lake paths have Chinese names: the JVM needs a UTF-8 locale to map them to the
# file system (a bare environment, e.g. cron or a CI container, may have none).
[[ "$(locale charmap 2>/dev/null)" == UTF-8 ]] || export LC_ALL=C.UTF-8
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)

DATE=2021-12-07
while [[ $# -gt 0 ]]; do
  case "$1" in
    --date) DATE="$2"; shift 2 ;;
    *) echo "usage: $0 [--date yyyy-MM-dd]" >&2; exit 2 ;;
  esac
done

source scripts/app.sh
ensure_jar run
ensure_es

DATA_DIR="$PROJECT_DIR/data"
export AGRI_DATA_ROOT="${AGRI_DATA_ROOT:-file:$DATA_DIR}"
if [[ "$AGRI_DATA_ROOT" == "file:$DATA_DIR" ]]; then
  echo "[run] landing the sample files under $DATA_DIR/landing"
  mkdir -p "$DATA_DIR/landing"
  cp -R samples/landing/. "$DATA_DIR/landing/"
  # No real order or waybill feed is public: generate them (deterministic for the date).
  java -jar "$JAR" generate --date "$DATE" --orders "${AGRI_SAMPLE_ORDERS:-2000}"
  # The month before the sample date, real Xinfadi prices in one archive file: the run report's
  # price trend then has a month of points. One pass for all 30 days; importing again replaces them.
  echo "[run] importing a month of price history (agri import-history)"
  java -Xmx"$JAVA_HEAP" -jar "$JAR" import-history --source xinfadi-daily-prices \
    --file samples/history/xinfadi_prices_2021-11-07_2021-12-06.csv.gz --as-of 2021-12-06
fi

started=$(date +%s)
# --force: the demo may be run again and again; each run replaces the date's outputs.
set +e
java -Xmx"$JAVA_HEAP" -jar "$JAR" run --date "$DATE" --force
status=$?
set -e
echo "[run] daily-fusion finished in $(( $(date +%s) - started ))s with exit code $status"
(( status == 0 )) || exit $status

echo
echo "The lake: Iceberg tables in $DATA_DIR/warehouse (catalog in the job repository; docs/lake.md)"
java -jar "$JAR" lake tables

echo
echo "Elasticsearch ($AGRI_ES_URL): one index per family behind the alias agri-<family>, all behind agri-all"
curl -fsS "$AGRI_ES_URL/_cat/indices/agri-*?h=index,docs.count&s=index"
echo
echo "Example searches (./scripts/agri search --help lists every option):"
echo "  ./scripts/agri search 富士 --from $DATE --to $DATE --sort price_avg"
scripts/agri search 富士 --from "$DATE" --to "$DATE" --sort price_avg --size 5
echo "  ./scripts/agri search --family delivery-daily --region 1408 --stats-by courier_code"
scripts/agri search --family delivery-daily --region 1408 --stats-by courier_code --size 5

echo
echo "Extracts for departments ($DATA_DIR/extracts/<department>/<extract>/<period>/, see conf/extracts/README.md):"
find "$DATA_DIR/extracts" -name manifest.json -path "*/${DATE:0:7}*" | sort | while read -r manifest; do
  rows=$(grep -m1 '"rows"' "$manifest" | tr -dc '0-9')
  printf '  %-100s %6s rows\n' "$(dirname "${manifest#$DATA_DIR/}")/" "$rows"
done
echo
echo "Run report: $DATA_DIR/reports/$DATE/report.html (open it in a browser; report.json beside it)"

echo
echo "[run] starting the portal (agri serve) in the background"
scripts/portal.sh start
echo
echo "Portal: http://127.0.0.1:${AGRI_PORTAL_PORT:-8088}/ (loopback only; stop it with ./scripts/portal.sh stop)"
echo "  demo login for search, charts and runs:  analyst / fenxi-2026"
echo "  department extracts:                     agri-dept / nongye-2026, postal-dept / youzheng-2026"
