#!/usr/bin/env bash
# Local PostgreSQL for the job repository in development and the test suite.
#
#   scripts/pg-local.sh start|stop|status
#
# Runs Debian's PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin; the package
# "postgresql" is installed when missing and the script runs as root) on a cluster of its own,
# created with initdb in the project; the Debian cluster and service are not used. PostgreSQL refuses
# to run as root, so as root the script creates an unprivileged system user and runs the server
# through runuser. The server listens on 127.0.0.1 only, its unix socket lives in the data folder,
# and TCP clients log in with a password (scram-sha-256).
#
# start is idempotent: on a running server it only makes sure the user and database exist and sets
# the password (so the test suite can hand out a new one every run).
#
# Settings (environment):
#   AGRI_PG_PORT       TCP port                                  (default 5439)
#   AGRI_PG_DATABASE   database the job repository lives in      (default agri)
#   AGRI_PG_USERNAME   user that owns it                          (default agri)
#   AGRI_PG_PASSWORD   its password; needed when the user is created, and set again on every start
#   AGRI_PG_OS_USER    user the server runs as when root          (default agrifusion-pg)
#   AGRI_PG_DIR        where the clusters live                    (default <project>/.pg, git-ignored)
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${AGRI_PG_PORT:-5439}"
DATABASE="${AGRI_PG_DATABASE:-agri}"
DB_USER="${AGRI_PG_USERNAME:-agri}"
OS_USER="${AGRI_PG_OS_USER:-agrifusion-pg}"
PG_DIR="${AGRI_PG_DIR:-$PROJECT_DIR/.pg}"

log() { echo "[pg-local] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

newest_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }
installed() { BIN=$(newest_bin); [[ -n "$BIN" && -x "$BIN/pg_ctl" ]]; }

install_server() {
  installed && return
  [[ $EUID -eq 0 ]] || die "no PostgreSQL server under /usr/lib/postgresql; install Debian's package: sudo apt-get install postgresql"
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends postgresql >&2 \
    || { apt-get update >&2 && apt-get install -y --no-install-recommends postgresql >&2; } \
    || die "could not install the postgresql package"
  installed || die "the postgresql package installed no server under /usr/lib/postgresql"
}

# When root, PG_DIR must be reachable by the unprivileged user; a clone under /root is not, so the
# cluster then lives under /var/tmp instead.
resolve_dirs() {
  if [[ $EUID -eq 0 ]]; then
    ensure_user
    mkdir -p "$PG_DIR"
    if runuser -u "$OS_USER" -- test -x "$PG_DIR"; then RUN_DIR="$PG_DIR"; else RUN_DIR="/var/tmp/agri-fusion-pg"; fi
  else
    RUN_DIR="$PG_DIR"
  fi
  DATA_DIR="$RUN_DIR/cluster-$PORT"
  LOG_FILE="$RUN_DIR/cluster-$PORT.log"
  # A unix socket path is limited to 107 bytes.
  (( ${#DATA_DIR} <= 90 )) || die "$DATA_DIR is too long for the server's unix socket; set AGRI_PG_DIR to a shorter path"
  # A cluster keeps running on the version that created it when a newer one is installed beside it.
  local created="/usr/lib/postgresql/$(cat "$DATA_DIR/PG_VERSION" 2>/dev/null || true)/bin"
  if [[ -f "$DATA_DIR/PG_VERSION" && -x "$created/pg_ctl" ]]; then BIN="$created"; fi
}

ensure_user() {
  id -u "$OS_USER" >/dev/null 2>&1 && return
  log "creating system user $OS_USER (PostgreSQL refuses to run as root)"
  useradd --system --no-create-home --shell /usr/sbin/nologin "$OS_USER"
}

# From /, since the working directory may be one the unprivileged user cannot enter.
as_pg_user() {
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u "$OS_USER" -- "$@"); else "$@"; fi
}

running() { [[ -f "$DATA_DIR/PG_VERSION" ]] && as_pg_user "$BIN/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1; }
answers() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2; }

# psql as the cluster's superuser (the OS user, peer authentication) over the socket in the data folder.
admin_psql() { as_pg_user "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATA_DIR" -p "$PORT" -d postgres "$@"; }

init_cluster() {
  [[ -f "$DATA_DIR/PG_VERSION" ]] && return
  log "creating a cluster in $DATA_DIR"
  mkdir -p "$RUN_DIR"
  if [[ $EUID -eq 0 ]]; then chown "$OS_USER" "$RUN_DIR"; fi
  # The superuser is the OS user and logs in over the socket only (peer); nobody else has a password yet.
  as_pg_user "$BIN/initdb" -D "$DATA_DIR" -E UTF8 --no-locale --auth-local=peer --auth-host=reject >/dev/null \
    || die "initdb failed in $DATA_DIR"
  echo "include 'agri-local.conf'" >> "$DATA_DIR/postgresql.conf"
}

write_config() {
  as_pg_user tee "$DATA_DIR/agri-local.conf" >/dev/null <<CONF
# Written by scripts/pg-local.sh; local development server only.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA_DIR'
password_encryption = scram-sha-256
max_connections = 50
CONF
  as_pg_user tee "$DATA_DIR/pg_hba.conf" >/dev/null <<HBA
# Written by scripts/pg-local.sh: the cluster's superuser over the socket, everyone else by password on loopback.
local all all                peer
host  all all 127.0.0.1/32   scram-sha-256
HBA
}

# Creates the user and database when missing and sets the password; the password reaches psql
# through the environment (\getenv), never through a command line or a file.
ensure_database() {
  local set_password=""
  if [[ -n "${AGRI_PG_PASSWORD:-}" ]]; then
    set_password="ALTER ROLE :\"user\" PASSWORD :'password';"
  elif [[ -z "$(admin_psql -tA -v user="$DB_USER" <<< "SELECT 1 FROM pg_authid WHERE rolname = :'user' AND rolpassword IS NOT NULL")" ]]; then
    die "the user $DB_USER has no password yet; set AGRI_PG_PASSWORD"
  fi
  AGRI_PG_PASSWORD="${AGRI_PG_PASSWORD:-}" admin_psql -v user="$DB_USER" -v db="$DATABASE" <<SQL
\\getenv password AGRI_PG_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \\gexec
$set_password
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec
SQL
}

start() {
  install_server
  resolve_dirs
  if running; then
    ensure_database
    log "already running on 127.0.0.1:$PORT ($DATA_DIR); user $DB_USER and database $DATABASE ready"
    return 0
  fi
  if answers; then
    die "port $PORT already answers but not from a server this script started; stop it or set AGRI_PG_PORT"
  fi
  local started; started=$(date +%s%N)
  init_cluster
  write_config
  as_pg_user "$BIN/pg_ctl" start -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 >/dev/null \
    || { tail -n 20 "$LOG_FILE" >&2 || true; die "PostgreSQL did not start (log: $LOG_FILE)"; }
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 30 || die "PostgreSQL does not accept connections on 127.0.0.1:$PORT"
  ensure_database
  log "ready: jdbc:postgresql://127.0.0.1:$PORT/$DATABASE as $DB_USER ($(( ($(date +%s%N) - started) / 1000000 )) ms, $DATA_DIR)"
}

stop() {
  if ! installed; then log "not running (no PostgreSQL server installed)"; return 0; fi
  resolve_dirs
  if ! running; then
    log "not running on port $PORT ($DATA_DIR)"; return 0
  fi
  as_pg_user "$BIN/pg_ctl" stop -D "$DATA_DIR" -m fast -w -t 60 >/dev/null || die "PostgreSQL did not stop (log: $LOG_FILE)"
  log "stopped ($DATA_DIR)"
}

status() {
  if ! installed; then echo "not running (no PostgreSQL server installed)"; return 3; fi
  resolve_dirs
  if running && answers; then
    echo "running on 127.0.0.1:$PORT (pid $(head -n 1 "$DATA_DIR/postmaster.pid"), $DATA_DIR), database $DATABASE, user $DB_USER"
  elif answers; then
    echo "a server not started by this script answers on 127.0.0.1:$PORT"; return 3
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
