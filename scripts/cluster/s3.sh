#!/usr/bin/env bash
# Local S3-compatible object store: s3proxy with its filesystem backend, on loopback, for the lake
# over s3a:// (docs/deploy.md).
#
#   scripts/cluster/s3.sh start|stop|status
#   scripts/cluster/s3.sh put <local-dir-or-file> <s3a://bucket/path>   copy in over s3a (FsShell)
#   scripts/cluster/s3.sh options    the agri options that reach this store over s3a://
#
# The credentials are fixed development values for this loopback-only store, not secrets:
#   access key agri-local, secret key agri-local-secret   (export them with `s3.sh env`)
# Objects live as plain files under .cluster/s3/data/<bucket>/ (a bucket is a folder there;
# backend filesystem-nio2, which keeps s3a's directory markers, unlike the older filesystem one).
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
jclouds.identity=$ACCESS_KEY
jclouds.credential=$SECRET_KEY
jclouds.filesystem.basedir=$DIR/data
CONF
  # s3proxy logs every request at DEBUG by default
  printf '<configuration><appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%%d %%level %%logger{20}: %%msg%%n</pattern></encoder></appender><root level="INFO"><appender-ref ref="out"/></root></configuration>\n' \
    >"$DIR/logback.xml"
  log "starting s3proxy on $URL (bucket $BUCKET)"
  spawn "$PID_FILE" "$LOG" java -Xmx256m -Dlogback.configurationFile="$DIR/logback.xml" -cp "$DIR/lib/*" org.gaul.s3proxy.Main --properties "$DIR/s3proxy.conf"
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

# A Hadoop client of this store: the HDFS jars (hdfs-pom.xml), the s3a ones the driver has
# (s3a-pom.xml) and a core-site.xml with the settings of hadoop_options.
client() {
  fetch_jars "$PROJECT_DIR/scripts/cluster/hdfs-pom.xml" "$PROJECT_DIR/.cluster/hdfs/lib"
  fetch_jars "$PROJECT_DIR/scripts/cluster/s3a-pom.xml" "$DIR/s3a-lib" -DexcludeGroupIds=io.netty,org.slf4j,commons-logging,commons-codec
  # the client's core-site.xml: the same settings as hadoop_options, without the spark.hadoop. prefix
  mkdir -p "$DIR/client-conf"
  {
    echo '<?xml version="1.0"?><!-- Written by scripts/cluster/s3.sh: local store only. --><configuration>'
    hadoop_options | sed -E 's|^--agri.spark.conf\[spark.hadoop.([^]]*)\]=(.*)$|  <property><name>\1</name><value>\2</value></property>|'
    echo '</configuration>'
  } >"$DIR/client-conf/core-site.xml"
  printf 'log4j.rootLogger=WARN,console\nlog4j.appender.console=org.apache.log4j.ConsoleAppender\nlog4j.appender.console.layout=org.apache.log4j.PatternLayout\n' \
    >"$DIR/client-conf/log4j.properties"
  PUT_CLASSPATH="$DIR/client-conf:$PROJECT_DIR/.cluster/hdfs/lib/*:$DIR/s3a-lib/*"
}

fs() { client; java -cp "$PUT_CLASSPATH" org.apache.hadoop.fs.FsShell "$@"; }

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$PID_FILE" ;;
  status) status ;;
  options) hadoop_options ;;
  put) shift; client; put "$@" ;;
  fs) shift; fs "$@" ;;
  *) echo "usage: $0 start|stop|status|options|put <local> <s3a-uri>|fs <FsShell args>" >&2; exit 2 ;;
esac
