# Sourced by the scripts that run local servers (es-local.sh, cluster/*.sh).

# terminate PID SECONDS: SIGTERM, then up to SECONDS for the process to end, then SIGKILL.
# Returns 0 when it ended by itself (or was not running), 1 when it had to be killed.
terminate() {
  local pid=$1 limit=$2 i
  kill "$pid" 2>/dev/null || return 0
  for (( i = 0; i < limit * 2; i++ )); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  return 1
}
