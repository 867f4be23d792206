#!/usr/bin/env bash
# The web portal (`agri serve`) in the background, the way es-local.sh runs the Elasticsearch node:
#
#   scripts/portal.sh start|stop|status
#
# start stops a portal this script started earlier (the jar or the configuration may have changed),
# starts `scripts/agri serve` with the environment of scripts/agri (data root, job repository, ES),
# and returns once the login page answers. It listens on 127.0.0.1:AGRI_PORTAL_PORT (default 8088).
# Log: data/portal.log; pid: data/portal.pid.
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$PROJECT_DIR/scripts/lib/processes.sh"
PORT="${AGRI_PORTAL_PORT:-8088}"
RUN_DIR="$PROJECT_DIR/data"
PID_FILE="$RUN_DIR/portal.pid"
LOG_FILE="$RUN_DIR/portal.log"
URL="http://127.0.0.1:$PORT/"

running() {
  [[ -s "$PID_FILE" ]] && pid_running "$(cat "$PID_FILE")"
}

stop() {
  if running; then
    terminate "$(cat "$PID_FILE")" 30 || true
    echo "[portal] stopped (pid $(cat "$PID_FILE"))"
  fi
  rm -f "$PID_FILE"
}

start() {
  stop
  if curl -fs -o /dev/null "${URL}login"; then
    echo "[portal] ERROR: something else already answers on port $PORT; set AGRI_PORTAL_PORT to another port" >&2
    exit 1
  fi
  mkdir -p "$RUN_DIR"
  AGRI_PORTAL_PORT="$PORT" nohup "$PROJECT_DIR/scripts/agri" serve >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local waited=0
  until curl -fs -o /dev/null "${URL}login"; do
    if ! running; then
      echo "[portal] ERROR: the portal exited while starting; see $LOG_FILE:" >&2
      tail -n 5 "$LOG_FILE" >&2
      exit 1
    fi
    (( waited++ < 180 )) || { echo "[portal] ERROR: no answer on $URL after 180 s; see $LOG_FILE" >&2; stop; exit 1; }
    sleep 1
  done
  echo "[portal] ready: $URL (pid $(cat "$PID_FILE"), ${waited}s; log $LOG_FILE)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then echo "[portal] running: $URL (pid $(cat "$PID_FILE"))"; else echo "[portal] not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
