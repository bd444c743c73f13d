#!/usr/bin/env bash
# Runs every test of the project against real servers on 127.0.0.1 (started here if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
set -a
# shellcheck disable=SC1091
. "$(bash scripts/admin-env-file.sh)"
set +a
exec mvn -B -ntp verify "$@"
