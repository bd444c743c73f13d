#!/usr/bin/env bash
# Runs every test of the project against real servers on 127.0.0.1 (started here if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
set -a
# shellcheck disable=SC1091
. "$(bash scripts/admin-env-file.sh)"
set +a
# install, not verify: the archetype's integration test builds a broker generated outside the tree,
# which resolves broker-sdk and broker-testkit from the local repository (~/.m2, or
# -Dmaven.repo.local=...), so they are installed first; under verify that test does not run.
mvn -B -ntp install "$@"
# The README's first command, as a user runs it, for each broker (the jars were just built).
# RUN_BROKER_CHECK=false leaves it out (e.g. with -pl, when not every broker was built).
if [ "${RUN_BROKER_CHECK:-true}" != false ]; then
  bash scripts/check-run-broker.sh
fi
