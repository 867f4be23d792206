#!/usr/bin/env bash
# Measures the nightly job on generated days of increasing size and prints per-step times, row
# rates and how time grows with volume. Performance is measured here, never in timed unit tests.
#
#   ./scripts/benchmark.sh                 # sizes 5000 and 50000 order lines, 3 runs each
#   BENCH_SIZES="20000 200000" BENCH_REPEATS=1 ./scripts/benchmark.sh
#
# Each size gets its own lake under data/benchmark/<size>; the local Elasticsearch node is started
# if AGRI_ES_URL is not set. Machines here are noisy: the script reports medians and ratios.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZES=${BENCH_SIZES:-"5000 50000"}
REPEATS=${BENCH_REPEATS:-3}
DATE=2021-12-07
JAR=jobs/target/agri-fusion.jar

if [[ ! -f "$JAR" ]]; then
  mvn -B -ntp -q -Dstyle.color=never package -DskipTests
fi
if [[ -z "${AGRI_ES_URL:-}" ]]; then
  scripts/es-local.sh start
  export AGRI_ES_URL="http://127.0.0.1:${AGRI_ES_PORT:-9200}"
fi
export SPARK_LOCAL_IP=127.0.0.1

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# step durations (ms) of a report.json, as "name ms" lines
durations() {
  awk '/"name"/ {gsub(/[",]/, "", $3); name=$3} /"durationMs"/ {gsub(/,/, "", $3); print name, $3}' "$1"
}

printf '%-9s %-8s %-7s %10s %10s %10s %10s %12s\n' size rows run wall_s ingest_s standard_s fuse_s rows_per_s
declare -A WALL
for size in $SIZES; do
  root="$PWD/data/benchmark/$size"
  rm -rf "$root"
  mkdir -p "$root"
  export AGRI_DATA_ROOT="file:$root" AGRI_JOB_REPOSITORY="$root/job-repository/agri-fusion"
  java -jar "$JAR" generate --date "$DATE" --orders "$size" >/dev/null
  walls=()
  for run in $(seq 1 "$REPEATS"); do
    start=$(date +%s.%N)
    java -jar "$JAR" run --date "$DATE" --force >"$root/run-$run.log" 2>&1 || { tail -20 "$root/run-$run.log"; exit 1; }
    wall=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}')
    walls+=("$wall")
    report="$root/reports/$DATE/report.json"
    rows=$(awk '/"name" : "ingest"/ {f=1} f && /"read"/ {gsub(/,/, "", $3); print $3; exit}' "$report")
    ingest=$(durations "$report" | awk '$1=="ingest" {print $2/1000}')
    standardise=$(durations "$report" | awk '$1=="standardise" {print $2/1000}')
    fuse=$(durations "$report" | awk '$1=="fuse" {print $2/1000}')
    rate=$(awk -v r="$rows" -v a="$ingest" -v b="$standardise" -v c="$fuse" 'BEGIN {printf "%d", r / (a + b + c)}')
    printf '%-9s %-8s %-7s %10.1f %10.1f %10.1f %10.1f %12s\n' "$size" "$rows" "$run" "$wall" "$ingest" "$standardise" "$fuse" "$rate"
  done
  WALL[$size]=$(printf '%s\n' "${walls[@]}" | median)
done

echo
echo "median wall time per size (whole job incl. JVM and Spark start, index, extract):"
first=""
for size in $SIZES; do
  printf '  %-9s %8.1f s' "$size" "${WALL[$size]}"
  if [[ -n "$first" ]]; then
    printf '   x%.1f the rows -> x%.2f the time' "$(awk -v a="$size" -v b="$first" 'BEGIN {print a / b}')" \
      "$(awk -v a="${WALL[$size]}" -v b="${WALL[$first]}" 'BEGIN {print a / b}')"
  else
    first=$size
  fi
  echo
done
