#!/usr/bin/env bash
# Measures the nightly job on generated days of the given scales against two baselines on the
# same inputs: DuckDB doing the standardise + fuse work as SQL (scripts/bench/Peer.java), and a
# plain _bulk loader of the job's sales documents (same mapping, bulk size and parallel requests).
# Not a test: run it by hand on a quiet machine. docs/benchmarks.md explains every figure.
#
#   ./scripts/bench.sh [scale ...]        (default: 0.1 0.25 0.5 1.0; scale 1.0 ~ 3 M waybills)
#
# Each scale's day is generated once; each of BENCH_REPEATS (default 3) runs of the job, the peer
# and the plain loader then starts afresh (its own data root, H2 job repository and index prefix
# under $BENCH_ROOT, default /tmp/agri-bench.<pid>), and every figure printed is the median of the
# repeats. Data and indices are removed afterwards unless BENCH_KEEP=1.
# The local Elasticsearch node is started unless AGRI_ES_URL points at one (no authentication).
# BENCH_DATE (default 2021-12-07) is the generated business date; the job heap is AGRI_JAVA_HEAP
# (default 6g, as scripts/agri). The closing summary is a Markdown table in the layout of
# docs/benchmarks.md.
set -euo pipefail
[[ "$(locale charmap 2>/dev/null)" == UTF-8 ]] || export LC_ALL=C.UTF-8
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCALES=("$@")
(( ${#SCALES[@]} )) || SCALES=(0.1 0.25 0.5 1.0)
DATE=${BENCH_DATE:-2021-12-07}
REPEATS=${BENCH_REPEATS:-3}
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
# The job loads from every core at once (local[*]), each task with BULK_PARALLEL requests in flight:
# the plain loader gets as many parallel requests.
PLAIN_PARALLEL=$(( $(nproc) * BULK_PARALLEL ))

secs() {  # Spring Batch's "1m2s34ms" -> seconds
  awk -v d="$1" 'BEGIN { t = 0; while (match(d, /^[0-9]+(ms|h|m|s)/)) { u = substr(d, RSTART, RLENGTH); d = substr(d, RLENGTH + 1);
    n = u + 0; if (u ~ /ms$/) t += n / 1000; else if (u ~ /h$/) t += n * 3600; else if (u ~ /m$/) t += n * 60; else t += n }
    printf "%.3f", t }'
}
ts() { date -d "$1" +%s.%N; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.'"${3:-2}"'f", a / b; else print "-" }'; }
machine() {
  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB memory, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "[bench] $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), ES $ES"
machine
echo "[bench] $REPEATS run(s) per scale, medians; job heap -Xmx$JAVA_HEAP; bulk $BULK_OPS docs x $BULK_PARALLEL per task," \
  "plain loader $PLAIN_PARALLEL parallel; DuckDB $DUCKDB_VERSION"
STEPS=(ingest standardise fuse publish index extract report)
declare -A END_TO_END SUMMARY

fig() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }  # <figures file> <name>

# export_sales INDEX DIR: the job's sales documents as _bulk bodies of BULK_OPS documents (not timed)
export_sales() {
  local index=$1 dir=$2 page
  mkdir -p "$dir"
  : >"$dir/sales.ndjson"
  page=$(curl -fsS -H 'Content-Type: application/json' "$ES/$index/_search?scroll=2m" -d '{"size": 10000, "sort": ["_doc"]}')
  while :; do
    # one jq pass per page: the scroll id, the page's size, then the action and source lines
    jq -c '._scroll_id, (.hits.hits | length), (.hits.hits[] | {index: {_id: ._id}}, ._source)' <<<"$page" >"$dir/page"
    (( $(sed -n 2p "$dir/page") > 0 )) || break
    tail -n +3 "$dir/page" >>"$dir/sales.ndjson"
    page=$(curl -fsS -H 'Content-Type: application/json' "$ES/_search/scroll" -d "{\"scroll\": \"2m\", \"scroll_id\": $(head -n 1 "$dir/page")}")
  done
  curl -fsS -o /dev/null -X DELETE -H 'Content-Type: application/json' "$ES/_search/scroll" \
    -d "{\"scroll_id\": $(head -n 1 "$dir/page")}" || true
  split -l $(( 2 * BULK_OPS )) -a 6 "$dir/sales.ndjson" "$dir/body-"
  rm -f "$dir/page" "$dir/sales.ndjson"
}

# measure RUN PREFIX BULK: one run of the job on RUN/landing, then the peer and the plain loader on the
# same inputs; every figure to RUN/figures as "name value" lines.
measure() {
  local run=$1 prefix=$2 bulk=$3 f=$1/figures start status=0 step d
  export AGRI_DATA_ROOT="file:$run" AGRI_JOB_REPOSITORY="$run/job-repository/agri-fusion" AGRI_ELASTICSEARCH_INDEXPREFIX="$prefix"
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$run/time.txt" java -Xmx"$JAVA_HEAP" -jar "$JAR" run --date "$DATE" >"$run/run.log" 2>&1 || status=$?
  if (( status != 0 )); then echo "job failed (exit $status), see $run/run.log:"; tail -20 "$run/run.log"; exit 1; fi
  awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "wall %.1f\n", a - b }' >"$f"
  echo "rss $(( $(awk -F': ' '/Maximum resident set size/ {print $2}' "$run/time.txt") / 1024 ))" >>"$f"
  java -jar "$JAR" status --last 1 2>/dev/null | grep -v -E '^[0-9T:.-]+Z +(INFO|WARN|DEBUG)' >"$run/status.txt"
  for step in "${STEPS[@]}"; do
    d=$(sed -n "s/.*Step: \[$step\] executed in \([0-9hms]*\).*/\1/p" "$run/run.log" | tail -n 1)
    echo "secs_$step $(secs "${d:-0ms}")" >>"$f"
    # status: "standardise 4761 (55 quarantined) 10s": rows out, plus the quarantined ones
    echo "rows_$step $(tr '|' '\n' <"$run/status.txt" | awk -v s="$step" '$1 == s { n = $2; if ($3 ~ /^\(/) n += substr($3, 2); print n }')" >>"$f"
  done

  # The job's sales family: from its index's creation to the next family's (or the step's end).
  local sales_index sales_from sales_to
  sales_index=$(sed -n "s/.*created index \(${prefix}sales-[0-9]*\) .*/\1/p" "$run/run.log" | tail -n 1)
  sales_from=$(grep "created index $sales_index " "$run/run.log" | cut -c1-24)
  sales_to=$(awk -v i="$sales_index" 'f && /created index|indexed [0-9]+ documents/ { print substr($0, 1, 24); exit } index($0, "created index " i " ") { f = 1 }' "$run/run.log")
  echo "sales_docs $(curl -fsS "$ES/$sales_index/_count" | jq .count)" >>"$f"
  awk -v a="$(ts "$sales_to")" -v b="$(ts "$sales_from")" 'BEGIN { printf "sales_secs %.3f\n", a - b }' >>"$f"

  # --- peer: DuckDB on the same landed files
  java -cp "$DUCKDB_JAR" scripts/bench/Peer.java "$run/landing" conf "$run/peer" >"$run/peer.log" 2>&1 || { tail -20 "$run/peer.log"; exit 1; }
  echo "peer $(awk '$1 == "peer_seconds" {print $2}' "$run/peer.log")" >>"$f"

  # --- plain bulk loader: the job's sales documents (exported once per scale) into a fresh index
  [[ -d "$bulk" ]] || export_sales "$sales_index" "$bulk"
  local plain_index="${prefix}plain-sales"
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' "$ES/$plain_index" --data-binary @conf/es/sales.json
  rm -f "$bulk"/*.out
  start=$(date +%s.%N)
  find "$bulk" -name 'body-*' | sort | xargs -P "$PLAIN_PARALLEL" -I{} \
    curl -fsS -o {}.out -H 'Content-Type: application/x-ndjson' "$ES/$plain_index/_bulk" --data-binary @{}
  awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "plain_secs %.3f\n", a - b }' >>"$f"
  if grep -l '"errors":true' "$bulk"/*.out >/dev/null; then echo "plain loader: bulk errors, see $bulk/*.out"; exit 1; fi
  curl -fsS -o /dev/null -X POST "$ES/$plain_index/_refresh"
  echo "plain_docs $(curl -fsS "$ES/$plain_index/_count" | jq .count)" >>"$f"

  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
    # by name: nodes usually refuse wildcard deletes (action.destructive_requires_name)
    for index in $(curl -fsS "$ES/_cat/indices/${prefix}*?h=index"); do curl -fsS -o /dev/null -X DELETE "$ES/$index" || true; done
  fi
}

for scale in "${SCALES[@]}"; do
  tag=$(echo "$scale" | tr -c '0-9\n' '_')
  base="$ROOT/scale-$tag"
  rm -rf "$base"
  mkdir -p "$base/landing"
  echo
  echo "=== scale $scale ($base) ==="
  machine
  AGRI_DATA_ROOT="file:$base" java -jar "$JAR" generate --date "$DATE" --scale "$scale" >"$base/generate.log" 2>&1 \
    || { tail -20 "$base/generate.log"; exit 1; }
  grep -E '^generated' "$base/generate.log" || true
  echo "landed: $(find "$base/landing" -type f | wc -l) files, $(du -sh "$base/landing" | cut -f1)"

  runs=()
  for (( r = 1; r <= REPEATS; r++ )); do
    run="$base/run-$r"
    mkdir -p "$run"
    ln -s "$base/landing" "$run/landing"
    measure "$run" "bench$$-${tag}-$r-" "$base/bulk"
    runs+=("$run/figures")
    echo "run $r: end-to-end $(fig "$run/figures" wall) s, core $(awk '$1 ~ /^secs_(ingest|standardise|fuse|publish)$/ { t += $2 } END { printf "%.2f", t }' "$run/figures") s," \
      "peer $(fig "$run/figures" peer) s, sales $(fig "$run/figures" sales_docs) docs in $(fig "$run/figures" sales_secs) s," \
      "plain $(fig "$run/figures" plain_docs) docs in $(fig "$run/figures" plain_secs) s; $(machine | sed 's/^machine: //')"
    # the run's lake, job repository and outputs go; its logs and figures stay until the scale is done
    [[ "${BENCH_KEEP:-0}" == 1 ]] || find "$run" -mindepth 1 -maxdepth 1 ! -name '*.log' ! -name '*.txt' ! -name figures -exec rm -rf {} +
  done
  med() { for file in "${runs[@]}"; do fig "$file" "$1"; done | median; }  # the median of a figure over the runs

  printf '%-13s %10s %10s %10s   (medians of %s runs)\n' step seconds rows rows/s "$REPEATS"
  for step in "${STEPS[@]}"; do
    secs=$(med "secs_$step")
    rows=$(med "rows_$step")
    printf '%-13s %10.2f %10s %10s\n' "$step" "$secs" "$rows" "$(div "$rows" "$secs" 0)"
  done
  core=$(for file in "${runs[@]}"; do awk '$1 ~ /^secs_(ingest|standardise|fuse|publish)$/ { t += $2 } END { print t }' "$file"; done | median)
  wall=$(med wall)
  rss=$(for file in "${runs[@]}"; do fig "$file" rss; done | sort -g | tail -n 1)
  printf '%-13s %10.2f   (ingest + standardise + fuse + publish)\n' core "$core"
  printf '%-13s %10.1f   (JVM start to exit; peak RSS %s MB, the largest of the runs)\n' end-to-end "$wall" "$rss"
  END_TO_END[$scale]=$wall

  job_rate=$(for file in "${runs[@]}"; do div "$(fig "$file" sales_docs)" "$(fig "$file" sales_secs)" 0; echo; done | median)
  plain_rate=$(for file in "${runs[@]}"; do div "$(fig "$file" plain_docs)" "$(fig "$file" plain_secs)" 0; echo; done | median)
  peer=$(med peer)
  echo "index: sales family $(med sales_docs) docs at $job_rate docs/s; all families $(med rows_index) docs in $(med secs_index) s"
  echo "peer (DuckDB, 2 threads): $peer s; $(awk '$1 == "peer_rows" {printf "%s %s, ", $2, $3}' "$base/run-1/peer.log" 2>/dev/null | sed 's/, $//')"
  echo "plain bulk loader: $(med plain_docs) docs, $BULK_OPS per request, $PLAIN_PARALLEL parallel: $plain_rate docs/s"
  peer_ratio=$(div "$core" "$peer" 1)
  es_ratio=$(div "$job_rate" "$plain_rate" 2)
  echo "ratios: core / peer = $core / $peer = ${peer_ratio}x (target <= 5);" \
    "job sales docs/s / plain loader docs/s = $es_ratio (target >= 0.8)"
  SUMMARY[$scale]=$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$scale" "$(med rows_ingest)" \
    "$wall" "$core" "$peer" "$peer_ratio" "$job_rate" "$plain_rate" "$es_ratio" "$rss")
  [[ "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$base"
done

echo
echo "=== summary ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
machine
echo "| scale | rows landed | end-to-end s | core s | peer s | core/peer (≤ 5) | job sales docs/s | plain docs/s | job/plain (≥ 0.8) | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
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
