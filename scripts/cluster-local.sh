#!/usr/bin/env bash
# A real cluster on this machine's loopback, for trying the nightly job the way a site runs it at
# scale (docs/deploy.md) and for scripts/cluster-test.sh. Every part is its own process(es):
#
#   pg     PostgreSQL: the job repository and the Iceberg JDBC catalog     scripts/pg-local.sh
#   hdfs   an HDFS NameNode and a DataNode                                 scripts/cluster/hdfs.sh
#   s3     s3proxy, an S3-compatible object store on a local folder        scripts/cluster/s3.sh
#   es     Elasticsearch, three nodes of one cluster                       scripts/cluster/es.sh
#   spark  a Spark standalone master and two workers (executors are JVMs   scripts/cluster/spark.sh
#          the workers start)
#
#   scripts/cluster-local.sh start|stop|status
#   scripts/cluster-local.sh env hdfs|s3      prints the exports that point `scripts/agri` at the
#                                             cluster, with the lake on HDFS or on the object store:
#       eval "$(scripts/cluster-local.sh env hdfs)"; scripts/agri run --date 2024-05-01
#
# start is idempotent (a running part is kept) and stops what it started when a part fails to
# start; stop stops every part, in reverse order. Jars and servers come from Maven Central and
# Debian on first use; state, logs and downloads live under .cluster/ (git-ignored).
# Ports and sizes: each part script's header; AGRI_CLUSTER_PG_PORT (default 5479).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)
CLUSTER_DIR="$PROJECT_DIR/.cluster"
PARTS=(pg hdfs s3 es spark)

log() { echo "[cluster] $*" >&2; }

pg() {
  # The password is made on the first start and kept beside the server, readable by this user only.
  local password_file="$CLUSTER_DIR/pg/password"
  if [[ ! -s "$password_file" ]]; then
    mkdir -p "$CLUSTER_DIR/pg"
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$password_file")
  fi
  AGRI_PG_PORT="${AGRI_CLUSTER_PG_PORT:-5479}" AGRI_PG_DIR="$CLUSTER_DIR/pg" AGRI_PG_PASSWORD="$(cat "$password_file")" \
    scripts/pg-local.sh "$@"
}

part() {
  local name=$1; shift
  if [[ "$name" == pg ]]; then pg "$@"; else "scripts/cluster/$name.sh" "$@"; fi
}

start() {
  local started=()
  for p in "${PARTS[@]}"; do
    if part "$p" status >/dev/null 2>&1; then
      log "$p is running"
      continue
    fi
    log "starting $p"
    if ! part "$p" start; then
      log "ERROR: $p did not start; stopping the parts this start started: ${started[*]:-none}"
      part "$p" stop >/dev/null 2>&1 || true
      for (( i=${#started[@]}-1; i>=0; i-- )); do part "${started[$i]}" stop || true; done
      exit 1
    fi
    started+=("$p")
  done
  status
}

stop() {
  local rc=0
  for (( i=${#PARTS[@]}-1; i>=0; i-- )); do
    part "${PARTS[$i]}" stop || rc=1
  done
  return $rc
}

status() {
  local rc=0
  for p in "${PARTS[@]}"; do
    part "$p" status || rc=1
  done
  return $rc
}

# The environment of `scripts/agri` on this cluster with the lake on STORAGE (hdfs or s3), as export
# lines. Spark and Hadoop settings (agri.spark.conf) travel in SPRING_APPLICATION_JSON, the one
# environment form that keeps their dotted keys.
cluster_env() {
  local storage=$1 root
  if [[ "$storage" == hdfs ]]; then root="hdfs://127.0.0.1:${AGRI_HDFS_PORT:-19820}/agri"
  else root="s3a://${AGRI_S3_BUCKET:-agri}/lake"; fi
  local conf
  conf=$( { scripts/cluster/"$storage".sh options
            # Executors of 1 GB on the workers' 2 GB; shuffle partitions for 2 executor cores.
            echo "--agri.spark.conf[spark.executor.memory]=1g"
            echo "--agri.spark.conf[spark.sql.shuffle.partitions]=8"
            # The driver's UI and REST API on a known port (the next free one if taken).
            echo "--agri.spark.conf[spark.ui.port]=${AGRI_SPARK_DRIVER_UI_PORT:-4077}"; } \
    | sed -nE 's/^--agri\.spark\.conf\[([^]]+)\]=(.*)$/\1\t\2/p' \
    | jq -Rn '[inputs | split("\t") | {(.[0]): .[1]}] | add | {agri: {spark: {conf: .}}}' -c)
  local es="" i port="${AGRI_CLUSTER_ES_PORT:-9290}"
  for i in 0 1 2; do es+="${es:+,}http://127.0.0.1:$((port + i))"; done
  cat <<EOF
export AGRI_SPARK_MASTER=spark://127.0.0.1:${AGRI_SPARK_MASTER_PORT:-7177}
export SPARK_LOCAL_IP=127.0.0.1
export AGRI_DATA_ROOT=$root
export AGRI_ES_URL=$es
export AGRI_ES_SHARDS=3
export AGRI_ES_REPLICAS=1
export AGRI_JOB_REPOSITORY_URL=jdbc:postgresql://127.0.0.1:${AGRI_CLUSTER_PG_PORT:-5479}/agri
export AGRI_JOB_REPOSITORY_USERNAME=agri
export AGRI_JOB_REPOSITORY_PASSWORD=$(cat "$CLUSTER_DIR/pg/password")
export SPRING_APPLICATION_JSON='$conf'
EOF
}

case "${1:-}" in
  start|stop|status) "$1" ;;
  pg) shift; pg "$@" ;; # pg-local.sh on the cluster's server, e.g. AGRI_PG_DATABASE=other ... pg start
  env)
    [[ "${2:-}" == hdfs || "${2:-}" == s3 ]] || { echo "usage: $0 env hdfs|s3" >&2; exit 2; }
    cluster_env "$2" ;;
  *) echo "usage: $0 start|stop|status|env hdfs|s3" >&2; exit 2 ;;
esac
