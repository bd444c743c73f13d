#!/usr/bin/env bash
# Lays a broker out for a fast, small start where it will run, and trains its class data sharing
# archive there:
#
#   scripts/cds-archive.sh brokers/mysql/target/mysql-broker.jar /opt/servicepack/mysql-broker
#
# leaves DIR/mysql-broker.jar, DIR/lib/ and DIR/mysql-broker.jsa; start the broker with
#   java -XX:SharedArchiveFile=DIR/mysql-broker.jsa <the README's flags> -jar DIR/mysql-broker.jar
# The build does the same in target/NAME/ (the parent pom's cds-extract and cds-train), but JDK 17
# ties an archive to the absolute paths (and modification times) of the jars it was trained on, so
# a copy elsewhere needs its own training: run this where the broker is installed, after every
# upgrade. A mismatched archive is not fatal: the JVM says so and starts without it.
# Training = one start of the broker up to its refreshed Spring context (no port opened, nothing
# contacted), with the dev profile's throwaway credentials, in a scratch working directory.
set -euo pipefail
jar=${1:?usage: scripts/cds-archive.sh EXECUTABLE_JAR DIR [--training.setting=value ...]}
dir=${2:?usage: scripts/cds-archive.sh EXECUTABLE_JAR DIR [--training.setting=value ...]}
shift 2
name=$(basename "$jar" .jar)
java=${JAVA:-java}
jvm=(-XX:+UseSerialGC -Xss512k -Xms24m -Xmx160m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m
  -XX:CICompilerCount=2)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
"$java" -Djarmode=tools -jar "$jar" extract --force --destination "$dir" >/dev/null
case "$name" in
  redis-broker) set -- --servicepack.redis.shared.enabled=false "$@" ;;
  mongodb-broker) set -- --servicepack.mongodb.uri=mongodb://cds-training:none@127.0.0.1:1/admin "$@" ;;
esac
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
rm -f "$dir/$name.jsa"
(cd "$scratch" && "$java" "${jvm[@]}" -Xlog:cds*=error -XX:ArchiveClassesAtExit="$dir/$name.jsa" -Dspring.context.exit=onRefresh \
  -jar "$dir/$name.jar" --spring.profiles.active=dev --server.port=0 --spring.main.banner-mode=off --logging.level.root=WARN "$@" \
  > "$scratch/training.log" 2>&1) || { cat "$scratch/training.log" >&2; exit 1; }
echo "$dir/$name.jsa"
