#!/usr/bin/env bash
# CI setup for the MongoDB broker's tests. Idempotent; runs as root on Debian 12.
#
# Nothing to install: no mongod can be installed on these machines (see README.md), so the tests
# start, inside the test JVM on 127.0.0.1, a MongoDB wire-protocol server (mongo-java-server, a
# Maven test dependency) behind the project's test double of MongoDB's auth rules. When
# MONGODB_TEST_URI is set, the tests use that deployment instead and this script checks that it
# is reachable; it never starts or changes it.
set -euo pipefail

if ! command -v java >/dev/null 2>&1; then
  echo "mongodb ci-setup: java is missing; install openjdk-17-jdk-headless" >&2
  exit 1
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${java_major%%.*}" -lt 17 ]; then
  echo "mongodb ci-setup: Java 17 or later is required, found ${java_major}" >&2
  exit 1
fi

if [ -n "${MONGODB_TEST_URI:-}" ]; then
  # Only a TCP check of the first host (no credentials printed): the URI's first host:port.
  rest=${MONGODB_TEST_URI#*://}
  rest=${rest#*@}
  first=${rest%%[,/?]*}
  host=${first%:*}
  port=${first##*:}
  [ "$host" = "$first" ] && port=27017
  host=${host#[}
  host=${host%]}
  for _ in $(seq 1 30); do
    if timeout 2 bash -c "exec 3<>/dev/tcp/${host}/${port}" 2>/dev/null; then
      echo "mongodb ci-setup: MONGODB_TEST_URI answers on ${host}:${port}"
      exit 0
    fi
    sleep 1
  done
  echo "mongodb ci-setup: MONGODB_TEST_URI does not answer on ${host}:${port} after 30 s" >&2
  exit 1
fi

echo "mongodb ci-setup: nothing to install; tests use the in-JVM test double of MongoDB's auth rules"
