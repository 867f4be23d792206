#!/usr/bin/env bash
# Runs the whole test suite on real components: builds every module and runs unit, Spark and
# integration tests against a local Elasticsearch node and a local PostgreSQL server (the job
# repository test), which it starts (and afterwards stops) on test ports unless already running there,
# and the portal's browser tests in headless Chromium (Debian's chromium and chromium-driver,
# installed as root when missing; screenshots in jobs/target/screenshots/).
#
#   ./scripts/test.sh [extra maven arguments, e.g. -Dtest=LakeTest -Dsurefire.failIfNoSpecifiedTests=false]
#
# A second node on AGRI_TEST_SECURE_ES_PORT (default 9251) runs with security on (basic auth) and a
# write thread pool of one thread and a queue of two, for the authentication and 429-retry tests.
#
# After the Maven suite, scripts/chaos.sh kills and stops the job's fat jar the way crashes and
# operators do and checks each date heals to the same result as an undisturbed run (AGRI_TEST_CHAOS=0
# skips it). Then scripts/cluster-test.sh runs a reduced generated day embedded and on a local cluster
# (Spark standalone, HDFS, an S3-compatible store, 3 Elasticsearch nodes, PostgreSQL) with a worker
# and an Elasticsearch node lost on the way, and checks the results are the same (AGRI_TEST_CLUSTER=0
# skips it, and says so at the end).
#
# Settings: AGRI_TEST_ES_PORT (default 9250), AGRI_TEST_PG_PORT (default 5449), AGRI_TEST_CHAOS
# (default 1), AGRI_TEST_CLUSTER (default 1); everything scripts/es-local.sh, scripts/pg-local.sh and scripts/chaos.sh read.
set -euo pipefail
# Landed files and lake paths have Chinese names: the JVM needs a UTF-8 locale to map them to the
# file system (a bare environment, e.g. cron or a CI container, may have none).
[[ "$(locale charmap 2>/dev/null)" == UTF-8 ]] || export LC_ALL=C.UTF-8
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export AGRI_ES_PORT="${AGRI_TEST_ES_PORT:-9250}"
SECURE_PORT="${AGRI_TEST_SECURE_ES_PORT:-9251}"
export AGRI_ES_SECURE_URL="http://127.0.0.1:$SECURE_PORT" AGRI_ES_SECURE_USERNAME=agri-test
# A throw-away password for a node that lives as long as the test run, on loopback only.
export AGRI_ES_SECURE_PASSWORD="test-$RANDOM$RANDOM"
secure_node() {
  AGRI_ES_PORT="$SECURE_PORT" AGRI_ES_SECURITY=basic AGRI_ES_USERNAME="$AGRI_ES_SECURE_USERNAME" \
    AGRI_ES_PASSWORD="$AGRI_ES_SECURE_PASSWORD" AGRI_ES_HEAP=512m \
    AGRI_ES_SETTINGS=$'thread_pool.write.size: 1\nthread_pool.write.queue_size: 2' scripts/es-local.sh "$@"
}
# Its own port, so a developer's server on 5439 keeps its password; a new throw-away one every run.
export AGRI_PG_PORT="${AGRI_TEST_PG_PORT:-5449}" AGRI_PG_PASSWORD="test-$RANDOM$RANDOM"
export AGRI_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$AGRI_PG_PORT/${AGRI_PG_DATABASE:-agri}"
export AGRI_TEST_PG_USERNAME="${AGRI_PG_USERNAME:-agri}" AGRI_TEST_PG_PASSWORD="$AGRI_PG_PASSWORD"
started_es=0
started_pg=0
stop_servers() {
  if (( started_es )); then scripts/es-local.sh stop || true; fi
  secure_node stop || true
  if (( started_pg )); then scripts/pg-local.sh stop || true; fi
}
trap stop_servers EXIT

if scripts/es-local.sh status >/dev/null 2>&1; then
  echo "[test] using the Elasticsearch node already running on port $AGRI_ES_PORT"
else
  scripts/es-local.sh start
  started_es=1
fi

# Restarted every run: the password is new each time.
secure_node stop >/dev/null 2>&1 || true
secure_node start

# A running server is kept; start then only sets this run's password.
if scripts/pg-local.sh status >/dev/null 2>&1; then
  echo "[test] using the PostgreSQL server already running on port $AGRI_PG_PORT"
else
  started_pg=1
fi
scripts/pg-local.sh start

# The portal's browser tests drive a real Chromium through Debian's chromedriver.
source scripts/lib/chromium.sh
ensure_chromium test chromium-driver

export AGRI_ES_URL="http://127.0.0.1:$AGRI_ES_PORT"
# Spark would otherwise bind to the machine's external interface.
export SPARK_LOCAL_IP=127.0.0.1

started=$(date +%s)
mvn -B -ntp verify "$@"
echo "[test] suite finished in $(( $(date +%s) - started ))s"

if [[ "${AGRI_TEST_CHAOS:-1}" != 0 ]]; then
  started=$(date +%s)
  scripts/chaos.sh
  echo "[test] chaos test finished in $(( $(date +%s) - started ))s"
fi

if [[ "${AGRI_TEST_CLUSTER:-1}" != 0 ]]; then
  started=$(date +%s)
  scripts/cluster-test.sh
  echo "[test] cluster test finished in $(( $(date +%s) - started ))s"
else
  echo "[test] WARNING: the cluster test was SKIPPED (AGRI_TEST_CLUSTER=0): nothing here checked the job on a cluster"
fi
