#!/usr/bin/env bash
# The MySQL broker on :8080 against the local MariaDB: the same as scripts/run-broker.sh mysql.
exec bash "$(dirname "$0")/run-broker.sh" mysql "$@"
