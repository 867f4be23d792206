#!/usr/bin/env bash
# Local S3-compatible object store: s3proxy with its filesystem backend, on loopback, for the lake
# over s3a:// (docs/deploy.md).
#
#   scripts/cluster/s3.sh start|stop|status|put <local-dir> <s3a://bucket/prefix>
#
# The credentials are fixed development values for this loopback-only store, not secrets:
#   access key agri-local, secret key agri-local-secret   (export them with `s3.sh env`)
# Objects live as plain files under .cluster/s3/data/<bucket>/ (a bucket is a folder there).
#
# Settings (environment):
#   AGRI_S3_PORT     HTTP port       (default 19000)
#   AGRI_S3_BUCKET   bucket created at start (default agri)
set -euo pipefail

PART=s3
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$PROJECT_DIR/scripts/cluster/storage-common.sh"
PORT="${AGRI_S3_PORT:-19000}"
BUCKET="${AGRI_S3_BUCKET:-agri}"
ACCESS_KEY=agri-local
SECRET_KEY=agri-local-secret
DIR="$PROJECT_DIR/.cluster/s3"
PID_FILE="$DIR/s3proxy.pid"
LOG="$DIR/logs/s3proxy.log"
URL="http://127.0.0.1:$PORT"

# Answers an anonymous request with an S3 error document: the proxy serves.
serving() { curl -s --max-time 2 "$URL/" 2>/dev/null | grep -q '<Error>\|<ListAllMyBucketsResult'; }

start() {
  if alive "$PID_FILE"; then log "already running (pid $(pid_of "$PID_FILE"))"; return 0; fi
  port_open "$PORT" && die "port $PORT is taken by another process; set AGRI_S3_PORT"
  fetch_jars "$PROJECT_DIR/scripts/cluster/s3proxy-pom.xml" "$DIR/lib"
  mkdir -p "$DIR/data/$BUCKET" "$DIR/logs"
  cat >"$DIR/s3proxy.conf" <<CONF
# Written by scripts/cluster/s3.sh: local development store only, fixed dev credentials.
s3proxy.endpoint=$URL
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DIR/data
CONF
  log "starting s3proxy on $URL (bucket $BUCKET)"
  spawn "$PID_FILE" "$LOG" java -Xmx256m -cp "$DIR/lib/*" org.gaul.s3proxy.Main --properties "$DIR/s3proxy.conf"
  wait_until "$PID_FILE" "$LOG" 60 serving
  log "ready: $URL (pid $(pid_of "$PID_FILE"))"
}

status() {
  if alive "$PID_FILE" && serving; then
    echo "s3proxy pid $(pid_of "$PID_FILE") $URL"
  else
    echo "s3proxy down $URL"; return 3
  fi
}

# The Hadoop settings that reach this store over s3a://, as agri command-line options.
hadoop_options() {
  cat <<OPTS
--agri.spark.conf[spark.hadoop.fs.s3a.endpoint]=$URL
--agri.spark.conf[spark.hadoop.fs.s3a.endpoint.region]=us-east-1
--agri.spark.conf[spark.hadoop.fs.s3a.path.style.access]=true
--agri.spark.conf[spark.hadoop.fs.s3a.connection.ssl.enabled]=false
--agri.spark.conf[spark.hadoop.fs.s3a.aws.credentials.provider]=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider
--agri.spark.conf[spark.hadoop.fs.s3a.access.key]=$ACCESS_KEY
--agri.spark.conf[spark.hadoop.fs.s3a.secret.key]=$SECRET_KEY
OPTS
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$PID_FILE" ;;
  status) status ;;
  options) hadoop_options ;;
  *) echo "usage: $0 start|stop|status|options" >&2; exit 2 ;;
esac
