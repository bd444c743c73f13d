#!/usr/bin/env bash
# Installs, starts and readies what the rabbitmq broker's tests need: RabbitMQ on 127.0.0.1:5672
# (guest/guest, which RabbitMQ only lets in from loopback) with the management plugin answering on
# http://127.0.0.1:15672. Idempotent; runs as root on Debian 12; every wait is bounded.
set -euo pipefail

log() { echo "rabbitmq ci-setup: $*"; }

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  log "installing rabbitmq-server"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server curl
fi
command -v curl >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl

# AMQP on loopback only: the tests never need more, and guest must not be reachable from outside.
conf=/etc/rabbitmq/rabbitmq.conf
if ! grep -qs '^listeners\.tcp' "$conf"; then
  echo 'listeners.tcp.local = 127.0.0.1:5672' >> "$conf"
fi

running() { rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

# Enabled in the plugins file first, so a node started below comes up with it.
rabbitmq-plugins enable --offline rabbitmq_management >/dev/null

if ! running; then
  log "starting rabbitmq-server"
  # Containers often have no systemd; the package's init script works there and elsewhere.
  service rabbitmq-server start >/dev/null 2>&1 || rabbitmq-server -detached
  for _ in $(seq 1 120); do
    running && break
    sleep 1
  done
  running || { log "RabbitMQ did not answer within 120 s"; exit 1; }
fi

# On a node that was already running, the offline change above is not live yet.
rabbitmq-plugins enable rabbitmq_management >/dev/null

for _ in $(seq 1 60); do
  if curl -fsS -m 5 -u guest:guest http://127.0.0.1:15672/api/overview >/dev/null 2>&1; then
    log "RabbitMQ and its management API are ready"
    exit 0
  fi
  sleep 1
done
log "the management API at http://127.0.0.1:15672 did not answer within 60 s"
exit 1
