#!/usr/bin/env bash
# The local cluster's Elasticsearch: three nodes of one cluster on loopback (scripts/es-local.sh
# with AGRI_ES_NODES=3), for runs whose indices get replicas and shards spread over the nodes
# (AGRI_ES_SHARDS=3 AGRI_ES_REPLICAS=1, conf/application.yml).
#
#   scripts/cluster/es.sh start|stop|status
#   scripts/cluster/es.sh stop-node N|start-node N    one node (1..3), e.g. during `index` for a fault test
#
# Settings (environment):
#   AGRI_CLUSTER_ES_PORT   HTTP port of node 1 (default 9290; nodes 2, 3 on +1, +2; transport on +100)
#   AGRI_CLUSTER_ES_HEAP   heap of each node (default 512m)
# The nodes live under .cluster/es/ (when root: under /var/tmp if the unprivileged user cannot
# reach the project), apart from the development node of scripts/es-local.sh.
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${AGRI_CLUSTER_ES_PORT:-9290}"
export AGRI_ES_NODES=3 AGRI_ES_PORT="$PORT" AGRI_ES_HEAP="${AGRI_CLUSTER_ES_HEAP:-512m}" \
  AGRI_ES_DIR="$PROJECT_DIR/.cluster/es" AGRI_ES_SECURITY=none AGRI_ES_SETTINGS=
case "${1:-}" in
  start|stop|status) exec "$PROJECT_DIR/scripts/es-local.sh" "$1" ;;
  stop-node|start-node) exec "$PROJECT_DIR/scripts/es-local.sh" "$1" "${2:?node number 1..3}" ;;
  *) echo "usage: $0 start|stop|status|stop-node N|start-node N" >&2; exit 2 ;;
esac
