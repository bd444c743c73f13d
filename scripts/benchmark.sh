#!/usr/bin/env bash
# Runs the full benchmark (about 10 minutes on 2 cores) and writes docs/benchmarks.md.
#   scripts/benchmark.sh            full run, the published figures
#   scripts/benchmark.sh --smoke    every scenario with tiny counts (what CI's BenchmarkSmokeTest does)
# Needs MariaDB on 127.0.0.1 (scripts/ensure-mariadb.sh installs it and writes the admin account file).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/benchmarks.md
args=()
for arg in "$@"; do
  case "$arg" in
    --smoke) args+=(--smoke); out=benchmarks/target/benchmarks-smoke.md ;;
    *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
  esac
done
bash scripts/ensure-mariadb.sh
set -a
# shellcheck disable=SC1091
. "$(bash scripts/admin-env-file.sh)"
set +a
mvn -q -B -ntp -pl benchmarks -am install -DskipTests
mvn -q -B -ntp -pl benchmarks dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=target/runtime-classpath.txt
classpath="benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)"
exec java -Xmx512m -cp "$classpath" org.paasta.servicepack.benchmarks.BenchmarkRun \
  --broker-jar brokers/mysql/target/mysql-broker.jar --out "$out" "${args[@]}"
