#!/usr/bin/env bash
# Registers one broker with Cloud Foundry / PaaS-TA, makes its plans visible, and opens the network
# path that apps bound to its instances need: an application security group (ASG) per backend.
# Run it as a platform admin (`cf login` first); running it again updates what exists.
#
#   deploy/cloudfoundry/register.sh <mysql|redis|rabbitmq|mongodb>
#
# Environment:
#   BROKER_URL            the broker as the Cloud Controller reaches it, e.g. https://mysql-broker.sys.example.com
#   BROKER_USERNAME       the broker's SERVICEPACK_SECURITY_USERNAME
#   BROKER_PASSWORD       the broker's SERVICEPACK_SECURITY_PASSWORD (handed to cf in CF_BROKER_PASSWORD,
#                         never on a command line)
#   BACKEND_DESTINATIONS  where apps reach the backend: comma list of IPs, CIDRs or ranges
#                         (10.0.1.10-10.0.1.12). Redis: the dedicated-vm pool nodes.
#   REDIS_SHARED_DESTINATIONS  Redis only: the hosts of VM brokers that run shared-vm instances
#                         (ports 16400-16499). Setting it also enables the shared-vm plan.
#   BROKER_NAME           default <broker>-broker
#   PLANS                 comma list of plans to enable (default: every plan; Redis: dedicated-vm, and
#                         shared-vm when REDIS_SHARED_DESTINATIONS is set)
#   ORG                   enable access for this org only (default: every org)
#   ASG_SPACE             <org>/<space>: bind the ASG to this space only, instead of to every app's
#                         running lifecycle (cf bind-running-security-group)
#   DRY_RUN=1             print what would be run, run nothing
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

broker=${1:-}
case "$broker" in
  mysql)    service=Mysql-DB; ports=(3306) ;;
  redis)    service=redis;    ports=(6379) ;;
  # 5671 for AMQP over TLS; 15672 because the credentials carry the management API (http_api_uri).
  rabbitmq) service=rabbitmq; ports=(5672 5671 15672) ;;
  mongodb)  service=Mongo-DB; ports=(27017) ;;
  *) usage ;;
esac
: "${BROKER_URL:?set BROKER_URL (see $0 for every variable)}"
: "${BROKER_USERNAME:?set BROKER_USERNAME}"
: "${BROKER_PASSWORD:?set BROKER_PASSWORD}"
: "${BACKEND_DESTINATIONS:?set BACKEND_DESTINATIONS: the addresses apps reach the backend at}"
name=${BROKER_NAME:-$broker-broker}
shared_destinations=${REDIS_SHARED_DESTINATIONS:-}
if [ "$broker" != redis ] && [ -n "$shared_destinations" ]; then
  echo "REDIS_SHARED_DESTINATIONS is for the redis broker only" >&2
  exit 2
fi
plans=${PLANS:-}
if [ -z "$plans" ] && [ "$broker" = redis ]; then
  # shared-vm runs redis-server on the broker's own host: only a VM broker offers it.
  plans=dedicated-vm${shared_destinations:+,shared-vm}
fi

run() {
  if [ "${DRY_RUN:-}" = 1 ]; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

# One rule per destination and port: older Cloud Controllers accept neither comma-separated
# destinations nor several port lists in one rule.
asg_rules() {
  local destinations=$1; shift
  local first=1 destination port
  IFS=, read -r -a list <<<"$destinations"
  for destination in "${list[@]}"; do
    destination=${destination// /}
    [ -n "$destination" ] || continue
    for port in "$@"; do
      [ $first = 1 ] || printf ',\n'
      first=0
      printf '  {"protocol": "tcp", "destination": "%s", "ports": "%s", "description": "servicepack %s backend"}' \
        "$destination" "$port" "$broker"
    done
  done
}

asg_file=$(mktemp "${TMPDIR:-/tmp}/servicepack-asg-$broker.XXXXXX.json")
trap 'rm -f "$asg_file"' EXIT
{
  printf '[\n'
  asg_rules "$BACKEND_DESTINATIONS" "${ports[@]}"
  if [ -n "$shared_destinations" ]; then
    printf ',\n'
    asg_rules "$shared_destinations" 16400-16499
  fi
  printf '\n]\n'
} >"$asg_file"

# The broker.
if cf service-brokers 2>/dev/null | awk '{print $1}' | grep -Fxq "$name"; then
  CF_BROKER_PASSWORD=$BROKER_PASSWORD run cf update-service-broker "$name" "$BROKER_USERNAME" "$BROKER_URL"
else
  CF_BROKER_PASSWORD=$BROKER_PASSWORD run cf create-service-broker "$name" "$BROKER_USERNAME" "$BROKER_URL"
fi

# Its plans, in the marketplace.
access=(cf enable-service-access "$service" -b "$name")
[ -z "${ORG:-}" ] || access+=(-o "$ORG")
if [ -n "$plans" ]; then
  IFS=, read -r -a plan_list <<<"$plans"
  for plan in "${plan_list[@]}"; do
    run "${access[@]}" -p "$plan"
  done
else
  run "${access[@]}"
fi

# The network path from apps to the backend.
asg=servicepack-$broker-backend
if [ "${DRY_RUN:-}" = 1 ]; then
  echo "# $asg:"; cat "$asg_file"
fi
if cf security-group "$asg" >/dev/null 2>&1; then
  run cf update-security-group "$asg" "$asg_file"
else
  run cf create-security-group "$asg" "$asg_file"
fi
if [ -n "${ASG_SPACE:-}" ]; then
  run cf bind-security-group "$asg" "${ASG_SPACE%%/*}" --space "${ASG_SPACE#*/}" --lifecycle running
else
  run cf bind-running-security-group "$asg"
fi
[ "${DRY_RUN:-}" != 1 ] || echo "dry run: nothing was changed" >&2
[ "${DRY_RUN:-}" = 1 ] || echo "registered $name ($service) at $BROKER_URL; apps may reach ${BACKEND_DESTINATIONS} on ${ports[*]}${shared_destinations:+ and $shared_destinations on 16400-16499}" >&2
