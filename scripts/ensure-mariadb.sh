#!/usr/bin/env bash
# Makes sure a MariaDB (or MySQL) server answers on 127.0.0.1:3306 and that the broker has an admin
# account of its own on it. Installs mariadb-server from Debian's packages where it is missing
# (needs root). Idempotent; every wait is bounded.
#
# Writes ~/.config/servicepack/mysql-admin.env (mode 600): MYSQL_ADMIN_URL, MYSQL_ADMIN_USERNAME,
# MYSQL_ADMIN_PASSWORD. One file per machine user, not per checkout: the account is the server's,
# and a second checkout must not rotate the password under the first one's running tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
  echo "ensure-mariadb: installing mariadb-server"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client >/dev/null
fi

client=$(command -v mariadb || command -v mysql)
admin_cli() { as_root "$client" --protocol=socket -uroot "$@"; }

if ! admin_cli -e 'SELECT 1' >/dev/null 2>&1; then
  echo "ensure-mariadb: starting the server"
  daemon=$(command -v mariadbd || command -v mysqld)
  as_root mkdir -p /run/mysqld
  as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec "$daemon" -- --user=mysql
  for _ in $(seq 1 60); do
    admin_cli -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 1
  done
  admin_cli -e 'SELECT 1' >/dev/null || { echo "ensure-mariadb: server did not start within 60 s" >&2; exit 1; }
fi

env_file=$(bash scripts/admin-env-file.sh)
mkdir -p "$(dirname "$env_file")"
if [ -f "$env_file" ]; then
  # shellcheck disable=SC1090
  . "$env_file"
fi
MYSQL_ADMIN_USERNAME=servicepack_admin
MYSQL_ADMIN_PASSWORD=${MYSQL_ADMIN_PASSWORD:-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)}
for host in 127.0.0.1 localhost; do
  admin_cli -e "CREATE USER IF NOT EXISTS '${MYSQL_ADMIN_USERNAME}'@'${host}' IDENTIFIED BY '${MYSQL_ADMIN_PASSWORD}';
    ALTER USER '${MYSQL_ADMIN_USERNAME}'@'${host}' IDENTIFIED BY '${MYSQL_ADMIN_PASSWORD}';
    GRANT ALL PRIVILEGES ON *.* TO '${MYSQL_ADMIN_USERNAME}'@'${host}' WITH GRANT OPTION;"
done
umask 077
cat > "$env_file" <<ENV
MYSQL_ADMIN_URL=jdbc:mariadb://127.0.0.1:3306/
MYSQL_ADMIN_USERNAME=${MYSQL_ADMIN_USERNAME}
MYSQL_ADMIN_PASSWORD=${MYSQL_ADMIN_PASSWORD}
ENV
echo "ensure-mariadb: server up on 127.0.0.1:3306, admin account in $env_file"
