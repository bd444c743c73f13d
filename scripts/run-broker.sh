#!/usr/bin/env bash
# Starts one broker of the service pack on this machine, doing its real job against a local backend:
#
#   scripts/run-broker.sh mysql|redis|rabbitmq|mongodb [extra --spring.args]
#
# - installs and starts the backend where Debian has it (MariaDB; redis-server for shared-vm;
#   RabbitMQ with its management plugin). MongoDB: the deployment in MONGODB_ADMIN_URI when set,
#   otherwise the project's in-process test double of MongoDB (a DEMO, not MongoDB; said loudly).
# - builds the broker if its jar is missing or older than the sources, then runs a COPY of the jar
#   (data/<broker>/), so a later `mvn install` never changes a running broker underneath it.
# - generates the broker credentials and secrets key once, into data/broker.env (mode 600),
#   shared by all brokers of this checkout.
# - each broker has its own port (PORT, default mysql 8080, redis 8081, rabbitmq 8082, mongodb
#   8083) and its own state file (data/<broker>-broker-state.mv.db), so all four run at once.
set -euo pipefail
cd "$(dirname "$0")/.."

broker=${1:-}
case "$broker" in
  mysql) default_port=8080 ;;
  redis) default_port=8081 ;;
  rabbitmq) default_port=8082 ;;
  mongodb) default_port=8083 ;;
  *) echo "usage: scripts/run-broker.sh mysql|redis|rabbitmq|mongodb [--spring.property=value ...]" >&2; exit 2 ;;
esac
shift
export PORT=${PORT:-$default_port}
say() { echo "run-broker($broker): $*" >&2; }

# ---- the backend ----------------------------------------------------------------------------
case "$broker" in
  mysql) bash scripts/ensure-mariadb.sh >&2 ;;
  redis) bash brokers/redis/ci-setup.sh >&2 ;;
  rabbitmq) bash brokers/rabbitmq/ci-setup.sh >&2 ;;
  mongodb) ;;
esac

# ---- credentials ----------------------------------------------------------------------------
mkdir -p data
if [ ! -f data/broker.env ]; then
  (
    umask 077
    random() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
    cat > data/broker.env <<ENV
SERVICEPACK_SECURITY_USERNAME=broker
SERVICEPACK_SECURITY_PASSWORD=$(random 24)
SERVICEPACK_SECRETS_KEY=$(random 40)
ENV
  )
  say "generated broker credentials in data/broker.env"
fi

# ---- the jar: built when stale, run from a copy ----------------------------------------------
jar="brokers/$broker/target/$broker-broker.jar"
stale=false
if [ ! -f "$jar" ]; then
  stale=true
elif [ -n "$(find broker-sdk/src catalog "brokers/$broker/src" pom.xml broker-sdk/pom.xml "brokers/$broker/pom.xml" \
        -newer "$jar" -type f -print -quit)" ]; then
  stale=true
fi
if $stale; then
  say "building $jar"
  mvn -B -q -ntp install -DskipTests -pl "brokers/$broker" -am >&2
fi
run_dir="data/$broker"
mkdir -p "$run_dir"
cp "$jar" "$run_dir/$broker-broker.jar.new"
mv -f "$run_dir/$broker-broker.jar.new" "$run_dir/$broker-broker.jar"

set -a
# shellcheck disable=SC1091
. data/broker.env
set +a

case "$broker" in
  mysql)
    set -a
    # shellcheck disable=SC1091
    . "$(bash scripts/admin-env-file.sh)"
    set +a
    ;;
  redis)
    export REDIS_SHARED_DATA_DIR=${REDIS_SHARED_DATA_DIR:-$PWD/data/redis-instances}
    ;;
  mongodb)
    if [ -z "${MONGODB_ADMIN_URI:-}" ]; then
      say "MONGODB_ADMIN_URI is not set: starting the project's TEST DOUBLE of MongoDB (see below)"
      classpath_file="$run_dir/double.classpath"
      double_classpath() { mvn -B -q -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/$classpath_file" >&2; }
      # The double's classes and its dependencies (the project's own modules among them, from the
      # local Maven repository): built and installed first when either is missing.
      if [ ! -f benchmarks/target/classes/org/paasta/servicepack/benchmarks/MongoDoubleServer.class ] \
          || ! double_classpath 2>/dev/null; then
        mvn -B -q -ntp install -DskipTests -pl benchmarks -am >&2
        double_classpath
      fi
      # The double exits when its standard input closes: it lives exactly as long as the broker.
      coproc DOUBLE { exec java -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
        org.paasta.servicepack.benchmarks.MongoDoubleServer; }
      line=""
      if ! read -r -t 60 line <&"${DOUBLE[0]}" || [ "${line%% *}" != READY ]; then
        say "the MongoDB test double did not start within 60 s"
        exit 1
      fi
      export MONGODB_ADMIN_URI=${line#READY }
      cat >&2 <<'WARN'
****************************************************************************
*  DEMO: this MongoDB broker runs against the project's in-process TEST     *
*  DOUBLE of MongoDB (mongo-java-server behind a copy of MongoDB's auth      *
*  rules), in memory, on 127.0.0.1. It is NOT MongoDB: data is gone when    *
*  the broker stops. Set MONGODB_ADMIN_URI to use a real deployment.        *
****************************************************************************
WARN
    fi
    ;;
esac

say "starting on port $PORT (state: data/$broker-broker-state.mv.db)"
# The README's recommended flags: a small, predictable footprint.
java_command=(java -XX:+UseSerialGC -Xss512k -Xms24m -Xmx160m -XX:ReservedCodeCacheSize=48m
  -XX:MaxMetaspaceSize=128m -XX:CICompilerCount=2 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError
  -jar "$run_dir/$broker-broker.jar" "$@")
if [ -z "${DOUBLE_PID:-}" ]; then
  exec "${java_command[@]}"
fi
# With the test double, stay around to end it when the broker ends (a signal reaches both).
status=0
"${java_command[@]}" || status=$?
exec {DOUBLE[1]}>&-
wait "$DOUBLE_PID" 2>/dev/null || true
exit "$status"
