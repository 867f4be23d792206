#!/usr/bin/env bash
# Local single-node Elasticsearch for development, the demo run and the test suite.
#
#   scripts/es-local.sh start|stop|status
#
# The server is the minimal "integ-test-zip" distribution from Maven Central (core modules only).
# It needs Java 21+ and refuses to run as root, so when this script runs as root it creates an
# unprivileged system user and starts the node through runuser. The node binds 127.0.0.1 only.
#
# Settings (environment):
#   AGRI_ES_PORT       HTTP port                          (default 9200; transport = port + 100)
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

healthy() { es_curl -fsS --max-time 2 "$HEALTH_URL" >/dev/null 2>&1; }
# Something answers on the port, with or without our credentials (401 counts: a secured node is up).
answers() { curl -sS --max-time 2 -o /dev/null -w '%{http_code}' "$HEALTH_URL" 2>/dev/null | grep -qE '^(200|401)$'; }

pid_alive() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

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
  NODE_DIR="$ES_RUN_DIR/node-$PORT"
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

write_node_config() {
  mkdir -p "$NODE_DIR/data" "$NODE_DIR/logs" "$NODE_DIR/tmp"
  rm -rf "$NODE_DIR/config"
  cp -r "$ES_HOME/config" "$NODE_DIR/config"
  cat > "$NODE_DIR/config/elasticsearch.yml" <<YML
# Written by scripts/es-local.sh; local development node only.
cluster.name: agri-fusion-local
node.name: agri-fusion-local-$PORT
discovery.type: single-node
network.host: 127.0.0.1
http.port: $PORT
transport.port: $((PORT + 100))
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

start() {
  resolve_dirs
  if pid_alive && healthy; then
    log "already running on port $PORT (pid $(cat "$PID_FILE"))"; return 0
  fi
  if answers; then
    die "port $PORT already answers _cluster/health but not from a node this script started; stop it or set AGRI_ES_PORT"
  fi
  local java_home; java_home=$(find_java)
  install_server
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
  log "starting Elasticsearch $VERSION on 127.0.0.1:$PORT with $java_home"
  as_es_user env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$NODE_DIR/config" ES_TMPDIR="$NODE_DIR/tmp" \
    ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
    "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE" >"$NODE_DIR/logs/startup.out" 2>&1 \
    || { tail -n 40 "$NODE_DIR/logs/startup.out" >&2 || true; die "Elasticsearch did not start"; }
  local waited=0
  until healthy; do
    if ! pid_alive && (( waited > 5 )); then
      tail -n 40 "$NODE_DIR/logs/agri-fusion-local.log" >&2 2>/dev/null || true
      die "Elasticsearch exited during start-up (logs in $NODE_DIR/logs)"
    fi
    (( waited >= 180 )) && die "Elasticsearch not healthy after ${waited}s (logs in $NODE_DIR/logs)"
    sleep 1; waited=$((waited + 1))
  done
  es_curl -fsS "$HEALTH_URL?wait_for_status=yellow&timeout=60s" >/dev/null
  log "ready: $HEALTH_URL (pid $(cat "$PID_FILE"), ${waited}s)"
}

stop() {
  resolve_dirs
  if ! pid_alive; then
    log "not running on port $PORT (no live pid in $PID_FILE)"; rm -f "$PID_FILE"; return 0
  fi
  local pid; pid=$(cat "$PID_FILE")
  kill "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; log "stopped (pid $pid)"; return 0; }
    sleep 1
  done
  log "pid $pid did not stop within 60s; sending SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status() {
  resolve_dirs
  if healthy; then
    local owner="not started by this script"
    pid_alive && owner="pid $(cat "$PID_FILE")"
    echo "running on 127.0.0.1:$PORT ($owner): $(es_curl -fsS "$HEALTH_URL")"
  else
    echo "not running on 127.0.0.1:$PORT"; return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
