#!/usr/bin/env bash
# Chaos test of the nightly job: kills and stops it the way crashes, outages and operators do, and
# checks that every date heals by itself to the same result as an undisturbed run of that date.
# scripts/test.sh runs it after the Maven suite (AGRI_TEST_CHAOS=0 skips it). On its own:
#
#   AGRI_ES_URL=http://127.0.0.1:9250 scripts/chaos.sh [case ...]
#
# Cases (all by default, in this order; `reference` always runs first):
#   es-down         the Elasticsearch node is killed (-9) when `index` starts: the run fails cleanly
#                   (non-zero exit, the cause in one line, nothing left running); once the node is
#                   back, `restart` completes. Uses a throw-away node on AGRI_CHAOS_ES_PORT.
#   kill-each-step  `kill -9` of the job in each step, ingest to report, one after the other on one
#                   lake: each time a plain `run` (nobody types `recover`) must take the date over
#                   from the dead process and get past the step it died in; the last one completes.
#   two-runs        two `run` of one date started at once: one runs, the other exits 3 at once.
#   two-forced      the same with `run --force` on the completed date.
#   scheduler-stop  `agri schedule` is stopped (SIGTERM) while a manual `run` shares its embedded
#                   H2 job repository: the manual run completes.
# Every case then asserts the final state against the reference run (see assert_final_state).
#
# Each case has its own lake (a temporary data root with the sample landing files), its own H2 job
# repository file and its own index prefix, removed at the end (AGRI_CHAOS_KEEP=1 keeps the files).
#
# Needs: jobs/target/agri-fusion.jar (built by the suite), an Elasticsearch node at AGRI_ES_URL,
# curl and jq (installed with apt-get when missing and run as root).
# Settings: AGRI_CHAOS_DATE (default 2021-12-07, the sample day), AGRI_CHAOS_ES_PORT (default 9270),
#   AGRI_CHAOS_RUN_TIMEOUT (seconds one run may take, default 900), AGRI_CHAOS_MAX_DELAY_MS (the
#   longest random delay into a step before a kill, default 1000), AGRI_CHAOS_KEEP.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)

DATE="${AGRI_CHAOS_DATE:-2021-12-07}"
JAR="$PROJECT_DIR/jobs/target/agri-fusion.jar"
STEPS=(ingest standardise fuse publish index extract report)
ES_URL="${AGRI_ES_URL:-}"
CHAOS_ES_PORT="${AGRI_CHAOS_ES_PORT:-9270}"
CHAOS_ES_URL="http://127.0.0.1:$CHAOS_ES_PORT"
RUN_TIMEOUT="${AGRI_CHAOS_RUN_TIMEOUT:-900}"
MAX_DELAY_MS="${AGRI_CHAOS_MAX_DELAY_MS:-1000}"
# A second run of a date is refused as soon as it starts (JVM start-up on a busy machine: up to a minute).
REFUSE_WITHIN=120
ALL_CASES=(es-down kill-each-step two-runs two-forced scheduler-stop)

log() { echo "[chaos] $*" >&2; }
die() { log "ERROR: $*"; exit 2; }

[[ -f "$JAR" ]] || die "$JAR is missing; build it first: mvn -B -ntp -DskipTests package"
[[ -n "$ES_URL" ]] || die "AGRI_ES_URL must name a running Elasticsearch node (scripts/test.sh starts one)"
if ! command -v jq >/dev/null; then
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing Debian's jq package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends jq >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends jq >/dev/null; } \
      || die "could not install jq"
  else
    die "jq is not installed (as root: apt-get install jq)"
  fi
fi
CASES=("$@")
(( ${#CASES[@]} )) || CASES=("${ALL_CASES[@]}")
for c in "${CASES[@]}"; do
  [[ " ${ALL_CASES[*]} " == *" $c "* ]] || die "unknown case '$c' (cases: ${ALL_CASES[*]})"
done

WORK=$(mktemp -d /tmp/agri-chaos.XXXXXX)
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
PREFIX="chaos-$(date +%s)-"
ES_AUTH=()
[[ -n "${AGRI_ES_USERNAME:-}" ]] && ES_AUTH=(-u "$AGRI_ES_USERNAME:${AGRI_ES_PASSWORD:-}")
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
chaos_es_started=0

# ---------------------------------------------------------------------------------------------
# The throw-away Elasticsearch node of the es-down case (security off, small heap).

chaos_es() {
  AGRI_ES_PORT="$CHAOS_ES_PORT" AGRI_ES_HEAP=512m AGRI_ES_SECURITY=none AGRI_ES_SETTINGS= scripts/es-local.sh "$@"
}

chaos_es_pid() {
  chaos_es status 2>/dev/null | sed -n 's/.*(pid \([0-9]*\)).*/\1/p'
}

# Indices of this script (every case's prefix starts with PREFIX), deleted by name: wildcard
# deletes are refused by default.
delete_indices() {
  local url=$1; shift
  local index
  for index in $(curl -fsS --max-time 10 "$@" "$url/_cat/indices/${PREFIX}*?h=index" 2>/dev/null); do
    curl -fsS --max-time 30 "$@" -X DELETE "$url/$index" >/dev/null || log "could not delete index $index on $url"
  done
}

cleanup() {
  local pid
  # Whatever a failed case left running: only processes this script started (their pid files).
  for pid in $(cat "$WORK"/*/pids 2>/dev/null); do
    kill -9 "$pid" 2>/dev/null || true
  done
  delete_indices "$ES_URL" "${ES_AUTH[@]}"
  if (( chaos_es_started )); then
    delete_indices "$CHAOS_ES_URL"
    chaos_es stop >/dev/null 2>&1 || true
  fi
  if [[ "${AGRI_CHAOS_KEEP:-0}" == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Lakes and the agri processes of a case. Each case runs in a subshell with CASE_DIR set.

# The landing files every lake starts with: the sample Xinfadi prices plus the generated shop
# orders, waybills and origin registry of the date (deterministic, as scripts/run.sh lands them).
land_samples() {
  local template="$WORK/landing-template"
  mkdir -p "$template/data/landing"
  cp -R samples/landing/. "$template/data/landing/"
  AGRI_DATA_ROOT="file:$template/data" AGRI_JOB_REPOSITORY="$template/job-repository/agri-fusion" \
    AGRI_CONF_DIR="$PROJECT_DIR/conf" java -Djava.io.tmpdir="$WORK" -jar "$JAR" generate --date "$DATE" \
    --orders 2000 >"$template/generate.out" 2>&1 \
    || { cat "$template/generate.out" >&2; die "could not generate the sample feeds"; }
}

# use_lake NAME [ES_URL]: the agri processes below use the lake NAME: a data root with the
# landing files (copied when the lake is new), an H2 job repository and an index prefix of its own.
use_lake() {
  LAKE="$WORK/lake-$1"
  if [[ ! -d "$LAKE" ]]; then
    mkdir -p "$LAKE/data" "$LAKE/tmp"
    cp -R "$WORK/landing-template/data/landing" "$LAKE/data/"
  fi
  LAKE_ES_URL="${2:-$ES_URL}"
  LAKE_PREFIX="${PREFIX}$1-"
  LAKE_ENV=(
    AGRI_DATA_ROOT="file:$LAKE/data"
    AGRI_JOB_REPOSITORY="$LAKE/job-repository/agri-fusion"
    AGRI_CONF_DIR="$PROJECT_DIR/conf"
    AGRI_ES_URL="$LAKE_ES_URL"
    AGRI_ELASTICSEARCH_INDEXPREFIX="$LAKE_PREFIX"
    # One fixed key (32 bytes at least), so that hashed personal data is the same in every lake.
    AGRI_PII_HASH_KEY=chaos-test-personal-data-key-0123456789abcdef
    # The kills are timed on Spring Batch's "Executing step: [name]" lines.
    LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_BATCH=INFO
  )
  if [[ "$LAKE_ES_URL" != "$ES_URL" ]]; then
    LAKE_ENV+=(AGRI_ES_USERNAME= AGRI_ES_PASSWORD= AGRI_ES_API_KEY=)
  fi
}

# start_agri NAME ARGS...: starts `agri ARGS` on the lake in the background; the java pid in
# AGRI_PID, its log in $CASE_DIR/NAME.log, its console in NAME.out and NAME.err, and once it has
# ended its exit code in NAME.rc. (The wrapper keeps bash's "Killed" notices out of the output.)
start_agri() {
  local name=$1; shift
  rm -f "$CASE_DIR/$name.pid" "$CASE_DIR/$name.rc"
  (
    env "${LAKE_ENV[@]}" LOGGING_FILE_NAME="$CASE_DIR/$name.log" \
      java -Djava.io.tmpdir="$LAKE/tmp" -jar "$JAR" "$@" >"$CASE_DIR/$name.out" 2>"$CASE_DIR/$name.err" &
    echo $! >"$CASE_DIR/$name.pid"
    code=0
    wait $! || code=$?
    echo "$code" >"$CASE_DIR/$name.rc"
  ) 2>/dev/null &
  until [[ -s "$CASE_DIR/$name.pid" ]]; do sleep 0.05; done
  AGRI_PID=$(cat "$CASE_DIR/$name.pid")
  echo "$AGRI_PID" >>"$CASE_DIR/pids"
  log "  $name: agri $* (pid $AGRI_PID)"
}

# agri NAME ARGS...: runs `agri ARGS` on the lake to its end; its exit code in EXIT_CODE.
agri() {
  start_agri "$@"
  wait_exit "$1" "$RUN_TIMEOUT"
}

ended() { [[ -s "$CASE_DIR/$1.rc" ]]; }

# wait_exit NAME SECONDS: waits for the process NAME to end; its exit code in EXIT_CODE, 124 (and
# the process killed) when it is still running after SECONDS.
wait_exit() {
  local name=$1 limit=$2 start=$SECONDS
  until ended "$name"; do
    if (( SECONDS - start >= limit )); then
      kill -9 "$(cat "$CASE_DIR/$name.pid")" 2>/dev/null || true
      until ended "$name"; do sleep 0.1; done
      EXIT_CODE=124
      return
    fi
    sleep 0.2
  done
  EXIT_CODE=$(cat "$CASE_DIR/$name.rc")
}

# wait_for_log NAME PATTERN [SECONDS]: 0 once NAME's log has a line with PATTERN (a fixed
# string), 1 when the process ended first, 2 after SECONDS.
wait_for_log() {
  local name=$1 pattern=$2 limit=${3:-$RUN_TIMEOUT} start=$SECONDS
  until grep -qF -- "$pattern" "$CASE_DIR/$name.log" 2>/dev/null; do
    if ended "$name"; then
      grep -qF -- "$pattern" "$CASE_DIR/$name.log" 2>/dev/null && return 0
      return 1
    fi
    (( SECONDS - start < limit )) || return 2
    sleep 0.1
  done
}

step_started() { echo "Executing step: [$1]"; }
step_ended() { echo "Step: [$1] executed"; }

# random_delay [MAX_MS]: sleeps up to MAX_MS (default AGRI_CHAOS_MAX_DELAY_MS).
random_delay() {
  local max=${1:-$MAX_DELAY_MS}
  local ms=$(( RANDOM % (max + 1) ))
  sleep "$(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 )))"
}

# What the user was told: the console without log lines and stack traces.
user_lines() {
  cat "$CASE_DIR/$1.out" "$CASE_DIR/$1.err" 2>/dev/null \
    | grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+' \
    | grep -vE '^[[:space:]]+at |^Caused by: |^[[:space:]]+\.\.\. [0-9]+ (more|common frames)|^([a-z_$][a-zA-Z0-9_$]*\.)+[A-Za-z0-9_$]*(Exception|Error)(: |$)|^[[:space:]]*$' \
    || true
}

# The one line that explains an exit: the job's failure or the command's message, else a line
# naming a failure, else the last line the user saw.
cause_of() {
  local lines
  lines=$(user_lines "$1")
  { grep -E '^[[:space:]]*failure: |^agri: ' <<<"$lines" \
      || grep -iE 'fail|error|cannot|refused|unavailable|running|already' <<<"$lines" \
      || tail -n 1 <<<"$lines"; } | head -n 1 | sed 's/^[[:space:]]*//' | cut -c1-200
}

# ---------------------------------------------------------------------------------------------
# Checks. A case records failures with `fail`; its rows of the summary with `row_start` / `row_end`.

row_start() {
  ROW_NAME=$1
  ROW_START=$SECONDS
  ROW_FAILURES=()
  log "-- $ROW_NAME"
}

fail() {
  ROW_FAILURES+=("$*")
  log "  FAIL: $*"
}

row_end() {
  local result=PASS note=""
  if (( ${#ROW_FAILURES[@]} )); then
    result=FAIL
    note=$(printf '%s; ' "${ROW_FAILURES[@]}")
    note=${note%; }
  fi
  printf '%s\t%s\t%s\t%s\n' "$ROW_NAME" "$result" "$(( SECONDS - ROW_START ))" "$note" >>"$RESULTS"
  log "  $result ($(( SECONDS - ROW_START ))s)"
  ROW_NAME=""
}

# expect_exit NAME WANTED: EXIT_CODE is WANTED, else a failure naming the cause.
expect_exit() {
  local name=$1 wanted=$2
  if [[ "$EXIT_CODE" != "$wanted" ]]; then
    fail "$name exited $EXIT_CODE, expected $wanted: $(cause_of "$name")"
    return 1
  fi
}

# H2's own shell, from the jar: Spring Boot's PropertiesLauncher runs any main class of the jar.
repository_sql() {
  java -cp "$JAR" -Dloader.main=org.h2.tools.Shell org.springframework.boot.loader.launch.PropertiesLauncher \
    -url "jdbc:h2:file:$LAKE/job-repository/agri-fusion;AUTO_SERVER=TRUE" -user sa -password "" -sql "$1"
}

# Every execution (of any instance) the job repository holds as starting, running or stopping:
# "id status" lines. Spring Batch's tables, read directly: `agri status` shows one execution per
# instance only.
running_executions() {
  local out
  out=$(repository_sql "SELECT JOB_EXECUTION_ID, STATUS FROM BATCH_JOB_EXECUTION
      WHERE STATUS IN ('STARTING', 'STARTED', 'STOPPING')" 2>&1) || { fail "cannot read the job repository: $out"; return 0; }
  grep -E '^[0-9]' <<<"$out" | tr -d ' ' | tr '|' ' ' || true
}

# No execution of any instance of the date is still starting, running or stopping, in the job
# repository itself and in what `agri status` shows; the date's latest execution completed.
assert_nothing_running() {
  local running
  running=$(running_executions)
  [[ -z "$running" ]] || fail "executions left running in the job repository: $(paste -sd, - <<<"$running")"
  local name="status-$(date +%s%N)"
  agri "$name" status --last 50
  expect_exit "$name" 0 || return 0
  if grep -qE '\b(STARTING|STARTED|STOPPING)\b' "$CASE_DIR/$name.out"; then
    fail "agri status shows a running execution: $(grep -E '\b(STARTING|STARTED|STOPPING)\b' "$CASE_DIR/$name.out" | head -n 1 | tr -s ' ')"
  fi
  local latest
  latest=$(awk -v d="$DATE" '$1 == d { print $3; exit }' "$CASE_DIR/$name.out")
  [[ "$latest" == COMPLETED ]] || fail "agri status: the latest execution of $DATE is ${latest:-missing}, not COMPLETED"
}

# families.yml: "<family> <table>" per index family.
families() {
  awk '/^  [a-z0-9-]+:[[:space:]]*$/ { f = $1; sub(":", "", f) } /^    table:/ && f { print f, $2 }' conf/es/families.yml
}

# state OUT_DIR: the lake's published state as diffable text files, with what differs between
# lakes (the lake's own path, run and load ids, snapshot ids) taken out:
#   tables.txt       every Iceberg table of the lake (`agri lake tables`) with its rows
#   es-<family>.txt  every document of the family's alias: id and source (record ids of the
#                    indexed curated tables; every figure of the marts)
#   report.json      the run report's per-source accounting, quarantine reasons and chart series
#   extracts.txt     every department extract: rows and the SHA-256 of each file (CSV and XLSX are
#                    byte-reproducible)
# and checks ES = lake: each alias counts exactly its table's rows.
state() {
  local out=$1 data="$LAKE/data" root="file:$LAKE/data"
  mkdir -p "$out"
  local listing="lake-tables-$RANDOM$RANDOM"
  agri "$listing" lake tables
  [[ "$EXIT_CODE" == 0 ]] || fail "agri lake tables exited $EXIT_CODE: $(cause_of "$listing")"
  # columns: table, snapshot, committed, rows, files, bytes; the total line has no dotted name
  awk '$1 ~ /^[a-z_]+\.[a-z_0-9]+$/ { rows = $4; gsub(",", "", rows); print $1, "rows=" rows }' \
    "$CASE_DIR/$listing.out" | sort >"$out/tables.txt"
  [[ -s "$out/tables.txt" ]] || fail "agri lake tables listed no table"

  local auth=() family table url="$LAKE_ES_URL" in_lake in_es unequal=()
  [[ "$LAKE_ES_URL" == "$ES_URL" ]] && auth=("${ES_AUTH[@]}")
  while read -r family table; do
    in_lake=$(awk -v t="$table" '$1 == t { sub("rows=", "", $2); print $2 }' "$out/tables.txt")
    in_lake=${in_lake:-0}
    in_es=$(curl -fsS "${auth[@]}" "$url/$LAKE_PREFIX$family/_count" 2>/dev/null | jq -r .count) || in_es="no alias"
    [[ "$in_es" == "$in_lake" ]] || unequal+=("$family $in_es/$in_lake")
    if [[ "$in_es" =~ ^[0-9]+$ ]] && (( in_es > 10000 )); then
      fail "$LAKE_PREFIX$family: more documents than one search returns (10,000) to compare"
    fi
    curl -fsS "${auth[@]}" -H 'Content-Type: application/json' "$url/$LAKE_PREFIX$family/_search" \
      -d '{"size": 10000, "query": {"match_all": {}}}' 2>/dev/null \
      | jq -cS --arg root "$root" --arg path "${root#file:}" \
        '.hits.hits[] | {_id, doc: (._source | del(.run_id, .load_id)
           | walk(if type == "string" then ltrimstr($root) | ltrimstr($path) else . end))}' \
      | sort >"$out/es-$family.txt" || true
  done < <(families)
  (( ${#unequal[@]} == 0 )) || fail "ES != lake (family documents/rows): $(printf '%s, ' "${unequal[@]}" | sed 's/, $//')"

  local report="$data/reports/$DATE/report.json"
  if [[ -f "$report" ]]; then
    jq -S --arg root "$root" --arg path "${root#file:}" \
      '{sources, quarantine, charts} | walk(if type == "string" then ltrimstr($root) | ltrimstr($path) else . end)' \
      "$report" >"$out/report.json"
  else
    fail "no run report $report"
  fi

  while read -r manifest; do
    jq -r '"\(.extract_id) \(.period) rows=\(.rows) " + ([.files[] | "\(.name)=\(.sha256)"] | sort | join(" "))' "$manifest"
  done < <(find "$data/extracts" -name manifest.json 2>/dev/null | sort) >"$out/extracts.txt"
}

# assert_final_state: the case's lake, index and job repository against the reference run.
assert_final_state() {
  assert_nothing_running
  local mine="$CASE_DIR/state"
  state "$mine"
  local file differ=()
  for file in $(ls "$WORK/reference-state" "$mine" | grep -vE '^$|:$' | sort -u); do
    cmp -s "$WORK/reference-state/$file" "$mine/$file" && continue
    differ+=("${file%.*}")
    if [[ -f "$mine/$file" && -f "$WORK/reference-state/$file" ]]; then
      log "  $file differs from the reference run (diff reference this-case, first lines):"
      diff "$WORK/reference-state/$file" "$mine/$file" | head -n 3 | cut -c1-200 >&2 || true
    fi
  done
  (( ${#differ[@]} == 0 )) || fail "not the reference run's state: ${differ[*]} differ (AGRI_CHAOS_KEEP=1 keeps the files)"
}

# ---------------------------------------------------------------------------------------------
# The cases.

# The undisturbed run every case is compared with.
case_reference() {
  row_start "reference run (undisturbed)"
  use_lake reference
  agri run run --date "$DATE"
  expect_exit run 0 || return 1
  assert_nothing_running
  state "$WORK/reference-state"
  (( ${#ROW_FAILURES[@]} == 0 )) || return 1
  log "  reference: $(wc -l <"$WORK/reference-state/tables.txt") tables, $(cat "$WORK"/reference-state/es-*.txt | wc -l) documents"
  row_end
}

# kill -9 in each step, on one lake: the run that heals the kill in step N is the one killed in
# step N+1, so the seven kills cost about one run. A heal that fails is recorded, then worked
# around the old way (`agri recover`) so that the later steps are still tried.
case_kill_each_step() {
  use_lake kill
  local i step previous="" attempt=0 name rc
  row_start "kill -9 in ${STEPS[0]}"
  for i in "${!STEPS[@]}"; do
    step=${STEPS[$i]}
    attempt=$((attempt + 1)); name="run-$attempt"
    start_agri "$name" run --date "$DATE"
    rc=0; wait_for_log "$name" "$(step_started "$step")" || rc=$?
    if (( rc == 1 )) && [[ -n "$previous" ]]; then
      wait_exit "$name" 60
      fail "the run after the kill exited $EXIT_CODE without reaching $step: $(cause_of "$name")"
      recover_the_old_way "$attempt"
      attempt=$((attempt + 1)); name="run-$attempt"
      start_agri "$name" run --date "$DATE"
      rc=0; wait_for_log "$name" "$(step_started "$step")" || rc=$?
    fi
    if (( rc != 0 )); then
      wait_exit "$name" 60
      fail "$name never reached $step (exit $EXIT_CODE): $(cause_of "$name")"
      return 0
    fi
    # This run went on past the step the previous one died in: that kill healed.
    if [[ -n "$previous" ]]; then row_end; row_start "kill -9 in $step"; fi
    # publish only checks the landing and records the snapshots: a few hundred milliseconds
    if [[ "$step" == publish ]]; then random_delay 150; else random_delay; fi
    kill -9 "$AGRI_PID"
    wait_exit "$name" 30
    grep -qF "$(step_ended "$step")" "$CASE_DIR/$name.log" \
      && fail "the kill came after $step ended (timing: lower AGRI_CHAOS_MAX_DELAY_MS)"
    log "  killed $name in $step"
    previous=$step
  done
  # The run after the kill in the last step completes the date.
  attempt=$((attempt + 1)); name="run-$attempt"
  agri "$name" run --date "$DATE"
  if [[ "$EXIT_CODE" != 0 ]]; then
    fail "the run after the kill exited $EXIT_CODE: $(cause_of "$name")"
    recover_the_old_way "$attempt"
    agri "$name-again" run --date "$DATE"
    expect_exit "$name-again" 0 || true
  fi
  row_end
  row_start "kill -9 in each step: final state"
  assert_final_state
  row_end
}

# What an operator had to type before a run could take over from a dead process.
recover_the_old_way() {
  log "  working around it: agri recover --date $DATE"
  agri "recover-$1" recover --date "$DATE"
  log "  recover exited $EXIT_CODE: $(user_lines "recover-$1" | head -n 1)"
}

# Elasticsearch dies while the job indexes: the run fails cleanly and `restart` completes once it is back.
case_es_down() {
  row_start "ES killed during index"
  (( CHAOS_ES_READY )) || { fail "the throw-away Elasticsearch node on port $CHAOS_ES_PORT did not start: $(tail -n 1 "$WORK/chaos-es.out")"; return 0; }
  use_lake esdown "$CHAOS_ES_URL"
  start_agri run run --date "$DATE"
  local rc=0
  wait_for_log run "$(step_started index)" || rc=$?
  if (( rc != 0 )); then
    wait_exit run 60
    fail "the run never reached index (exit $EXIT_CODE): $(cause_of run)"; return 0
  fi
  random_delay
  local es_pid
  es_pid=$(chaos_es_pid)
  [[ -n "$es_pid" ]] || { fail "no pid of the Elasticsearch node on port $CHAOS_ES_PORT"; return 0; }
  kill -9 "$es_pid"
  log "  killed Elasticsearch on port $CHAOS_ES_PORT"
  # wait until it is gone or a zombie, so that the restart below never takes it for a live node
  for _ in $(seq 1 60); do [[ "$(ps -o stat= -p "$es_pid" 2>/dev/null)" =~ ^(Z|$) ]] && break; sleep 0.5; done
  wait_exit run "$RUN_TIMEOUT"
  case "$EXIT_CODE" in
    0) fail "the run completed although Elasticsearch was killed during index" ;;
    3) fail "the run exited 3 (already running)" ;;
    124) fail "the run did not end within ${RUN_TIMEOUT}s of Elasticsearch dying" ;;
  esac
  local cause
  cause=$(user_lines run | grep -iE 'refused|unavailable|unreachable|not reachable|connect|elasticsearch|timed out' | head -n 1) || true
  [[ -n "$cause" ]] || fail "no line tells the user the cause (Elasticsearch unreachable): $(cause_of run)"
  log "  failed with exit $EXIT_CODE: ${cause:-$(cause_of run)}"
  local running
  running=$(running_executions)
  [[ -z "$running" ]] || fail "the failed run left executions running in the job repository: $(paste -sd, - <<<"$running")"

  chaos_es start >"$WORK/chaos-es.out" 2>&1 \
    || { fail "Elasticsearch did not start again: $(tail -n 3 "$WORK/chaos-es.out" | paste -sd ' ' -)"; return 0; }
  agri restart restart --date "$DATE"
  expect_exit restart 0 || true
  assert_final_state
  delete_indices "$CHAOS_ES_URL"
  chaos_es stop >/dev/null 2>&1 || true
  row_end
}

# two_at_once NAME ARGS...: starts two `agri ARGS` at once; exactly one may run (and complete), the
# other must exit 3 while the first is still going.
two_at_once() {
  local label=$1; shift
  start_agri "$label-a" "$@"
  start_agri "$label-b" "$@"
  local start=$SECONDS first="" second=""
  while [[ -z "$first" ]]; do
    if ended "$label-a"; then first=a; second=b; elif ended "$label-b"; then first=b; second=a; fi
    (( SECONDS - start < RUN_TIMEOUT )) || break
    sleep 0.2
  done
  [[ -n "$first" ]] || { fail "neither run ended within ${RUN_TIMEOUT}s"; return 0; }
  local took=$((SECONDS - start))
  wait_exit "$label-$first" 10
  local first_code=$EXIT_CODE second_running=1
  ended "$label-$second" && second_running=0
  wait_exit "$label-$second" "$RUN_TIMEOUT"
  local second_code=$EXIT_CODE
  log "  $label-$first exited $first_code after ${took}s, $label-$second exited $second_code"
  if [[ "$first_code" != 3 ]]; then
    fail "the first to end ($label-$first) exited $first_code, not 3 (already running): $(cause_of "$label-$first")"
  elif (( took > REFUSE_WITHIN )); then
    fail "the refused run took ${took}s to exit 3"
  fi
  (( second_running )) || [[ "$first_code" != 3 ]] || fail "the refused run only exited once the other had ended"
  [[ "$second_code" == 0 ]] || fail "the surviving run ($label-$second) exited $second_code: $(cause_of "$label-$second")"
}

case_two_runs() {
  row_start "two runs of one date at once"
  use_lake twin
  two_at_once run run --date "$DATE"
  assert_final_state
  row_end
}

# On the twin lake, where two-runs completed the date (completed here first when run alone).
case_two_forced() {
  row_start "two forced runs of one date at once"
  local fresh=1
  [[ -d "$WORK/lake-twin" ]] && fresh=0
  use_lake twin
  if (( fresh )); then
    agri run run --date "$DATE"
    expect_exit run 0 || return 0
  fi
  two_at_once forced run --date "$DATE" --force
  assert_final_state
  row_end
}

# The scheduler (with a cron that does not fire meanwhile) and a manual run share the H2 file.
case_scheduler_stop() {
  row_start "scheduler stopped during a manual run"
  use_lake sched
  LAKE_ENV+=(AGRI_SCHEDULE_CRON="0 0 3 1 1 *")
  start_agri schedule schedule
  local scheduler=$AGRI_PID rc=0
  wait_for_log schedule "Started AgriFusionApplication" 120 || rc=$?
  if (( rc != 0 )); then
    wait_exit schedule 10
    fail "the scheduler did not start (exit $EXIT_CODE): $(cause_of schedule)"; return 0
  fi
  start_agri run run --date "$DATE"
  rc=0; wait_for_log run "$(step_started standardise)" || rc=$?
  if (( rc != 0 )); then
    wait_exit run 60
    fail "the manual run never reached standardise (exit $EXIT_CODE): $(cause_of run)"
  fi
  random_delay
  kill -TERM "$scheduler"
  log "  sent SIGTERM to the scheduler"
  wait_exit schedule 120
  [[ "$EXIT_CODE" != 124 ]] || fail "the scheduler did not stop within 120s of SIGTERM"
  wait_exit run "$RUN_TIMEOUT"
  expect_exit run 0 || true
  assert_final_state
  row_end
}

# run_case NAME: runs case_NAME in a subshell of its own (its own CASE_DIR); a command that fails
# unexpectedly ends the case and is recorded against its current row.
run_case() {
  local name=$1 fn="case_${1//-/_}"
  export CASE_DIR="$WORK/$name"
  mkdir -p "$CASE_DIR"
  log "== $name"
  set +e
  (
    set -eE
    ROW_NAME=""
    trap 'ABORTED="line $LINENO: $BASH_COMMAND"' ERR
    trap 'status=$?
      for pid in $(cat "$CASE_DIR/pids" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      if [[ -n "${ROW_NAME:-}" ]]; then
        (( status == 0 )) || fail "the case stopped at ${ABORTED:-exit $status}"
        row_end
      fi' EXIT
    "$fn"
  )
  local status=$?
  set -e
  return "$status"
}

# ---------------------------------------------------------------------------------------------

started=$SECONDS
log "work dir $WORK, index prefix $PREFIX, Elasticsearch $ES_URL, date $DATE"
if [[ " ${CASES[*]} " == *" es-down "* ]]; then
  # The throw-away node starts while the reference runs.
  chaos_es start >"$WORK/chaos-es.out" 2>&1 &
  CHAOS_ES_STARTER=$!
  chaos_es_started=1
fi
land_samples
run_case reference || die "the reference run failed; see above (nothing to compare the cases with)"
CHAOS_ES_READY=0
for c in "${CASES[@]}"; do
  if [[ "$c" == es-down ]]; then
    wait "$CHAOS_ES_STARTER" && CHAOS_ES_READY=1
    export CHAOS_ES_READY
  fi
  run_case "$c" || true
done

echo
printf '%-42s %-6s %8s  %s\n' case result seconds note
failed=0
while IFS=$'\t' read -r name result seconds note; do
  (( ${#note} <= 200 )) || note="${note:0:200}…"
  printf '%-42s %-6s %8s  %s\n' "$name" "$result" "$seconds" "$note"
  [[ "$result" == PASS ]] || failed=$((failed + 1))
done <"$RESULTS"
echo "[chaos] $(grep -c . "$RESULTS") checks, $failed failed, in $(( SECONDS - started ))s"
(( failed == 0 ))
