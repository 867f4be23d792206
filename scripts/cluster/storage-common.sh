# Sourced by hdfs.sh and s3.sh: jars through Maven, one JVM per pid file, bounded waits.
# Expects PART (log prefix) and PROJECT_DIR to be set.

source "$PROJECT_DIR/scripts/lib/processes.sh"

log() { echo "[$PART] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Copies the runtime jars of the pom $1 to the folder $2 once (the jars are cached in ~/.m2);
# further arguments go to copy-dependencies.
fetch_jars() {
  local pom=$1 dir=$2; shift 2
  [[ -f "$dir/.complete" ]] && return
  log "fetching the jars of $(basename "$pom") through Maven"
  rm -rf "$dir"
  mvn -q -B -ntp -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir" "$@" >&2 \
    || die "could not fetch the jars of $pom through Maven"
  touch "$dir/.complete"
}

pid_of() { [[ -f "$1" ]] && cat "$1"; }
alive() { local pid; pid=$(pid_of "$1") && [[ -n "$pid" ]] && pid_running "$pid"; }

# Something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts "$@" in the background with its output in $log and its pid in $pidfile; not a daemon: the
# process is ours and stop_pid ends it.
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  mkdir -p "$(dirname "$logfile")"
  nohup "$@" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# Waits up to $3 seconds until the command "${@:4}" succeeds while the process of $1 lives.
wait_until() {
  local pidfile=$1 logfile=$2 limit=$3; shift 3
  local waited=0
  until "$@"; do
    alive "$pidfile" || { tail -n 30 "$logfile" >&2; die "$(basename "$pidfile" .pid) exited during start-up (log $logfile)"; }
    (( waited >= limit )) && { tail -n 30 "$logfile" >&2; die "$(basename "$pidfile" .pid) not serving after ${waited}s (log $logfile)"; }
    sleep 1; waited=$((waited + 1))
  done
}

stop_pid() {
  local pidfile=$1 name; name=$(basename "$pidfile" .pid)
  if ! alive "$pidfile"; then rm -f "$pidfile"; log "$name not running"; return 0; fi
  local pid; pid=$(pid_of "$pidfile")
  if terminate "$pid" 30; then log "$name stopped (pid $pid)"; else log "$name (pid $pid) did not stop within 30s; killed"; fi
  rm -f "$pidfile"
}

# Copies a local file or folder to $2 (Put.java) with the class path given in $PUT_CLASSPATH.
put() {
  [[ $# -eq 2 && -e "$1" ]] || die "usage: put <local-dir-or-file> <uri>"
  java -Dhadoop.root.logger=WARN,console -cp "$PUT_CLASSPATH" "$PROJECT_DIR/scripts/cluster/Put.java" "$1" "$2"
}
