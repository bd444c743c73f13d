#!/usr/bin/env bash
# Builds and starts the MySQL broker on http://127.0.0.1:8080 against the local MariaDB/MySQL
# (installed and started if missing). Broker credentials and the secrets key are generated on the
# first run into data/broker.env (mode 600); state is kept in data/mysql-broker-state.mv.db.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-mariadb.sh
mkdir -p data
if [ ! -f data/broker.env ]; then
  umask 077
  random() { head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
  cat > data/broker.env <<ENV
SERVICEPACK_SECURITY_USERNAME=broker
SERVICEPACK_SECURITY_PASSWORD=$(random 24)
SERVICEPACK_SECRETS_KEY=$(random 40)
ENV
  echo "run-mysql-broker: generated broker credentials in data/broker.env"
fi
mvn -B -q -ntp install -DskipTests -pl brokers/mysql -am
set -a
# shellcheck disable=SC1091
. "$(bash scripts/admin-env-file.sh)"
# shellcheck disable=SC1091
. data/broker.env
set +a
exec java -XX:+UseSerialGC -Xss512k -Xms24m -Xmx160m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m -XX:CICompilerCount=2 -jar brokers/mysql/target/mysql-broker.jar "$@"
