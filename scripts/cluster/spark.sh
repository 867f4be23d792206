#!/usr/bin/env bash
# The Spark part of the local cluster: a standalone Master and AGRI_SPARK_WORKERS Workers on
# 127.0.0.1, each its own JVM; executors run in JVMs the workers start.
#
#   scripts/cluster/spark.sh start|stop|status
#   scripts/cluster/spark.sh submit [spark-submit options] <jar> [args]   (spark-submit against this master)
#   scripts/cluster/spark.sh kill-worker N    kill -9 worker N and its executors (a lost machine; start brings it back)
#
# The Spark home (.cluster/spark/home: jars/ + RELEASE, what Spark's launcher looks for) is assembled
# from Maven Central by scripts/cluster/spark-home.pom, at the project's spark.version (root pom.xml).
# The s3a jars (scripts/cluster/s3a-pom.xml, the driver's versions) are added to it. State, logs and the workers'
# work dirs (executor stdout/stderr: work/worker-N/<app>/<executor>/) are under .cluster/spark/.
#
# Settings (environment):
#   AGRI_SPARK_MASTER_PORT     master port                     (default 7177; URL spark://127.0.0.1:PORT)
#   AGRI_SPARK_MASTER_UI_PORT  master web UI                   (default 8177)
#   AGRI_SPARK_WORKER_PORT     first worker's port, then +1... (default 7178)
#   AGRI_SPARK_WORKER_UI_PORT  first worker's web UI, +1...    (default 8178)
#   AGRI_SPARK_WORKERS         number of workers               (default 2)
#   AGRI_SPARK_WORKER_CORES    cores each worker offers        (default 1)
#   AGRI_SPARK_WORKER_MEMORY   memory each worker offers       (default 2g)
#   AGRI_SPARK_DAEMON_HEAP     heap of the master and worker JVMs themselves (default 512m)
#   AGRI_SPARK_START_TIMEOUT   seconds start waits for the workers to register (default 90)
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="$PROJECT_DIR/.cluster/spark"
SPARK_HOME_DIR="$DIR/home"
MASTER_PORT="${AGRI_SPARK_MASTER_PORT:-7177}"
MASTER_UI_PORT="${AGRI_SPARK_MASTER_UI_PORT:-8177}"
WORKER_PORT="${AGRI_SPARK_WORKER_PORT:-7178}"
WORKER_UI_PORT="${AGRI_SPARK_WORKER_UI_PORT:-8178}"
WORKERS="${AGRI_SPARK_WORKERS:-2}"
WORKER_CORES="${AGRI_SPARK_WORKER_CORES:-1}"
WORKER_MEMORY="${AGRI_SPARK_WORKER_MEMORY:-2g}"
DAEMON_HEAP="${AGRI_SPARK_DAEMON_HEAP:-512m}"
TIMEOUT="${AGRI_SPARK_START_TIMEOUT:-90}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"

source "$PROJECT_DIR/scripts/lib/processes.sh"

log() { echo "[spark] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# One value of the root pom's <properties>, so the cluster runs the Spark the project is built with.
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$PROJECT_DIR/pom.xml" | head -1
}

SPARK_VERSION="$(pom_property spark.version)"
SCALA_BINARY="$(pom_property scala.binary.version)"
[[ -n "$SPARK_VERSION" && -n "$SCALA_BINARY" ]] || die "no spark.version / scala.binary.version in $PROJECT_DIR/pom.xml"
# The JDK module openings Spark needs on Java 17, as the project's tests and fat jar use them.
ADD_OPENS="$(pom_property spark.add-opens)"

names() { echo master; for ((i = 1; i <= WORKERS; i++)); do echo "worker-$i"; done; }
pid_file() { echo "$DIR/run/$1.pid"; }
pid_of() { [[ -f "$(pid_file "$1")" ]] && cat "$(pid_file "$1")"; }
alive() { local pid; pid="$(pid_of "$1")" && [[ -n "$pid" ]] && pid_running "$pid"; }
url_of() {
  if [[ "$1" == master ]]; then echo "$MASTER_URL (ui http://127.0.0.1:$MASTER_UI_PORT)"
  else local i="${1#worker-}"; echo "spark://127.0.0.1:$((WORKER_PORT + i - 1)) (ui http://127.0.0.1:$((WORKER_UI_PORT + i - 1)))"; fi
}

assemble_home() {
  local release="Spark $SPARK_VERSION (Scala $SCALA_BINARY) assembled from Maven Central by scripts/cluster/spark-home.pom"
  if [[ -f "$SPARK_HOME_DIR/RELEASE" && "$(cat "$SPARK_HOME_DIR/RELEASE")" == "$release" \
        && "$SPARK_HOME_DIR/RELEASE" -nt "$PROJECT_DIR/scripts/cluster/spark-home.pom"
        && "$SPARK_HOME_DIR/RELEASE" -nt "$PROJECT_DIR/scripts/cluster/s3a-pom.xml" ]]; then
    return
  fi
  log "assembling the Spark home $SPARK_HOME_DIR (Spark $SPARK_VERSION from Maven Central)"
  rm -rf "$SPARK_HOME_DIR"
  mkdir -p "$SPARK_HOME_DIR/conf"
  mvn -B -ntp -q -Dstyle.color=never -f "$PROJECT_DIR/scripts/cluster/spark-home.pom" \
    -Dspark.version="$SPARK_VERSION" -Dscala.binary.version="$SCALA_BINARY" \
    -Dspark.home.jars="$SPARK_HOME_DIR/jars" package >&2 || die "could not assemble the Spark home (mvn above)"
  # s3a:// for executors, as a site adds hadoop-aws to its Spark: the driver's versions (s3a-pom.xml),
  # without what Spark's jars/ already has.
  mvn -B -ntp -q -Dstyle.color=never -f "$PROJECT_DIR/scripts/cluster/s3a-pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DexcludeGroupIds=io.netty,org.slf4j,commons-logging,commons-codec \
    -DoutputDirectory="$SPARK_HOME_DIR/jars" >&2 || die "could not add the s3a jars to the Spark home (mvn above)"
  # Written last: a half-copied jars/ is assembled again on the next start.
  echo "$release" > "$SPARK_HOME_DIR/RELEASE"
}

# Starts one daemon JVM in the background; its pid file is written at once, so stop finds it even
# when start fails afterwards.
launch() {
  local name="$1"; shift
  mkdir -p "$DIR/run" "$DIR/logs"
  (
    # Workers build the executors' command line with Spark's launcher: it takes jars/ of a home with a
    # RELEASE file, and the Scala version from SPARK_SCALA_VERSION (else it looks for a source build).
    export SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION="$SCALA_BINARY" SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$DIR/logs"
    exec java -Xmx"$DAEMON_HEAP" $ADD_OPENS -cp "$SPARK_HOME_DIR/conf:$SPARK_HOME_DIR/jars/*" "$@" \
      >"$DIR/logs/$name.log" 2>&1 </dev/null
  ) &
  echo $! > "$(pid_file "$name")"
}

# Alive workers the master knows, from its web UI's JSON.
alive_workers() {
  curl -fsS --max-time 2 "http://127.0.0.1:$MASTER_UI_PORT/json/" 2>/dev/null \
    | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0
}

start() {
  assemble_home
  if alive master; then log "master already running (pid $(pid_of master))"
  else
    # No REST submission server (it would listen on 6066): clients submit in client mode.
    launch master -Dspark.master.rest.enabled=false org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI_PORT"
  fi
  local i name
  for ((i = 1; i <= WORKERS; i++)); do
    name="worker-$i"
    if alive "$name"; then log "$name already running (pid $(pid_of "$name"))"; continue; fi
    mkdir -p "$DIR/work/$name" "$DIR/local/$name"
    SPARK_LOCAL_DIRS="$DIR/local/$name" launch "$name" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --port "$((WORKER_PORT + i - 1))" --webui-port "$((WORKER_UI_PORT + i - 1))" \
      --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" --work-dir "$DIR/work/$name" "$MASTER_URL"
  done
  local waited=0
  until [[ "$(alive_workers)" -ge "$WORKERS" ]]; do
    for name in $(names); do
      alive "$name" || { tail -n 20 "$DIR/logs/$name.log" >&2 || true; die "$name exited during start (log: $DIR/logs/$name.log)"; }
    done
    (( waited++ < TIMEOUT )) || { tail -n 20 "$DIR/logs/master.log" >&2 || true; die "the master did not see $WORKERS alive workers within ${TIMEOUT}s (logs: $DIR/logs/)"; }
    sleep 1
  done
  log "master $MASTER_URL with $WORKERS workers (${WORKER_CORES} core, $WORKER_MEMORY each)"
  status
}

# The executors a worker started are its child JVMs; they are stopped with it.
stop_one() {
  local name="$1" pid children
  pid="$(pid_of "$name")" || return 0
  if [[ -n "$pid" ]] && pid_running "$pid"; then
    children="$(pgrep -P "$pid" || true)"
    terminate "$pid" 15 || true
    for c in $children; do kill -9 "$c" 2>/dev/null || true; done
    log "stopped $name (pid $pid)"
  fi
  rm -f "$(pid_file "$name")"
}

# A lost machine: worker N and its executors killed at once (-9), no shutdown hook runs. Prints the pids.
kill_worker() {
  local name="worker-$1" pid children
  pid="$(pid_of "$name")" && [[ -n "$pid" ]] && pid_running "$pid" || die "$name is not running"
  children="$(pgrep -P "$pid" | paste -sd' ' - || true)"
  kill -9 "$pid" $children 2>/dev/null || true
  rm -f "$(pid_file "$name")"
  echo "$pid $children"
}

stop() {
  local name
  # Workers first, so none re-registers with a master that is going away.
  for name in $(names | tac); do stop_one "$name"; done
  # Workers of an earlier start with more workers than now.
  for f in "$DIR"/run/*.pid; do [[ -e "$f" ]] && stop_one "$(basename "$f" .pid)"; done
  return 0
}

status() {
  local name down=0
  for name in $(names); do
    if alive "$name"; then echo "spark-$name pid $(pid_of "$name") $(url_of "$name")"
    else echo "spark-$name down $(url_of "$name")"; down=1; fi
  done
  return $down
}

# The home has no bin/: spark-submit is its main class, run in the foreground (client mode).
submit() {
  [[ -d "$SPARK_HOME_DIR/jars" ]] || die "no Spark home yet: run $0 start"
  SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION="$SCALA_BINARY" SPARK_LOCAL_IP=127.0.0.1 \
    exec java $ADD_OPENS -cp "$SPARK_HOME_DIR/conf:$SPARK_HOME_DIR/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "$MASTER_URL" "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  submit) shift; submit "$@" ;;
  kill-worker) [[ "${2:-}" =~ ^[0-9]+$ ]] || die "usage: $0 kill-worker N"; kill_worker "$2" ;;
  *) echo "usage: $0 start|stop|status|submit ...|kill-worker N" >&2; exit 2 ;;
esac
