# Sourced by the scripts that run local servers (es-local.sh, cluster/*.sh).

# pid_running PID: the process exists and has not ended. One killed with -9 stays a zombie until init
# reaps it: kill -0 still succeeds, but it is gone (a restart must not wait on it).
pid_running() {
  kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]
}

# terminate PID SECONDS: SIGTERM, then up to SECONDS for the process to end, then SIGKILL.
# Returns 0 when it ended by itself (or was not running), 1 when it had to be killed.
terminate() {
  local pid=$1 limit=$2 i
  kill "$pid" 2>/dev/null || return 0
  for (( i = 0; i < limit * 2; i++ )); do
    pid_running "$pid" || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  return 1
}
