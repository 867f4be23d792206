#!/usr/bin/env bash
# Equivalence and fault checks of the nightly job on a real cluster (scripts/cluster-local.sh):
#
#   1. embedded   one generated day, run the default way: local[*] Spark, the lake on local disk,
#                 H2 job repository and catalog.
#   2. hdfs       the same landed files on HDFS, the job's executors on the Spark standalone
#                 workers, job repository and catalog on PostgreSQL. Fault: one worker and its
#                 executor are killed (-9) while `standardise` runs: Spark must reschedule on the
#                 other worker and the run complete.
#   3. s3         the same on the S3-compatible store (s3a:). Fault: one Elasticsearch node is
#                 stopped while `index` runs: the replicas keep every index available; the run
#                 completes, or fails cleanly (one-line cause) and `restart` completes once the
#                 node is back.
# Every run writes to the same 3-node Elasticsearch cluster (own index prefix). Then the lakes must
# agree table by table (`agri lake fingerprint`: rows and a digest of the content, i.e. the same
# record ids, values and mart figures), the runs' read/accepted/quarantined counts must agree, and
# every alias must count the same documents. The index step must have reached Elasticsearch from
# the executors, on every node (sampled with ss while it runs).
#
#   scripts/cluster-test.sh
#
# Prints a summary: wall time of each run, the peak memory (RSS) of each process, the fault
# outcomes. It starts the cluster unless it runs, and then stops every process it started, also on
# failure. scripts/test.sh runs it after the chaos test (AGRI_TEST_CLUSTER=0 skips it, loudly).
# Settings: AGRI_CLUSTER_TEST_DATE (default 2024-05-01), AGRI_CLUSTER_TEST_SCALE (default 0.02 of a
#   province-day: ~60 k waybills, 20 k order lines), AGRI_CLUSTER_TEST_TIMEOUT (seconds per run,
#   default 1200), AGRI_CLUSTER_TEST_KEEP=1 keeps .cluster/test and the indices.
set -euo pipefail
[[ "$(locale charmap 2>/dev/null)" == UTF-8 ]] || export LC_ALL=C.UTF-8
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)
CLUSTER_DIR="$PROJECT_DIR/.cluster"
WORK="$CLUSTER_DIR/test"
DATE="${AGRI_CLUSTER_TEST_DATE:-2024-05-01}"
SCALE="${AGRI_CLUSTER_TEST_SCALE:-0.02}"
TIMEOUT="${AGRI_CLUSTER_TEST_TIMEOUT:-1200}"
JAR="$PROJECT_DIR/jobs/target/agri-fusion.jar"
PREFIX="ct$(date +%s)-"
RUNS=(embedded hdfs s3)
FAILURES=()
DATABASES=()

log() { echo "[cluster-test] $*" >&2; }
fail() { FAILURES+=("$*"); log "FAIL: $*"; }

started_cluster=0
SAMPLER_PID=""
cleanup() {
  local rc=$?
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  for pid_file in "$WORK"/*.pid; do
    [[ -f "$pid_file" ]] && kill -9 "$(cat "$pid_file")" 2>/dev/null || true
  done
  if [[ "${AGRI_CLUSTER_TEST_KEEP:-0}" != 1 ]]; then
    curl -s -o /dev/null -X DELETE "$ES_ONE/${PREFIX}*" 2>/dev/null || true
    for db in "${DATABASES[@]}"; do
      PGPASSWORD=$(cat "$CLUSTER_DIR/pg/password") psql -q -h 127.0.0.1 -p "${AGRI_CLUSTER_PG_PORT:-5479}" -U agri -d agri \
        -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true
    done
  fi
  if (( started_cluster )); then
    log "stopping the cluster this test started"
    scripts/cluster-local.sh stop || rc=1
  fi
  exit $rc
}
trap cleanup EXIT

# The driver's and the executors' jars, built again when a source or pom is newer than either.
SPARK_JAR=$(ls -t pipelines/target/agri-fusion-pipelines-*-spark.jar 2>/dev/null | head -n 1 || true)
if [[ ! -f "$JAR" || -z "$SPARK_JAR" \
      || -n "$(find pom.xml pipelines/pom.xml jobs/pom.xml pipelines/src/main jobs/src/main -newer "$JAR" -type f -print -quit)" \
      || -n "$(find pom.xml pipelines/pom.xml pipelines/src/main -newer "$SPARK_JAR" -type f -print -quit)" ]]; then
  log "building the jars"
  mvn -B -ntp -q -Dstyle.color=never package -DskipTests
fi
rm -rf "$WORK"
mkdir -p "$WORK"

if scripts/cluster-local.sh status >/dev/null 2>&1; then
  log "using the running cluster"
else
  started_cluster=1
  scripts/cluster-local.sh start
fi
ES_URLS=$(scripts/cluster-local.sh env hdfs | sed -n 's/^export AGRI_ES_URL=//p')
DRIVER_UI_PORT="${AGRI_SPARK_DRIVER_UI_PORT:-4077}"
ES_ONE="${ES_URLS%%,*}"

# ---------------------------------------------------------------------------------------------
# Process memory: every 2 s the RSS of every process of the test, by role, into samples.tsv; during
# the index step also who holds connections to Elasticsearch, into es-connections.tsv.

role_of() {
  case "$1" in
    *agri-fusion.jar*) echo driver ;;
    *org.apache.spark.deploy.master.Master*) echo spark-master ;;
    *org.apache.spark.deploy.worker.Worker*) echo spark-worker ;;
    *CoarseGrainedExecutorBackend*) echo spark-executor ;;
    *namenode.NameNode*) echo hdfs-namenode ;;
    *datanode.DataNode*) echo hdfs-datanode ;;
    *s3proxy*) echo s3proxy ;;
    *org.elasticsearch.bootstrap.Elasticsearch*)
      # the cluster's nodes only (their folders are named by HTTP port), not a development node
      local port
      for port in $ES_PORTS; do [[ "$1" == *"/node-$port/"* ]] && { echo "es-node"; return; }; done
      echo "" ;;
    *postgres*"$CLUSTER_DIR"*) echo postgres-server ;;
    *) echo "" ;;
  esac
}

# (no errexit here: one process ending between ps and /proc must not end the sampling)
sample() {
  set +e
  while true; do
    local phase
    phase=$(cat "$WORK/phase" 2>/dev/null || echo idle)
    ps -eo pid=,rss=,args= | while read -r pid rss args; do
      local role
      role=$(role_of "$args")
      if [[ -n "$role" ]]; then printf '%s\t%s\t%s\t%s\n' "$phase" "$role" "$pid" "$rss"; fi
    done >>"$WORK/samples.tsv"
    # Who talks to Elasticsearch: pids with an open connection to one of its HTTP ports.
    local step
    step=$(sed -n 's/.*Executing step: \[\([a-z]*\)\].*/\1/p' "$WORK/$phase.log" 2>/dev/null | tail -n 1)
    if [[ "$step" == index ]]; then
      ss -tnpH state established 2>/dev/null | awk -v ports="$ES_PORTS" '
        { split($4, peer, ":"); port = peer[length(peer)]; if (index(" " ports " ", " " port " ")) {
            if (match($0, /pid=[0-9]+/)) print port "\t" substr($0, RSTART + 4, RLENGTH - 4) } }' \
        | while IFS=$'\t' read -r port pid; do
            printf '%s\t%s\t%s\t%s\n' "$phase" "$port" "$pid" "$(role_of "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)")"
          done >>"$WORK/es-connections.tsv"
    fi
    sleep 2
  done
}
ES_PORTS=$(tr ',' '\n' <<<"$ES_URLS" | sed -E 's#.*:([0-9]+)/?$#\1#' | paste -sd' ' -)
sample &
SAMPLER_PID=$!

# ---------------------------------------------------------------------------------------------
# Runs. Each run NAME has its own data root, job repository and index prefix; its console and log
# are NAME.out and NAME.log under .cluster/test.

# One key for every lake, so hashed personal data is equal across them.
export AGRI_PII_HASH_KEY=cluster-test-personal-data-key-0123456789abcdef
export LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_BATCH=INFO

# lake_root NAME: the data root of the run NAME.
lake_root() {
  case "$1" in
    embedded) echo "file:$WORK/embedded" ;;
    *) echo "$(scripts/cluster-local.sh env "$1" | sed -n 's/^export AGRI_DATA_ROOT=//p')/cluster-test/$PREFIX" ;;
  esac
}

# lake_env NAME: the environment of the run NAME, in the array LAKE_ENV.
lake_env() {
  LAKE_ENV=()
  if [[ "$1" == embedded ]]; then
    # The defaults: H2 file, local[*], whatever the calling shell has set.
    LAKE_ENV+=(-u AGRI_JOB_REPOSITORY_URL -u AGRI_JOB_REPOSITORY_USERNAME -u AGRI_JOB_REPOSITORY_PASSWORD
      -u SPRING_APPLICATION_JSON "AGRI_SPARK_MASTER=local[*]" "AGRI_JOB_REPOSITORY=$WORK/embedded/job-repository/agri")
  else
    local line
    while read -r line; do
      line=${line#export }
      local value=${line#*=}
      value=${value#\'}
      LAKE_ENV+=("${line%%=*}=${value%\'}")
    done < <(scripts/cluster-local.sh env "$1" | grep '^export ')
    LAKE_ENV+=("AGRI_JOB_REPOSITORY_URL=jdbc:postgresql://127.0.0.1:${AGRI_CLUSTER_PG_PORT:-5479}/$(database_of "$1")")
  fi
  if [[ "$1" != embedded ]]; then
    # Spark's event log of the run (uncompressed JSON lines): which tasks a lost executor took along.
    mkdir -p "$WORK/events-$1"
    local i
    for i in "${!LAKE_ENV[@]}"; do
      if [[ "${LAKE_ENV[$i]}" == SPRING_APPLICATION_JSON=* ]]; then
        LAKE_ENV[$i]="SPRING_APPLICATION_JSON=$(jq -c --arg dir "file:$WORK/events-$1" '.agri.spark.conf += {"spark.eventLog.enabled": "true",
            "spark.eventLog.dir": $dir, "spark.eventLog.compress": "false"}' <<<"${LAKE_ENV[$i]#*=}")"
      fi
    done
  fi
  LAKE_ENV+=("AGRI_DATA_ROOT=$(lake_root "$1")" "AGRI_ES_URL=$ES_URLS" "AGRI_ELASTICSEARCH_INDEXPREFIX=${PREFIX}$1-"
    "AGRI_ES_REPLICAS=1")
}

# fresh_database NAME: a new PostgreSQL database for the run NAME's job repository and catalog
# (pg-local.sh creates it, owned by agri; cleanup drops it).
database_of() { echo "${PREFIX//-/}_$1"; }
fresh_database() {
  AGRI_PG_DATABASE="$(database_of "$1")" scripts/cluster-local.sh pg start >/dev/null
  DATABASES+=("$(database_of "$1")")
}

# start_run NAME LABEL ARGS...: `agri ARGS` for the run NAME in the background; its pid in NAME.pid.
start_run() {
  local name=$1 label=$2; shift 2
  echo "$name-$label" >"$WORK/phase"
  rm -f "$WORK/$name-$label.rc"
  (
    lake_env "$name"
    env "${LAKE_ENV[@]}" LOGGING_FILE_NAME="$WORK/$name-$label.log" scripts/agri "$@" \
      >"$WORK/$name-$label.out" 2>&1 &
    echo $! >"$WORK/$name.pid"
    code=0
    wait $! || code=$?
    echo "$code" >"$WORK/$name-$label.rc"
  ) &
  until [[ -s "$WORK/$name.pid" ]]; do sleep 0.1; done
}

# wait_run NAME LABEL: waits for the run's end; exit code in EXIT_CODE, seconds in WALL.
wait_run() {
  local name=$1 label=$2 start=$SECONDS
  until [[ -s "$WORK/$name-$label.rc" ]]; do
    if (( SECONDS - start > TIMEOUT )); then
      kill -9 "$(cat "$WORK/$name.pid")" 2>/dev/null || true
      fail "$name: $label still running after ${TIMEOUT}s"
    fi
    sleep 1
  done
  EXIT_CODE=$(cat "$WORK/$name-$label.rc")
  rm -f "$WORK/$name.pid"
}

# wait_for_step NAME LABEL STEP: returns once the run's log says STEP started (1 if it ended first).
wait_for_step() {
  until grep -qF "Executing step: [$3]" "$WORK/$1-$2.log" 2>/dev/null; do
    [[ -s "$WORK/$1-$2.rc" ]] && return 1
    sleep 0.2
  done
}

# The one line a run told its user about a failure.
cause_of() {
  grep -E '^[[:space:]]*failure: |^agri: ' "$WORK/$1.out" | head -n 1 | cut -c1-200
}

# busy_worker SECONDS: the number of a worker whose executor is running a task of this run, from the
# driver's REST API (executor log links name the worker's UI port); empty after SECONDS.
busy_worker() {
  local api="http://127.0.0.1:${DRIVER_UI_PORT}/api/v1/applications" app port start=$SECONDS
  while (( SECONDS - start < $1 )); do
    app=$(curl -fsS "$api" 2>/dev/null | jq -r '.[0].id // empty') || true
    if [[ -n "$app" ]]; then
      port=$(curl -fsS "$api/$app/executors" 2>/dev/null | jq -r '.[] | select(.id != "driver" and .activeTasks > 0)
          | .executorLogs.stdout // empty' | sed -nE 's#^https?://[^:]+:([0-9]+)/.*#\1#p' | head -n 1) || true
      if [[ -n "$port" ]]; then echo $(( port - ${AGRI_SPARK_WORKER_UI_PORT:-8178} + 1 )); return; fi
    fi
    sleep 0.5
  done
}

declare -A WALL
run_to_end() {
  local name=$1 label=$2; shift 2
  local start=$SECONDS
  start_run "$name" "$label" "$@"
  wait_run "$name" "$label"
  WALL[$name-$label]=$(( SECONDS - start ))
  log "$name: agri $* exited $EXIT_CODE after ${WALL[$name-$label]}s"
}

log "generating $DATE at scale $SCALE"
AGRI_DATA_ROOT="file:$WORK/generated" scripts/agri generate --date "$DATE" --scale "$SCALE" >"$WORK/generate.out"
tail -n 1 "$WORK/generate.out" >&2
mkdir -p "$WORK/embedded"
cp -R "$WORK/generated/landing" "$WORK/embedded/"

# 1. embedded
run_to_end embedded run run --date "$DATE"
[[ "$EXIT_CODE" == 0 ]] || { fail "the embedded run failed: $(cause_of embedded-run)"; exit 1; }

# 2. HDFS, a worker killed during standardise
scripts/cluster/hdfs.sh put "$WORK/generated/landing" "$(lake_root hdfs)/landing"
fresh_database hdfs
start=$SECONDS
start_run hdfs run run --date "$DATE"
if wait_for_step hdfs run standardise; then
  worker=$(busy_worker 120)
  victim=$(scripts/cluster/spark.sh kill-worker "${worker:-2}")
  log "hdfs: killed Spark worker ${worker:-2} and its executor ($victim) during standardise"
  WORKER_FAULT="worker ${worker:-2} killed (-9) $(( SECONDS - start ))s into the run, during standardise"
  if [[ -n "$worker" ]]; then WORKER_FAULT+=", while its executor ran a task"
  else WORKER_FAULT+=", though no executor was seen running a task within 120 s"; fi
else
  fail "hdfs: the run ended before standardise"
fi
wait_run hdfs run
WALL[hdfs-run]=$(( SECONDS - start ))
[[ "$EXIT_CODE" == 0 ]] || fail "hdfs: the run did not complete after a worker was lost: $(cause_of hdfs-run)"
# From the event log: executors lost, tasks that failed with them, tasks that succeeded per executor.
events=$(find "$WORK/events-hdfs" -type f -name 'events_*' -exec cat {} + 2>/dev/null || true)
lost=$(grep -c '"Event":"SparkListenerExecutorRemoved"' <<<"$events" || true)
failed=$(grep '"Event":"SparkListenerTaskEnd"' <<<"$events" | grep -c 'ExecutorLostFailure' || true)
per_executor=$(grep '"Event":"SparkListenerTaskEnd"' <<<"$events" | jq -r 'select(.["Task End Reason"].Reason == "Success")
    | .["Task Info"]["Executor ID"]' 2>/dev/null | sort | uniq -c | awk '{ printf "%s%s: %s", (NR > 1 ? ", " : ""), $2, $1 }' || true)
WORKER_FAULT+="; $lost executor(s) removed, $failed task(s) lost with it and run again; tasks done per executor: ${per_executor:-none}; exit $EXIT_CODE in ${WALL[hdfs-run]}s"
(( lost >= 1 )) || fail "hdfs: Spark recorded no lost executor after the worker was killed"
(( failed >= 1 )) || log "hdfs: the killed executor had no task running when it died (only its finished work was lost)"
scripts/cluster/spark.sh start >/dev/null # the lost worker comes back for the next run

# 3. S3, an Elasticsearch node stopped during index
scripts/cluster/s3.sh put "$WORK/generated/landing" "$(lake_root s3)/landing"
fresh_database s3
start=$SECONDS
start_run s3 run run --date "$DATE"
if wait_for_step s3 run index; then
  sleep 2
  scripts/cluster/es.sh stop-node 3
  ES_FAULT="node 3 stopped $(( SECONDS - start ))s into the run, during index"
else
  fail "s3: the run ended before index"
fi
wait_run s3 run
WALL[s3-run]=$(( SECONDS - start ))
ES_FAULT+="; the run exited $EXIT_CODE"
scripts/cluster/es.sh start-node 3
if [[ "$EXIT_CODE" != 0 ]]; then
  cause=$(cause_of s3-run)
  [[ -n "$cause" ]] || fail "s3: the run failed without telling its cause"
  ES_FAULT+=" ($cause); restart after the node came back"
  run_to_end s3 restart restart --date "$DATE"
  ES_FAULT+=" exited $EXIT_CODE in ${WALL[s3-restart]}s"
  [[ "$EXIT_CODE" == 0 ]] || fail "s3: restart after the node came back failed: $(cause_of s3-restart)"
else
  ES_FAULT+=" (completed with the node down)"
fi
echo idle >"$WORK/phase"

# ---------------------------------------------------------------------------------------------
# Equivalence

for name in "${RUNS[@]}"; do
  lake_env "$name"
  env "${LAKE_ENV[@]}" AGRI_SPARK_MASTER='local[*]' scripts/agri lake fingerprint 2>/dev/null \
    | grep -E '^[a-z_]+\.' >"$WORK/$name.fingerprint" || fail "$name: agri lake fingerprint failed"
  env "${LAKE_ENV[@]}" scripts/agri status --last 1 >"$WORK/$name.status" 2>&1 || true
  for alias in $(curl -s "$ES_ONE/_cat/aliases/${PREFIX}$name-*?h=alias" | sort -u); do
    printf '%s %s\n' "${alias#"${PREFIX}$name-"}" "$(curl -s "$ES_ONE/$alias/_count" | jq .count)"
  done >"$WORK/$name.es-counts"
done
for name in hdfs s3; do
  diff -u "$WORK/embedded.fingerprint" "$WORK/$name.fingerprint" >"$WORK/$name.fingerprint.diff" \
    || fail "$name: the lake differs from the embedded run's: $(grep -c '^[-+][a-z]' "$WORK/$name.fingerprint.diff") lines (.cluster/test/$name.fingerprint.diff)"
  diff -u "$WORK/embedded.es-counts" "$WORK/$name.es-counts" >"$WORK/$name.es-counts.diff" \
    || fail "$name: Elasticsearch counts differ from the embedded run's (.cluster/test/$name.es-counts.diff)"
  # read / accepted / quarantined of the date (columns 7-9 of `agri status`)
  [[ "$(awk -v d="$DATE" '$1 == d { print $7, $8, $9; exit }' "$WORK/embedded.status")" \
      == "$(awk -v d="$DATE" '$1 == d { print $7, $8, $9; exit }' "$WORK/$name.status")" ]] \
    || fail "$name: rows read/accepted/quarantined differ from the embedded run's"
done
[[ -s "$WORK/embedded.fingerprint" && -s "$WORK/embedded.es-counts" ]] || fail "nothing to compare: no tables or no aliases"

# On the cluster, executors (not the driver) sent the bulk requests, to every node.
for port in $ES_PORTS; do
  awk -F'\t' -v p="$port" '$1 == "hdfs-run" && $2 == p && $4 == "spark-executor"' "$WORK/es-connections.tsv" 2>/dev/null | grep -q . \
    || fail "hdfs: no executor was seen connected to the Elasticsearch node on port $port"
done

# ---------------------------------------------------------------------------------------------
# Summary

{
  echo "cluster test of $DATE at scale $SCALE ($(grep -c . "$WORK/embedded.fingerprint") tables, $(wc -l <"$WORK/embedded.es-counts") aliases)"
  printf '%-18s %8s\n' run seconds
  for key in embedded-run hdfs-run s3-run s3-restart; do
    [[ -n "${WALL[$key]:-}" ]] && printf '%-18s %8s\n' "$key" "${WALL[$key]}"
  done
  echo "peak RSS (MB) by process, per run:"
  awk -F'\t' '$1 != "idle" { k = $1 "\t" $2 "\t" $3; if ($4 > max[k]) max[k] = $4 }
      END { for (k in max) { split(k, p, "\t"); r = p[1] "\t" p[2]; n[r]++; if (max[k] > top[r]) top[r] = max[k] }
            for (r in top) { split(r, p, "\t"); printf "  %-14s %-15s %2d process(es), largest %6.0f MB\n", p[1], p[2], n[r], top[r] / 1024 } }' \
      "$WORK/samples.tsv" | sort
  echo "connections to Elasticsearch during the index step (run, node port, process: samples every 2 s):"
  if [[ -s "$WORK/es-connections.tsv" ]]; then
    awk -F'\t' '{ c[$1 " " $2 " " $4]++ } END { for (k in c) printf "  %s: %d\n", k, c[k] }' "$WORK/es-connections.tsv" | sort
  else
    echo "  none"
  fi
  echo "worker fault: ${WORKER_FAULT:-not injected}"
  echo "ES fault: ${ES_FAULT:-not injected}"
  if (( ${#FAILURES[@]} )); then
    echo "FAILED:"; printf '  %s\n' "${FAILURES[@]}"
  else
    echo "PASSED: the HDFS and S3 runs give the embedded run's tables, figures and index counts"
  fi
} | tee "$WORK/summary.txt"
(( ${#FAILURES[@]} == 0 ))
