#!/usr/bin/env bash
# Checks the README's first command as a user runs it: `scripts/run-broker.sh <broker>` for each
# broker (MongoDB on the demo double), each on a port of its own, then over HTTP the catalog, an
# asynchronous-capable provision polled to its end, a bind whose credentials come back, unbind and
# deprovision; each broker is stopped (its whole process group) before the next starts.
#
#   scripts/check-run-broker.sh [mysql redis rabbitmq mongodb]
#
# Every wait is bounded (RUN_BROKER_CHECK_TIMEOUT seconds, default 180, to the first catalog; 60
# for an operation). Logs: target/run-broker-check/<broker>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

brokers=("$@")
[ ${#brokers[@]} -gt 0 ] || brokers=(mysql redis rabbitmq mongodb)
start_timeout=${RUN_BROKER_CHECK_TIMEOUT:-180}
logs=target/run-broker-check
mkdir -p "$logs"
say() { echo "check-run-broker: $*" >&2; }

running=""
stop_running() {
  if [ -n "$running" ]; then
    kill -TERM -- "-$running" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 -- "-$running" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$running" 2>/dev/null || true
    running=""
  fi
}
trap stop_running EXIT

# The plan each broker is checked on (Redis: shared-vm, which needs no node pool).
plan_of() {
  case "$1" in
    mysql) echo Mysql-Plan1-10con ;;
    redis) echo shared-vm ;;
    rabbitmq) echo standard ;;
    mongodb) echo default-plan ;;
  esac
}

port=18480
for broker in "${brokers[@]}"; do
  port=$((port + 1))
  log="$logs/$broker.log"
  say "$broker: scripts/run-broker.sh $broker on port $port (log $log)"
  PORT=$port setsid bash scripts/run-broker.sh "$broker" >"$log" 2>&1 < /dev/null &
  running=$!
  # data/broker.env exists once the script has passed its credentials step.
  base="http://127.0.0.1:$port"
  deadline=$((SECONDS + start_timeout))
  catalog=""
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$running" 2>/dev/null; then
      tail -n 40 "$log" >&2
      say "$broker: run-broker.sh exited before answering"
      exit 1
    fi
    if [ -f data/broker.env ]; then
      # shellcheck disable=SC1091
      . data/broker.env
      auth="$SERVICEPACK_SECURITY_USERNAME:$SERVICEPACK_SECURITY_PASSWORD"
      if catalog=$(curl -sf -m 5 -u "$auth" -H 'X-Broker-API-Version: 2.17' "$base/v2/catalog" 2>/dev/null); then
        break
      fi
    fi
    sleep 1
  done
  [ -n "$catalog" ] || { tail -n 40 "$log" >&2; say "$broker: no catalog within ${start_timeout}s"; exit 1; }

  plan=$(plan_of "$broker")
  service_id=$(jq -r --arg p "$plan" '.services[] | select(any(.plans[]; .name == $p)) | .id' <<<"$catalog")
  plan_id=$(jq -r --arg p "$plan" '.services[].plans[] | select(.name == $p) | .id' <<<"$catalog")
  [ -n "$service_id" ] && [ -n "$plan_id" ] || { say "$broker: plan $plan not in the catalog"; exit 1; }

  osb() { # method path [body] -> body on stdout, status in $status
    local out
    out=$(curl -s -m 60 -o /dev/stdout -w '\n%{http_code}' -u "$auth" -H 'X-Broker-API-Version: 2.17' \
      -H 'Content-Type: application/json' -X "$1" "$base$2" ${3:+-d "$3"})
    status=${out##*$'\n'}
    body=${out%$'\n'*}
  }
  wait_done() { # path-of-resource
    local until=$((SECONDS + 60)) state
    while [ $SECONDS -lt $until ]; do
      osb GET "$1/last_operation"
      state=$(jq -r '.state // empty' <<<"$body" 2>/dev/null || true)
      case "$status:$state" in
        200:succeeded | 410:*) return 0 ;;
        200:failed) say "$broker: $1 failed: $body"; return 1 ;;
      esac
      sleep 0.5
    done
    say "$broker: $1 did not finish within 60s"; return 1
  }

  id="run-broker-check-$broker-$RANDOM$RANDOM"
  instance="/v2/service_instances/$id"
  ids="\"service_id\":\"$service_id\",\"plan_id\":\"$plan_id\""
  osb PUT "$instance?accepts_incomplete=true" "{$ids,\"organization_guid\":\"check-org\",\"space_guid\":\"check-space\"}"
  case "$status" in
    201) ;;
    202) wait_done "$instance" ;;
    *) say "$broker: provision answered $status: $body"; exit 1 ;;
  esac
  osb PUT "$instance/service_bindings/app?accepts_incomplete=true" "{$ids}"
  if [ "$status" = 202 ]; then
    wait_done "$instance/service_bindings/app"
    osb GET "$instance/service_bindings/app"
  fi
  case "$status" in
    200 | 201) ;;
    *) say "$broker: bind answered $status: $body"; exit 1 ;;
  esac
  fields=$(jq -r '.credentials | keys | join(",")' <<<"$body")
  [ -n "$fields" ] || { say "$broker: the binding has no credentials"; exit 1; }
  say "$broker: bound; credential fields: $fields"
  osb DELETE "$instance/service_bindings/app?service_id=$service_id&plan_id=$plan_id&accepts_incomplete=true"
  [[ "$status" =~ ^(200|202)$ ]] || { say "$broker: unbind answered $status: $body"; exit 1; }
  [ "$status" = 200 ] || wait_done "$instance/service_bindings/app"
  osb DELETE "$instance?service_id=$service_id&plan_id=$plan_id&accepts_incomplete=true"
  [[ "$status" =~ ^(200|202)$ ]] || { say "$broker: deprovision answered $status: $body"; exit 1; }
  [ "$status" = 200 ] || wait_done "$instance"
  osb GET "$instance"
  [ "$status" = 404 ] || { say "$broker: the instance is still there after deprovision ($status)"; exit 1; }
  stop_running
  say "$broker: ok"
done
