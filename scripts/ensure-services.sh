#!/usr/bin/env bash
# Installs and starts every server the tests talk to: MariaDB here, and whatever each broker's
# brokers/*/ci-setup.sh needs. Idempotent; safe to run before every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-mariadb.sh
bash scripts/ensure-postgresql.sh
for setup in brokers/*/ci-setup.sh; do
  [ -f "$setup" ] || continue
  echo "ensure-services: $setup"
  bash "$setup"
done
