#!/usr/bin/env bash
# What the Redis broker's tests need on a fresh Debian 12 machine (run as root, idempotent):
# the redis-server 7 binary. The tests start and stop their own redis-server processes on
# 127.0.0.1 ports 16400-16499 and never use a system instance, so none is started here.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1 || ! redis-server --version | grep -Eq 'v=(6\.[2-9]|[7-9]\.)'; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi
# setsid (util-linux) runs instance processes in their own session; present on Debian, checked anyway.
command -v setsid >/dev/null 2>&1 || apt-get install -y -qq util-linux >/dev/null

# Prove the binary works: start one on a scratch port, wait (bounded) until it answers, stop it.
scratch=$(mktemp -d)
port=16499
/usr/bin/redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$scratch" \
  --daemonize yes --pidfile "$scratch/redis.pid" --logfile "$scratch/redis.log"
for _ in $(seq 1 100); do
  if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$scratch"
    echo "redis-server $(redis-server --version | sed -E 's/.*v=([0-9.]+).*/\1/') ready at /usr/bin/redis-server"
    exit 0
  fi
  sleep 0.1
done
echo "redis-server did not answer within 10 s; its log:" >&2
cat "$scratch/redis.log" >&2 || true
exit 1
