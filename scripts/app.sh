# Sourced by scripts/run.sh and scripts/bench.sh (from the project root): the fat jar, rebuilt when
# any source is newer, and an Elasticsearch node (the local one, unless AGRI_ES_URL names one).
JAR=jobs/target/agri-fusion.jar
# The job's heap, set explicitly (as scripts/agri does): a province-day runs in 6 GB (docs/benchmarks.md).
JAVA_HEAP=${AGRI_JAVA_HEAP:-6g}

# ensure_jar TAG: builds the application when the jar is missing or older than the sources.
ensure_jar() {
  if [[ ! -f "$JAR" ]] || [[ -n "$(find pom.xml pipelines/pom.xml pipelines/src jobs/pom.xml jobs/src -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]]; then
    echo "[$1] building the application (first run downloads dependencies; this takes a few minutes)"
    mvn -B -ntp -q -Dstyle.color=never package -DskipTests
  fi
}

# ensure_es: starts the local node unless AGRI_ES_URL is set; exports AGRI_ES_URL and SPARK_LOCAL_IP.
ensure_es() {
  if [[ -z "${AGRI_ES_URL:-}" ]]; then
    scripts/es-local.sh start
    export AGRI_ES_URL="http://127.0.0.1:${AGRI_ES_PORT:-9200}"
  fi
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
}
