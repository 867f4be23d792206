#!/usr/bin/env bash
# Local HDFS: one NameNode and one DataNode, each its own JVM, on loopback, for the lake over
# hdfs:// (docs/deploy.md). Jars: org.apache.hadoop:hadoop-hdfs (hdfs-pom.xml) through Maven.
#
#   scripts/cluster/hdfs.sh start|stop|status
#   scripts/cluster/hdfs.sh put <local-dir-or-file> <hdfs-uri>   copy in (FsShell -put, overwrites)
#   scripts/cluster/hdfs.sh fs <FsShell args...>                   e.g. fs -ls -R hdfs://127.0.0.1:19820/
#   scripts/cluster/hdfs.sh options   the agri options a run against this HDFS needs: replication 1,
#                                     else the job's files ask for the client default of 3 blocks copies
#
# The name directory is formatted on the first start. Replication 1 (one DataNode); permissions
# are off, because CI runs as root and Spark executors as whoever. State, config and logs are under
# .cluster/hdfs/.
#
# Settings (environment):
#   AGRI_HDFS_PORT           NameNode RPC port (default 19820): hdfs://127.0.0.1:<port>/
#   AGRI_HDFS_HTTP_PORT      NameNode web/JMX port (default 19870)
#   AGRI_HDFS_DATANODE_PORT  DataNode data port (default 19866; its HTTP and IPC ports are +1 and +2)
#   AGRI_HDFS_HEAP           heap of each JVM (default 512m)
set -euo pipefail

PART=hdfs
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$PROJECT_DIR/scripts/cluster/storage-common.sh"
NN_PORT="${AGRI_HDFS_PORT:-19820}"
NN_HTTP="${AGRI_HDFS_HTTP_PORT:-19870}"
DN_PORT="${AGRI_HDFS_DATANODE_PORT:-19866}"
HEAP="${AGRI_HDFS_HEAP:-512m}"
DIR="$PROJECT_DIR/.cluster/hdfs"
CONF="$DIR/conf"
URI="hdfs://127.0.0.1:$NN_PORT"
JMX="http://127.0.0.1:$NN_HTTP/jmx"
# Hadoop 3.4 on Java 17 reflects into these.
OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED)

JAVA=(java "-Xmx$HEAP" "${OPENS[@]}" -Dhadoop.log.dir="$DIR/logs" -cp "$CONF:$DIR/lib/*")
hadoop_java() { "${JAVA[@]}" "$@"; }

write_config() {
  # The web servers look their webapps up on the classpath; the jars do not have them (the tarball
  # does). Empty ones serve /jmx, which start and status read.
  mkdir -p "$CONF/webapps/hdfs" "$CONF/webapps/datanode" "$CONF/webapps/static" "$DIR/name" "$DIR/data" "$DIR/logs"
  cat >"$CONF/core-site.xml" <<XML
<?xml version="1.0"?>
<!-- Written by scripts/cluster/hdfs.sh: local loopback HDFS only. -->
<configuration>
  <property><name>fs.defaultFS</name><value>$URI</value></property>
  <property><name>hadoop.tmp.dir</name><value>$DIR/tmp</value></property>
</configuration>
XML
  cat >"$CONF/hdfs-site.xml" <<XML
<?xml version="1.0"?>
<!-- Written by scripts/cluster/hdfs.sh: local loopback HDFS only. -->
<configuration>
  <property><name>dfs.replication</name><value>1</value></property>
  <property><name>dfs.permissions.enabled</name><value>false</value></property>
  <property><name>dfs.namenode.name.dir</name><value>file://$DIR/name</value></property>
  <property><name>dfs.datanode.data.dir</name><value>file://$DIR/data</value></property>
  <property><name>dfs.namenode.rpc-address</name><value>127.0.0.1:$NN_PORT</value></property>
  <property><name>dfs.namenode.http-address</name><value>127.0.0.1:$NN_HTTP</value></property>
  <property><name>dfs.namenode.secondary.http-address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.datanode.address</name><value>127.0.0.1:$DN_PORT</value></property>
  <property><name>dfs.datanode.http.address</name><value>127.0.0.1:$((DN_PORT + 1))</value></property>
  <property><name>dfs.datanode.ipc.address</name><value>127.0.0.1:$((DN_PORT + 2))</value></property>
  <property><name>dfs.datanode.hostname</name><value>127.0.0.1</value></property>
  <property><name>dfs.namenode.datanode.registration.ip-hostname-check</name><value>false</value></property>
  <!-- one DataNode: never try to replace it in a write pipeline -->
  <property><name>dfs.client.block.write.replace-datanode-on-failure.enable</name><value>false</value></property>
  <!-- leave safe mode as soon as the one DataNode has reported its blocks, not 30 s later -->
  <property><name>dfs.namenode.safemode.extension</name><value>0</value></property>
</configuration>
XML
  cat >"$CONF/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n
log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR
PROPS
}

jmx() { curl -fsS --max-time 2 "$JMX?qry=$1" 2>/dev/null; }
namenode_serves() { jmx 'Hadoop:service=NameNode,name=NameNodeInfo' | grep -q '"Safemode"'; }
# The DataNode has registered and the NameNode has left safe mode: writes go through.
writable() {
  local info; info=$(jmx 'Hadoop:service=NameNode,name=FSNamesystemState') || return 1
  grep -Eq '"NumLiveDataNodes" *: *[1-9]' <<<"$info" && jmx 'Hadoop:service=NameNode,name=NameNodeInfo' | grep -q '"Safemode" *: *""'
}

start() {
  fetch_jars "$PROJECT_DIR/scripts/cluster/hdfs-pom.xml" "$DIR/lib"
  write_config
  if ! alive "$DIR/namenode.pid"; then
    port_open "$NN_PORT" && die "port $NN_PORT is taken by another process; set AGRI_HDFS_PORT"
    if [[ ! -f "$DIR/name/current/VERSION" ]]; then
      log "formatting the name directory $DIR/name"
      hadoop_java org.apache.hadoop.hdfs.server.namenode.NameNode -format -nonInteractive -clusterid agri-local \
        >"$DIR/logs/format.log" 2>&1 || { tail -n 20 "$DIR/logs/format.log" >&2; die "formatting failed"; }
    fi
    log "starting the NameNode on $URI"
    spawn "$DIR/namenode.pid" "$DIR/logs/namenode.log" "${JAVA[@]}" org.apache.hadoop.hdfs.server.namenode.NameNode
    wait_until "$DIR/namenode.pid" "$DIR/logs/namenode.log" 90 namenode_serves
  fi
  if ! alive "$DIR/datanode.pid"; then
    port_open "$DN_PORT" && die "port $DN_PORT is taken by another process; set AGRI_HDFS_DATANODE_PORT"
    log "starting the DataNode on 127.0.0.1:$DN_PORT"
    spawn "$DIR/datanode.pid" "$DIR/logs/datanode.log" "${JAVA[@]}" org.apache.hadoop.hdfs.server.datanode.DataNode
  fi
  wait_until "$DIR/datanode.pid" "$DIR/logs/datanode.log" 90 writable
  log "ready: $URI (NameNode pid $(pid_of "$DIR/namenode.pid"), DataNode pid $(pid_of "$DIR/datanode.pid"))"
}

stop() {
  stop_pid "$DIR/datanode.pid"
  stop_pid "$DIR/namenode.pid"
}

status() {
  local rc=0
  if alive "$DIR/namenode.pid" && namenode_serves; then
    echo "namenode pid $(pid_of "$DIR/namenode.pid") $URI"
  else
    echo "namenode down $URI"; rc=3
  fi
  if alive "$DIR/datanode.pid" && writable; then
    echo "datanode pid $(pid_of "$DIR/datanode.pid") 127.0.0.1:$DN_PORT"
  else
    echo "datanode down 127.0.0.1:$DN_PORT"; rc=3
  fi
  return $rc
}

fs() {
  [[ -d "$DIR/lib" && -f "$CONF/core-site.xml" ]] || die "not set up; run $0 start first"
  hadoop_java -Dhadoop.root.logger=WARN,console org.apache.hadoop.fs.FsShell "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  options) echo "--agri.spark.conf[spark.hadoop.dfs.replication]=1" ;;
  put) shift; PUT_CLASSPATH="$CONF:$DIR/lib/*"; put "$@" ;;
  fs) shift; fs "$@" ;;
  *) echo "usage: $0 start|stop|status|options|put <local> <hdfs-uri>|fs <args>" >&2; exit 2 ;;
esac
