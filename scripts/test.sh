#!/usr/bin/env bash
# Runs the whole test suite on real components: builds every module and runs unit, Spark and
# integration tests against a local Elasticsearch node, which it starts (and afterwards stops) on
# a test port unless one is already running there.
#
#   ./scripts/test.sh [extra maven arguments, e.g. -Dtest=LakeTest -Dsurefire.failIfNoSpecifiedTests=false]
#
# Settings: AGRI_TEST_ES_PORT (default 9250); everything scripts/es-local.sh reads.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export AGRI_ES_PORT="${AGRI_TEST_ES_PORT:-9250}"
started_es=0
stop_es() {
  if (( started_es )); then scripts/es-local.sh stop || true; fi
}
trap stop_es EXIT

if scripts/es-local.sh status >/dev/null 2>&1; then
  echo "[test] using the Elasticsearch node already running on port $AGRI_ES_PORT"
else
  scripts/es-local.sh start
  started_es=1
fi

export AGRI_ES_URL="http://127.0.0.1:$AGRI_ES_PORT"
# Spark would otherwise bind to the machine's external interface.
export SPARK_LOCAL_IP=127.0.0.1

started=$(date +%s)
mvn -B -ntp verify "$@"
echo "[test] suite finished in $(( $(date +%s) - started ))s"
