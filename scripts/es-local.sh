#!/usr/bin/env bash
# Local single-node Elasticsearch for development, the demo run and the test suite.
#
#   scripts/es-local.sh start|stop|status
#   scripts/es-local.sh start-node N|stop-node N     one node of a cluster (AGRI_ES_NODES > 1), 1-based
#
# The server is the minimal "integ-test-zip" distribution from Maven Central (core modules only).
# It needs Java 21+ and refuses to run as root, so when this script runs as root it creates an
# unprivileged system user and starts the node through runuser. The node binds 127.0.0.1 only.
#
# Settings (environment):
#   AGRI_ES_PORT       HTTP port                          (default 9200; transport = port + 100)
#   AGRI_ES_NODES      nodes of the cluster               (default 1; with N > 1, node i (1..N) serves HTTP
#                      on port + i - 1 and transport on port + 100 + i - 1, the nodes discover each other
#                      on loopback, and start waits for green with all N joined)
#   ES_JAVA_HOME       JDK 21+ that runs the server       (default: temurin-25, else newest >= 21 in /usr/lib/jvm)
#   AGRI_ES_HEAP       heap size                          (default 1g)
#   AGRI_ES_USER       user the node runs as when root    (default agrifusion-es)
#   AGRI_ES_DIR        where the server and node data go  (default <project>/.es, git-ignored)
#   AGRI_ES_VERSION    server version                     (default 9.2.4)
#   AGRI_ES_SECURITY   none | basic: with basic, security is on (HTTP without TLS, on loopback only)
#                      and the user AGRI_ES_USERNAME / AGRI_ES_PASSWORD is created as superuser (the
#                      password reaches elasticsearch-users and curl on stdin, never in a process's arguments)
#   AGRI_ES_SETTINGS   extra elasticsearch.yml lines (e.g. a tiny write queue for tests)
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${AGRI_ES_PORT:-9200}"
VERSION="${AGRI_ES_VERSION:-9.2.4}"
HEAP="${AGRI_ES_HEAP:-1g}"
ES_USER="${AGRI_ES_USER:-agrifusion-es}"
ES_DIR="${AGRI_ES_DIR:-$PROJECT_DIR/.es}"
NODES="${AGRI_ES_NODES:-1}"
[[ "$NODES" =~ ^[1-9][0-9]*$ ]] || { echo "[es-local] ERROR: AGRI_ES_NODES must be a positive number, not $NODES" >&2; exit 1; }
CLUSTER_NAME=agri-fusion-local
(( NODES > 1 )) && CLUSTER_NAME="agri-fusion-local-$PORT"
HEALTH_URL="http://127.0.0.1:${PORT}/_cluster/health"
SECURITY="${AGRI_ES_SECURITY:-none}"
if [[ "$SECURITY" == basic ]]; then
  [[ -n "${AGRI_ES_USERNAME:-}" && -n "${AGRI_ES_PASSWORD:-}" ]] || { echo "[es-local] ERROR: AGRI_ES_SECURITY=basic needs AGRI_ES_USERNAME and AGRI_ES_PASSWORD" >&2; exit 1; }
fi

# curl with the node's credentials, given on stdin as a config line, never on a command line.
es_curl() {
  if [[ "$SECURITY" == basic ]]; then
    local cred="$AGRI_ES_USERNAME:$AGRI_ES_PASSWORD"
    cred=${cred//\\/\\\\}; cred=${cred//\"/\\\"}
    curl --config - "$@" <<<"user = \"$cred\""
  else
    curl "$@"
  fi
}

source "$PROJECT_DIR/scripts/lib/processes.sh"

log() { echo "[es-local] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_java() {
  if [[ -n "${ES_JAVA_HOME:-}" ]]; then
    [[ -x "$ES_JAVA_HOME/bin/java" ]] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
    echo "$ES_JAVA_HOME"; return
  fi
  local candidate best="" best_version=0 v
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [[ -x "$candidate/bin/java" ]] || continue
    v=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if (( v >= 21 && v > best_version )); then best="$candidate"; best_version=$v; fi
  done
  [[ -n "$best" ]] || die "no JDK 21+ found under /usr/lib/jvm; set ES_JAVA_HOME (Elasticsearch $VERSION needs Java 21+)"
  echo "$best"
}

healthy() { es_curl -fsS --max-time 2 "$NODE_HEALTH_URL" >/dev/null 2>&1; }
# Something answers on the port, with or without our credentials (401 counts: a secured node is up).
answers() { curl -sS --max-time 2 -o /dev/null -w '%{http_code}' "$NODE_HEALTH_URL" 2>/dev/null | grep -qE '^(200|401)$'; }

pid_alive() { [[ -f "$PID_FILE" ]] && pid_running "$(cat "$PID_FILE")"; }

# When root, ES_DIR must be reachable by the unprivileged user; a clone under /root is not, so the
# node then lives under /var/tmp instead (the download stays in the project).
resolve_dirs() {
  if [[ $EUID -eq 0 ]]; then
    ensure_user
    mkdir -p "$ES_DIR"
    if ! runuser -u "$ES_USER" -- test -x "$ES_DIR"; then
      ES_RUN_DIR="/var/tmp/agri-fusion-es"
    else
      ES_RUN_DIR="$ES_DIR"
    fi
  else
    ES_RUN_DIR="$ES_DIR"
  fi
  ES_HOME="$ES_RUN_DIR/elasticsearch-$VERSION"
  select_node 1
}

# Makes node $1 (1..NODES) the one the functions below act on.
select_node() {
  (( $1 >= 1 && $1 <= NODES )) || die "no node $1: the cluster has $NODES (AGRI_ES_NODES)"
  NODE=$1
  NODE_PORT=$((PORT + NODE - 1))
  NODE_HEALTH_URL="http://127.0.0.1:${NODE_PORT}/_cluster/health"
  NODE_DIR="$ES_RUN_DIR/node-$NODE_PORT"
  PID_FILE="$NODE_DIR/es.pid"
}

ensure_user() {
  id -u "$ES_USER" >/dev/null 2>&1 && return
  log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
  useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
}

as_es_user() {
  if [[ $EUID -eq 0 ]]; then runuser -u "$ES_USER" -- "$@"; else "$@"; fi
}

install_server() {
  [[ -x "$ES_HOME/bin/elasticsearch" ]] && return
  local zip="$ES_DIR/dist/elasticsearch-$VERSION.zip"
  if [[ ! -f "$zip" ]]; then
    log "downloading org.elasticsearch.distribution.integ-test-zip:elasticsearch:$VERSION:zip through Maven"
    mvn -q -B -f "$PROJECT_DIR/pom.xml" -N dependency:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$VERSION:zip" \
      -DoutputDirectory="$ES_DIR/dist" >&2 || die "could not download the Elasticsearch zip through Maven"
  fi
  log "unpacking $zip"
  mkdir -p "$ES_RUN_DIR"
  local tmp; tmp=$(mktemp -d "$ES_RUN_DIR/unpack.XXXXXX")
  if command -v unzip >/dev/null; then
    unzip -q "$zip" -d "$tmp"
  else
    (cd "$tmp" && "$(find_java)/bin/jar" xf "$zip") && chmod +x "$tmp"/elasticsearch-"$VERSION"/bin/* \
      "$tmp"/elasticsearch-"$VERSION"/jdk/bin/* 2>/dev/null || true
  fi
  mv "$tmp/elasticsearch-$VERSION" "$ES_HOME"
  rmdir "$tmp"
}

# One node: single-node discovery. Several: each finds the others on their loopback transport
# ports, and the first start elects a master among all of them.
discovery() {
  if (( NODES == 1 )); then echo 'discovery.type: single-node'; return; fi
  local i seeds=() names=()
  for (( i = 0; i < NODES; i++ )); do
    seeds+=("\"127.0.0.1:$((PORT + 100 + i))\""); names+=("agri-fusion-local-$((PORT + i))")
  done
  local IFS=,
  echo "discovery.seed_hosts: [${seeds[*]}]"
  echo "cluster.initial_master_nodes: [${names[*]}]"
}

write_node_config() {
  mkdir -p "$NODE_DIR/data" "$NODE_DIR/logs" "$NODE_DIR/tmp"
  rm -rf "$NODE_DIR/config"
  cp -r "$ES_HOME/config" "$NODE_DIR/config"
  cat > "$NODE_DIR/config/elasticsearch.yml" <<YML
# Written by scripts/es-local.sh; local development node only.
cluster.name: $CLUSTER_NAME
node.name: agri-fusion-local-$NODE_PORT
$(discovery)
network.host: 127.0.0.1
http.port: $NODE_PORT
transport.port: $((NODE_PORT + 100))
path.data: $NODE_DIR/data
path.logs: $NODE_DIR/logs
# A developer disk that is 90 % full must not turn the indices read-only.
cluster.routing.allocation.disk.threshold_enabled: false
YML
  if [[ "$SECURITY" == basic ]]; then
    printf 'xpack.security.enabled: true\nxpack.security.http.ssl.enabled: false\nxpack.security.transport.ssl.enabled: false\n' \
      >> "$NODE_DIR/config/elasticsearch.yml"
  else
    echo 'xpack.security.enabled: false' >> "$NODE_DIR/config/elasticsearch.yml"
  fi
  if [[ -n "${AGRI_ES_SETTINGS:-}" ]]; then
    printf '%s\n' "$AGRI_ES_SETTINGS" >> "$NODE_DIR/config/elasticsearch.yml"
  fi
  if [[ $EUID -eq 0 ]]; then
    chown -R "$ES_USER" "$ES_RUN_DIR"
  fi
}

# Launches the selected node (config, users, process) without waiting for it.
launch_node() {
  local java_home=$1
  if answers; then
    die "port $NODE_PORT already answers _cluster/health but not from a node this script started; stop it or set AGRI_ES_PORT"
  fi
  write_node_config
  if [[ "$SECURITY" == basic ]]; then
    # Without -p the tool asks for the password twice; a here-string feeds it on stdin, so the
    # password never appears in a command line (ps, /proc/<pid>/cmdline).
    as_es_user env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$NODE_DIR/config" \
      "$ES_HOME/bin/elasticsearch-users" useradd "$AGRI_ES_USERNAME" -r superuser >&2 \
      <<<"$AGRI_ES_PASSWORD"$'\n'"$AGRI_ES_PASSWORD" \
      || die "could not create the user $AGRI_ES_USERNAME"
  fi
  rm -f "$PID_FILE"
  log "starting Elasticsearch $VERSION on 127.0.0.1:$NODE_PORT with $java_home"
  as_es_user env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$NODE_DIR/config" ES_TMPDIR="$NODE_DIR/tmp" \
    ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
    "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE" >"$NODE_DIR/logs/startup.out" 2>&1 \
    || { tail -n 40 "$NODE_DIR/logs/startup.out" >&2 || true; die "Elasticsearch did not start"; }
}

# Waits until the cluster answers on the selected node with all NODES joined and the given status
# (one node: yellow, as its replicas have nowhere to go); every launched node must stay alive.
wait_ready() {
  local status=$1 waited=0 i
  until healthy && es_curl -fsS --max-time 5 "$NODE_HEALTH_URL?wait_for_nodes=$NODES&wait_for_status=$status&timeout=1s" 2>/dev/null \
      | grep -q '"timed_out":false'; do
    for (( i = 1; i <= NODES; i++ )); do
      select_node "$i"
      if ! pid_alive && (( waited > 5 )); then
        tail -n 40 "$NODE_DIR/logs/$CLUSTER_NAME.log" >&2 2>/dev/null || true
        die "Elasticsearch exited during start-up (logs in $NODE_DIR/logs)"
      fi
    done
    select_node "$READY_NODE"
    (( waited >= 180 )) && die "Elasticsearch not $status with $NODES node(s) after ${waited}s (logs in $ES_RUN_DIR/node-*/logs)"
    sleep 1; waited=$((waited + 1))
  done
  log "ready: $NODE_HEALTH_URL (pid $(cat "$PID_FILE"), $NODES node(s), $status, ${waited}s)"
}

start() {
  resolve_dirs
  local i running=0
  for (( i = 1; i <= NODES; i++ )); do
    select_node "$i"; pid_alive && healthy && running=$((running + 1))
  done
  if (( running == NODES )); then
    select_node 1; log "already running on port $PORT (pid $(cat "$PID_FILE"))"; return 0
  fi
  local java_home; java_home=$(find_java)
  install_server
  for (( i = 1; i <= NODES; i++ )); do
    select_node "$i"
    pid_alive || launch_node "$java_home"
  done
  READY_NODE=1; select_node 1
  if (( NODES == 1 )); then wait_ready yellow; else wait_ready green; fi
}

# Starts node $1 of the cluster again (after stop-node) and waits until all nodes are in again.
start_node() {
  resolve_dirs
  select_node "${1:?node number}"
  if pid_alive; then log "node $NODE already running (pid $(cat "$PID_FILE"))"; return 0; fi
  install_server
  launch_node "$(find_java)"
  READY_NODE=$NODE
  wait_ready yellow
}

stop_node() {
  if ! pid_alive; then
    log "not running on port $NODE_PORT (no live pid in $PID_FILE)"; rm -f "$PID_FILE"; return 0
  fi
  local pid; pid=$(cat "$PID_FILE")
  if terminate "$pid" 60; then log "stopped (pid $pid)"; else log "pid $pid did not stop within 60s; killed"; fi
  rm -f "$PID_FILE"
}

stop() {
  resolve_dirs
  local i
  for (( i = NODES; i >= 1; i-- )); do select_node "$i"; stop_node; done
}

status() {
  resolve_dirs
  if (( NODES == 1 )); then
    if healthy; then
      local owner="not started by this script"
      pid_alive && owner="pid $(cat "$PID_FILE")"
      echo "running on 127.0.0.1:$PORT ($owner): $(es_curl -fsS "$HEALTH_URL")"
    else
      echo "not running on 127.0.0.1:$PORT"; return 3
    fi
    return 0
  fi
  # one line per node; non-zero when one is down
  local i rc=0
  for (( i = 1; i <= NODES; i++ )); do
    select_node "$i"
    if pid_alive && healthy; then
      echo "es-node$i pid $(cat "$PID_FILE") http://127.0.0.1:$NODE_PORT"
    else
      echo "es-node$i down http://127.0.0.1:$NODE_PORT"; rc=3
    fi
  done
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  start-node) start_node "${2:-}" ;;
  stop-node) resolve_dirs; select_node "${2:?node number}"; stop_node ;;
  *) echo "usage: $0 start|stop|status|start-node N|stop-node N" >&2; exit 2 ;;
esac
