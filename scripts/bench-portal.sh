#!/usr/bin/env bash
# Search latency of the portal on a province day's index (scale 1.0: ~1 M order lines, ~3 M
# waybills): starts `agri serve` against it, logs in as the demo analyst and times the search page
# (GET /search, the HTML an analyst waits for: ES query, facets and rendering) for a set of query
# shapes with the portal's filters. Prints p50 / p95 per shape and over all requests.
# Not a test: run it by hand on a quiet machine. docs/benchmarks.md has the figures.
#
#   ./scripts/bench-portal.sh            BENCH_REQUESTS (default 40) requests per shape
#
# The day is generated and run once into $BENCH_ROOT (default /tmp/agri-bench-portal) with the
# index prefix bench-portal-; later calls reuse it (BENCH_FRESH=1 runs it again). The local
# Elasticsearch node is started unless AGRI_ES_URL names one.
set -euo pipefail
[[ "$(locale charmap 2>/dev/null)" == UTF-8 ]] || export LC_ALL=C.UTF-8
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DATE=${BENCH_DATE:-2021-12-07}
SCALE=${BENCH_SCALE:-1.0}
REQUESTS=${BENCH_REQUESTS:-40}
ROOT=${BENCH_ROOT:-${TMPDIR:-/tmp}/agri-bench-portal}
PORT=${BENCH_PORT:-8098}
PREFIX=bench-portal-
source scripts/app.sh
ensure_jar bench-portal
ensure_es
ES=${AGRI_ES_URL%%,*}
mkdir -p "$ROOT"
export AGRI_DATA_ROOT="file:$ROOT/data" AGRI_JOB_REPOSITORY="$ROOT/job-repository"
SETTINGS=(--agri.elasticsearch.index-prefix="$PREFIX")

if [[ "${BENCH_FRESH:-0}" == 1 ]] || ! curl -fs "$ES/_alias/${PREFIX}sales" >/dev/null; then
  echo "[bench-portal] generating and running $DATE at scale $SCALE (a few minutes)"
  java -jar "$JAR" generate --date "$DATE" --scale "$SCALE" "${SETTINGS[@]}" >"$ROOT/generate.out"
  java -Xmx"$JAVA_HEAP" -jar "$JAR" run --date "$DATE" --force "${SETTINGS[@]}" >"$ROOT/run.out"
fi
curl -fsS "$ES/_cat/indices/${PREFIX}*?h=index,docs.count&s=index" | sed 's/^/[bench-portal] /'

java -Xmx2g -jar "$JAR" serve --port "$PORT" "${SETTINGS[@]}" >"$ROOT/serve.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$ROOT/cookies"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 120); do curl -fs -o /dev/null "$BASE/login" && break; sleep 1; done
curl -fs -o /dev/null "$BASE/login" || { echo "[bench-portal] the portal did not start: $ROOT/serve.out" >&2; exit 1; }

# Log in as the demo analyst: the login form's CSRF token, then the form post.
token=$(curl -fsS -c "$ROOT/cookies" "$BASE/login" | sed -n 's/.*name="_csrf" *value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fsS -b "$ROOT/cookies" -c "$ROOT/cookies" -o /dev/null --data-urlencode "username=analyst" \
  --data-urlencode "password=${AGRI_PORTAL_DEMO_PASSWORD:-fenxi-2026}" --data-urlencode "_csrf=$token" "$BASE/login"
curl -fsS -b "$ROOT/cookies" -o /dev/null "$BASE/search" || { echo "[bench-portal] login failed" >&2; exit 1; }

# The second page of the sales search: its cursor from the first page's "next" link.
after=$(curl -fsS -b "$ROOT/cookies" "$BASE/search?family=sales&region=14&from=$DATE&to=$DATE&sort=order_date" \
  | grep -o 'after=[A-Za-z0-9_-]*' | head -n 1 | cut -d= -f2)
SHAPES=(
  "price text+region+date|family=price-observations&q=%E5%AF%8C%E5%A3%AB&region=14&from=$DATE&to=$DATE"
  "price catalogue 苹果|family=price-observations&q=%E8%8B%B9%E6%9E%9C"
  "price product+price range|family=price-observations&product=0201&min-price=2&max-price=20&sort=price_avg:desc"
  "sales text+region+date|family=sales&q=%E8%8B%B9%E6%9E%9C&region=1408&from=$DATE&to=$DATE"
  "price channel+market|family=price-observations&channel=wholesale&market=BJ-XFD&sort=price_avg:desc"
  "sales courier+price|family=sales&courier=SF&min-price=5&max-price=50"
  "sales page 2 (after)|family=sales&region=14&from=$DATE&to=$DATE&sort=order_date&after=$after"
  "delivery courier+region|family=delivery-daily&courier=SF&region=1408"
  "place 运城|family=sales&q=%E8%BF%90%E5%9F%8E"
)
all=()
printf '%-28s %10s %8s %8s %8s %6s\n' shape matching p50_ms p95_ms max_ms errors
for shape in "${SHAPES[@]}"; do
  name=${shape%%|*} query=${shape#*|}
  times=() errors=0
  # warm-up, and how many documents the shape matches (the page's "shown / matching")
  matching=$(curl -fs -b "$ROOT/cookies" "$BASE/search?$query" | sed -n 's:.*id="total"[^>]*>[^/]*/ *\([0-9]*\)<.*:\1:p' | head -n 1)
  for _ in $(seq "$REQUESTS"); do
    out=$(curl -s -b "$ROOT/cookies" -o /dev/null -w '%{http_code} %{time_total}' "$BASE/search?$query")
    [[ ${out%% *} == 200 ]] || errors=$(( errors + 1 ))
    times+=("$(awk -v t="${out#* }" 'BEGIN { printf "%.1f", t * 1000 }')")
  done
  all+=("${times[@]}")
  printf '%-28s %10s %8s %8s %8s %6s\n' "$name" "${matching:-?}" $(printf '%s\n' "${times[@]}" | sort -g | awk '
    { v[NR] = $1 } END { printf "%s %s %s", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], v[NR] }') "$errors"
done
printf '%-28s %10s %8s %8s %8s\n' "all ($(( ${#all[@]} )) requests)" "" $(printf '%s\n' "${all[@]}" | sort -g | awk '
  { v[NR] = $1 } END { printf "%s %s %s", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], v[NR] }')
