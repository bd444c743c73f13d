#!/usr/bin/env bash
# Runs every test of the project against real servers on 127.0.0.1 (started here if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
set -a
# shellcheck disable=SC1091
. "$(bash scripts/admin-env-file.sh)"
set +a
# The 3-node Galera cluster of the cluster tests (StoreMigrationsGaleraTest, MysqlGaleraTest): started
# here, bounded by GALERA_TIMEOUT per wait, and stopped when this script ends, unless it was already
# running before (a developer's own). SERVICEPACK_REQUIRE_GALERA turns those tests' skip into a
# failure, so a cluster that did not start fails the run instead of passing it silently.
galera_started=""
if ! bash scripts/clusters/galera.sh status >/dev/null 2>&1; then
  galera_started=yes
fi
stop_galera() {
  if [ -n "$galera_started" ]; then
    timeout 180 bash scripts/clusters/galera.sh stop >/dev/null 2>&1 \
      || echo "test-all: WARNING: the Galera cluster did not stop cleanly" >&2
  fi
}

# The 3-node RabbitMQ cluster (issue 16): the RabbitMQ broker's cluster tests start it with
# scripts/clusters/rabbitmq-cluster.sh (bounded) and their JVM stops it at exit; with this switch set
# they fail, rather than skip, when the cluster cannot start. The trap stops it if the build dies in
# between, unless it was already running before (then it is not ours to stop). About 1.5 min of the run.
export SERVICEPACK_RABBITMQ_CLUSTER=1
rabbitmq_cluster_was_up=no
bash scripts/clusters/rabbitmq-cluster.sh status >/dev/null 2>&1 && rabbitmq_cluster_was_up=yes
stop_rabbitmq_cluster() {
  [ "$rabbitmq_cluster_was_up" = yes ] || timeout 180 bash scripts/clusters/rabbitmq-cluster.sh stop >/dev/null 2>&1 || true
}
stop_clusters() {
  stop_galera
  stop_rabbitmq_cluster
}
trap stop_clusters EXIT

galera_begin=$SECONDS
if GALERA_ENV_FILE=$(GALERA_TIMEOUT=${GALERA_TIMEOUT:-180} bash scripts/clusters/galera.sh start); then
  export GALERA_ENV_FILE
  echo "test-all: Galera cluster up in $((SECONDS - galera_begin)) s ($GALERA_ENV_FILE)"
else
  echo "test-all: ERROR: the Galera cluster did not start; its tests will fail" >&2
  unset GALERA_ENV_FILE
fi
export SERVICEPACK_REQUIRE_GALERA=true

# install, not verify: the archetype's integration test builds a broker generated outside the tree,
# which resolves broker-sdk and broker-testkit from the local repository (~/.m2, or
# -Dmaven.repo.local=...), so they are installed first; under verify that test does not run.
# Not exec: the EXIT trap above must run after Maven.
mvn -B -ntp install "$@"
# The README's first command, as a user runs it, for each broker (the jars were just built).
# RUN_BROKER_CHECK=false leaves it out (e.g. with -pl, when not every broker was built).
if [ "${RUN_BROKER_CHECK:-true}" != false ]; then
  bash scripts/check-run-broker.sh
fi
