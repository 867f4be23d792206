#!/usr/bin/env bash
# Measures the nightly job on generated days of the given scales against two baselines on the
# same inputs: DuckDB doing the standardise + fuse work as SQL (scripts/bench/Peer.java), and a
# plain _bulk loader of the job's sales documents (same mapping, bulk size and parallel requests).
# Not a test: run it by hand on a quiet machine. docs/benchmarks.md explains every figure.
#
#   ./scripts/bench.sh [scale ...]        (default: 0.1 0.25 0.5 1.0; scale 1.0 ~ 3 M waybills)
#
# Each scale gets a fresh data root, H2 job repository and index prefix under $BENCH_ROOT (default
# /tmp/agri-bench.<pid>); they and the indices are removed afterwards unless BENCH_KEEP=1.
# The local Elasticsearch node is started unless AGRI_ES_URL points at one (no authentication).
# BENCH_DATE (default 2021-12-07) is the generated business date, BENCH_HEAP (default 6g) the job
# heap. The closing summary is a Markdown table in the layout of docs/benchmarks.md.
set -euo pipefail
[[ "$(locale charmap 2>/dev/null)" == UTF-8 ]] || export LC_ALL=C.UTF-8
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCALES=("$@")
(( ${#SCALES[@]} )) || SCALES=(0.1 0.25 0.5 1.0)
DATE=${BENCH_DATE:-2021-12-07}
HEAP=${BENCH_HEAP:-6g}
ROOT=${BENCH_ROOT:-${TMPDIR:-/tmp}/agri-bench.$$}
source scripts/app.sh
ensure_jar bench
ensure_es
ES=${AGRI_ES_URL%%,*}
mkdir -p "$ROOT"

# The peer's driver: DuckDB at the version the build uses.
DUCKDB_VERSION=$(sed -n 's:.*<duckdb.version>\(.*\)</duckdb.version>.*:\1:p' pom.xml)
DUCKDB_JAR="$HOME/.m2/repository/org/duckdb/duckdb_jdbc/$DUCKDB_VERSION/duckdb_jdbc-$DUCKDB_VERSION.jar"
if [[ ! -f "$DUCKDB_JAR" ]]; then
  mvn -B -ntp -q dependency:copy -Dartifact="org.duckdb:duckdb_jdbc:$DUCKDB_VERSION" -DoutputDirectory="$ROOT/lib"
  DUCKDB_JAR="$ROOT/lib/duckdb_jdbc-$DUCKDB_VERSION.jar"
fi

# The job's bulk settings: conf/application.yml when it sets them, else the AgriProperties defaults.
bulk_setting() {  # <yml key> <AgriProperties parameter>
  local v
  v=$(sed -n "s/^ *$1: *\([0-9][0-9]*\).*/\1/p" conf/application.yml | head -n 1)
  [[ -n "$v" ]] || v=$(sed -n "s/.*@DefaultValue(\"\([0-9]*\)\") *[a-z]* $2,.*/\1/p" \
    jobs/src/main/java/org/agrifusion/jobs/config/AgriProperties.java | head -n 1)
  echo "$v"
}
BULK_OPS=$(bulk_setting bulk-max-operations bulkMaxOperations)
BULK_PARALLEL=$(bulk_setting bulk-max-concurrent-requests bulkMaxConcurrentRequests)

# --scale once the generator has it; until then --orders N with N = scale x 1,000,000 plus the
# sample Xinfadi prices, as scripts/run.sh lands them.
# (the usage is captured first: grep -q closing the pipe early would fail the pipeline under pipefail)
usage=$(java -jar "$JAR" --help 2>&1 || true)
if grep -q -- '--scale' <<<"$usage"; then GEN_MODE=scale; else GEN_MODE=orders; fi

secs() {  # Spring Batch's "1m2s34ms" -> seconds
  awk -v d="$1" 'BEGIN { t = 0; while (match(d, /^[0-9]+(ms|h|m|s)/)) { u = substr(d, RSTART, RLENGTH); d = substr(d, RLENGTH + 1);
    n = u + 0; if (u ~ /ms$/) t += n / 1000; else if (u ~ /h$/) t += n * 3600; else if (u ~ /m$/) t += n * 60; else t += n }
    printf "%.3f", t }'
}
ts() { date -d "$1" +%s.%N; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.'"${3:-2}"'f", a / b; else print "-" }'; }
machine() {
  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB memory, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "[bench] $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), ES $ES"
machine
echo "[bench] generator: --$GEN_MODE; job heap -Xmx$HEAP; bulk $BULK_OPS docs x $BULK_PARALLEL parallel; DuckDB $DUCKDB_VERSION"
STEPS=(ingest standardise fuse publish index extract report)
declare -A END_TO_END SUMMARY

for scale in "${SCALES[@]}"; do
  tag=$(echo "$scale" | tr -c '0-9\n' '_')
  root="$ROOT/scale-$tag"
  prefix="bench$$-${tag}-"
  rm -rf "$root"
  mkdir -p "$root/landing"
  export AGRI_DATA_ROOT="file:$root" AGRI_JOB_REPOSITORY="$root/job-repository/agri-fusion"
  export AGRI_ELASTICSEARCH_INDEXPREFIX="$prefix"
  echo
  echo "=== scale $scale ($root, index prefix $prefix) ==="
  machine
  if [[ $GEN_MODE == scale ]]; then
    java -jar "$JAR" generate --date "$DATE" --scale "$scale" >"$root/generate.log" 2>&1 || { tail -20 "$root/generate.log"; exit 1; }
  else
    orders=$(awk -v s="$scale" 'BEGIN { printf "%d", s * 1000000 }')
    cp -R samples/landing/. "$root/landing/"
    java -jar "$JAR" generate --date "$DATE" --orders "$orders" >"$root/generate.log" 2>&1 || { tail -20 "$root/generate.log"; exit 1; }
  fi
  grep -E '^generated' "$root/generate.log" || true
  echo "landed: $(find "$root/landing" -type f | wc -l) files, $(du -sh "$root/landing" | cut -f1)"

  # --- the job
  start=$(date +%s.%N)
  status=0
  /usr/bin/time -v -o "$root/time.txt" java -Xmx"$HEAP" -jar "$JAR" run --date "$DATE" >"$root/run.log" 2>&1 || status=$?
  wall=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.1f", a - b }')
  if (( status != 0 )); then echo "job failed (exit $status), see $root/run.log:"; tail -20 "$root/run.log"; exit 1; fi
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$root/time.txt")
  java -jar "$JAR" status --last 1 2>/dev/null | grep -v -E '^[0-9T:.-]+Z +(INFO|WARN|DEBUG)' >"$root/status.txt"

  declare -A DUR ROWS
  for step in "${STEPS[@]}"; do
    d=$(sed -n "s/.*Step: \[$step\] executed in \([0-9hms]*\).*/\1/p" "$root/run.log" | tail -n 1)
    DUR[$step]=$(secs "${d:-0ms}")
    # status: "standardise 4761 (55 quarantined) 10s": rows out, plus the quarantined ones
    ROWS[$step]=$(tr '|' '\n' <"$root/status.txt" | awk -v s="$step" '$1 == s { n = $2; if ($3 ~ /^\(/) n += substr($3, 2); print n }')
  done
  printf '%-13s %10s %10s %10s\n' step seconds rows rows/s
  for step in "${STEPS[@]}"; do
    printf '%-13s %10.2f %10s %10s\n' "$step" "${DUR[$step]}" "${ROWS[$step]:-?}" "$(div "${ROWS[$step]:-0}" "${DUR[$step]}" 0)"
  done
  core=$(awk -v a="${DUR[ingest]}" -v b="${DUR[standardise]}" -v c="${DUR[fuse]}" -v d="${DUR[publish]}" 'BEGIN { printf "%.2f", a + b + c + d }')
  printf '%-13s %10.2f   (ingest + standardise + fuse + publish)\n' core "$core"
  printf '%-13s %10.1f   (JVM start to exit; peak RSS %s MB)\n' end-to-end "$wall" "$(( rss_kb / 1024 ))"
  END_TO_END[$scale]=$wall

  # The job's sales family: from its index's creation to the next family's (or the step's end).
  sales_index=$(sed -n "s/.*created index \(${prefix}sales-[0-9]*\) .*/\1/p" "$root/run.log" | tail -n 1)
  sales_from=$(grep "created index $sales_index " "$root/run.log" | cut -c1-24)
  sales_to=$(awk -v i="$sales_index" 'f && /created index|indexed [0-9]+ documents/ { print substr($0, 1, 24); exit } index($0, "created index " i " ") { f = 1 }' "$root/run.log")
  sales_secs=$(awk -v a="$(ts "$sales_to")" -v b="$(ts "$sales_from")" 'BEGIN { printf "%.3f", a - b }')
  sales_docs=$(curl -fsS "$ES/$sales_index/_count" | jq .count)
  job_sales_rate=$(div "$sales_docs" "$sales_secs" 0)
  echo "index: ${ROWS[index]} docs of all families in ${DUR[index]} s = $(div "${ROWS[index]}" "${DUR[index]}" 0) docs/s;" \
    "sales family $sales_docs docs in $sales_secs s = $job_sales_rate docs/s"

  # --- peer: DuckDB on the same landed files
  java -cp "$DUCKDB_JAR" scripts/bench/Peer.java "$root/landing" conf "$root/peer" >"$root/peer.log" 2>&1 || { tail -20 "$root/peer.log"; exit 1; }
  peer=$(awk '$1 == "peer_seconds" {print $2}' "$root/peer.log")
  echo "peer (DuckDB, 2 threads): $peer s; $(awk '$1 == "peer_rows" {printf "%s %s, ", $2, $3}' "$root/peer.log" | sed 's/, $//')"

  # --- plain bulk loader: the job's sales documents, exported (not timed), into a fresh index
  export_file="$root/sales.ndjson"
  : >"$export_file"
  page=$(curl -fsS -H 'Content-Type: application/json' "$ES/$sales_index/_search?scroll=2m" \
    -d "{\"size\": 5000, \"sort\": [\"_doc\"]}")
  while (( $(jq '.hits.hits | length' <<<"$page") > 0 )); do
    jq -c '.hits.hits[] | {index: {_id: ._id}}, ._source' <<<"$page" >>"$export_file"
    page=$(curl -fsS -H 'Content-Type: application/json' "$ES/_search/scroll" \
      -d "{\"scroll\": \"2m\", \"scroll_id\": $(jq ._scroll_id <<<"$page")}")
  done
  curl -fsS -o /dev/null -X DELETE -H 'Content-Type: application/json' "$ES/_search/scroll" -d "{\"scroll_id\": $(jq ._scroll_id <<<"$page")}" || true
  mkdir -p "$root/bulk"
  split -l $(( 2 * BULK_OPS )) -a 6 "$export_file" "$root/bulk/body-"
  plain_index="${prefix}plain-sales"
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' "$ES/$plain_index" --data-binary @conf/es/sales.json
  start=$(date +%s.%N)
  find "$root/bulk" -name 'body-*' | sort | xargs -P "$BULK_PARALLEL" -I{} \
    curl -fsS -o {}.out -H 'Content-Type: application/x-ndjson' "$ES/$plain_index/_bulk" --data-binary @{}
  plain_secs=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.3f", a - b }')
  if grep -l '"errors":true' "$root"/bulk/*.out >/dev/null; then echo "plain loader: bulk errors, see $root/bulk/*.out"; exit 1; fi
  curl -fsS -o /dev/null -X POST "$ES/$plain_index/_refresh"
  plain_docs=$(curl -fsS "$ES/$plain_index/_count" | jq .count)
  plain_rate=$(div "$plain_docs" "$plain_secs" 0)
  echo "plain bulk loader: $plain_docs docs, $BULK_OPS per request, $BULK_PARALLEL parallel: $plain_secs s = $plain_rate docs/s"

  peer_ratio=$(div "$core" "$peer" 1)
  es_ratio=$(div "$job_sales_rate" "$plain_rate" 2)
  echo "ratios: core / peer = $core / $peer = ${peer_ratio}x (target <= 5);" \
    "job sales docs/s / plain loader docs/s = $es_ratio (target >= 0.8)"
  SUMMARY[$scale]=$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$scale" "$GEN_MODE" "${ROWS[ingest]}" \
    "$wall" "$core" "$peer" "$peer_ratio" "$job_sales_rate" "$plain_rate" "$es_ratio" "$(( rss_kb / 1024 ))")

  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
    # by name: nodes usually refuse wildcard deletes (action.destructive_requires_name)
    for index in $(curl -fsS "$ES/_cat/indices/${prefix}*?h=index"); do curl -fsS -o /dev/null -X DELETE "$ES/$index" || true; done
    rm -rf "$root"
  fi
  unset DUR ROWS
done

echo
echo "=== summary ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
machine
echo "| scale | generator | rows landed | end-to-end s | core s | peer s | core/peer (≤ 5) | job sales docs/s | plain docs/s | job/plain (≥ 0.8) | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for scale in "${SCALES[@]}"; do echo "${SUMMARY[$scale]}"; done
full=""; quarter=""
for scale in "${SCALES[@]}"; do  # "1", "1.0" and "1.00" are the same scale
  awk -v s="$scale" 'BEGIN { exit !(s == 1) }' && full=${END_TO_END[$scale]}
  awk -v s="$scale" 'BEGIN { exit !(s == 0.25) }' && quarter=${END_TO_END[$scale]}
done
if [[ -n "$full" && -n "$quarter" ]]; then
  echo "growth: end-to-end scale 1.0 / scale 0.25 = $full / $quarter = $(div "$full" "$quarter" 2)x (target <= 4.4)"
fi
[[ "${BENCH_KEEP:-0}" == 1 ]] || rmdir "$ROOT" 2>/dev/null || true
