#!/usr/bin/env bash
# Installs and starts every server the tests talk to: MariaDB here, and whatever each broker's
# brokers/*/ci-setup.sh needs. Idempotent; safe to run before every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-mariadb.sh
bash scripts/ensure-postgresql.sh
# The SDK's browser tests need Chromium; without it they fail (they never skip), so say so here and
# let every other test still run.
bash scripts/ensure-chromium.sh || echo "ensure-services: WARNING: no Chromium; DashboardBrowserTest will fail" >&2
for setup in brokers/*/ci-setup.sh; do
  [ -f "$setup" ] || continue
  echo "ensure-services: $setup"
  bash "$setup"
done
