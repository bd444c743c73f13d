#!/usr/bin/env bash
# Runs the full benchmark (about 20 minutes plus the build on an idle 2-core machine) and writes
# docs/benchmarks.md with its two charts.
#   scripts/benchmark.sh            full run, the published figures
#   scripts/benchmark.sh --smoke    every scenario with tiny counts (what CI's BenchmarkSmokeTest does)
#   scripts/benchmark.sh --only-redis | --only-rabbitmq | --only-mongodb
#                                   diagnostic: that broker's operation costs alone (a few minutes;
#                                   report in benchmarks/target/benchmarks-NAME.md)
#   scripts/benchmark.sh --only-mysql    diagnostic: the MySQL broker's operation costs and concurrency
#                                   alone (report in benchmarks/target/benchmarks-mysql.md)
#   scripts/benchmark.sh --only-scale    diagnostic: the scale section alone, H2 and MariaDB (report in
#                                   benchmarks/target/benchmarks-scale.md)
#   scripts/benchmark.sh --jfr      diagnostic: also records a JFR profile of every broker process into
#                                   benchmarks/target/jfr/ (inflated figures; the report goes to
#                                   benchmarks/target/benchmarks-profiled.md, docs/ is left alone)
#   BENCHMARK_BROKER_JVM='-agentpath:...=...,file=/tmp/NAME.jfr' scripts/benchmark.sh --only-redis
#                                   diagnostic: one more JVM option for every broker process, NAME
#                                   replaced by the broker's name (a profiler agent; docs/performance-notes.md)
# Needs MariaDB on 127.0.0.1 (scripts/ensure-mariadb.sh installs it and writes the admin account file),
# redis-server, and RabbitMQ with its management API (the brokers' ci-setup.sh scripts, run below).
# MongoDB figures are taken against the MongoDB broker's in-JVM test double, not mongod (none exists here).
# Writes the report and, next to it, its charts benchmarks-targets.svg and benchmarks-operations.svg.
# Every target is the median of 3 rounds with its spread; on a loaded machine the spread shows it
# (the report gives the load average at start and end): publish only a run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/benchmarks.md
args=()
for arg in "$@"; do
  case "$arg" in
    --smoke) args+=(--smoke); out=benchmarks/target/benchmarks-smoke.md ;;
    --only-redis|--only-rabbitmq|--only-mongodb)
      name=${arg#--only-}; args+=(--only "$name"); out=benchmarks/target/benchmarks-$name.md ;;
    --only-mysql) args+=(--only mysql); out=benchmarks/target/benchmarks-mysql.md ;;
    --only-scale) args+=(--only scale); out=benchmarks/target/benchmarks-scale.md ;;
    --jfr) args+=(--jfr benchmarks/target/jfr); [ "$out" = docs/benchmarks.md ] && out=benchmarks/target/benchmarks-profiled.md ;;
    *) echo "usage: $0 [--smoke] [--only-mysql|--only-redis|--only-rabbitmq|--only-mongodb] [--only-scale] [--jfr]" >&2; exit 2 ;;
  esac
done
bash scripts/ensure-mariadb.sh
bash brokers/redis/ci-setup.sh
bash brokers/rabbitmq/ci-setup.sh
set -a
# shellcheck disable=SC1091
. "$(bash scripts/admin-env-file.sh)"
set +a
# -am builds every broker (jar, extracted layout, class data sharing archive) too: benchmarks depends
# on them for build order. clean: a resource deleted from src (a migration, say) stays in
# target/classes otherwise, and the measured jars would carry it. One reactor, nothing installed
# into the local repository: the class path points at this checkout's own build output.
mvn -q -B -ntp -pl benchmarks -am clean package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt
classpath="benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)"
exec java -Xmx512m -cp "$classpath" org.paasta.servicepack.benchmarks.BenchmarkRun \
  --broker-jar brokers/mysql/target/mysql-broker.jar --out "$out" "${args[@]}"
