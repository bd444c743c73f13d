#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on 127.0.0.1 for the tests, from Debian's rabbitmq-server: nodes
# sp-rabbit1..3@localhost, each with its own AMQP, management and distribution port and its own
# mnesia and log directories; nodes 2 and 3 joined to node 1 with `rabbitmqctl join_cluster`.
# It shares nothing with the system node (rabbit@localhost, 5672/15672): its own Erlang cookie (in
# RABBITMQ_CLUSTER_DIR/home, used as HOME), its own epmd on its own port, its own config files
# (RABBITMQ_CONF_ENV_FILE keeps /etc/rabbitmq/rabbitmq-env.conf out).
#
#   rabbitmq-cluster.sh start          start the missing nodes (a fresh cluster if none runs); prints the env file path
#   rabbitmq-cluster.sh stop           stop every node and epmd, remove every file under RABBITMQ_CLUSTER_DIR
#   rabbitmq-cluster.sh status         one line per node; exit 0 only when all three run in one cluster
#   rabbitmq-cluster.sh stop-node N    stop node N (graceful: the others see it leave)
#   rabbitmq-cluster.sh start-node N   start node N again; it rejoins the cluster it belongs to
#   rabbitmq-cluster.sh env-file       print the env file path
#
# The env file (KEY=VALUE, mode 600) names the nodes and an administrator account with a random
# password (user sp-admin, tag administrator, all permissions on vhost /).
#
# Settings (env): RABBITMQ_CLUSTER_DIR (/tmp/servicepack-rabbitmq), RABBITMQ_CLUSTER_AMQP_PORT_BASE
# (5701: node N on base+N-1), RABBITMQ_CLUSTER_MANAGEMENT_PORT_BASE (15701), RABBITMQ_CLUSTER_DIST_PORT_BASE
# (25701), RABBITMQ_CLUSTER_EPMD_PORT (4370), RABBITMQ_CLUSTER_TIMEOUT (seconds each wait may take, 120).
set -euo pipefail

DIR=${RABBITMQ_CLUSTER_DIR:-/tmp/servicepack-rabbitmq}
AMQP_BASE=${RABBITMQ_CLUSTER_AMQP_PORT_BASE:-5701}
MGMT_BASE=${RABBITMQ_CLUSTER_MANAGEMENT_PORT_BASE:-15701}
DIST_BASE=${RABBITMQ_CLUSTER_DIST_PORT_BASE:-25701}
EPMD_PORT=${RABBITMQ_CLUSTER_EPMD_PORT:-4370}
TIMEOUT=${RABBITMQ_CLUSTER_TIMEOUT:-120}
NODES=(1 2 3)
ENV_FILE=$DIR/rabbitmq-cluster.env
ADMIN_USER=sp-admin
RMQ_BIN=/usr/lib/rabbitmq/bin

log() { echo "rabbitmq-cluster: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"
case "$DIR" in /*) ;; *) die "RABBITMQ_CLUSTER_DIR must be an absolute path" ;; esac

node_name() { echo "sp-rabbit$1@localhost"; }
amqp_port() { echo $((AMQP_BASE + $1 - 1)); }
mgmt_port() { echo $((MGMT_BASE + $1 - 1)); }
dist_port() { echo $((DIST_BASE + $1 - 1)); }
node_dir() { echo "$DIR/node$1"; }
mgmt_url() { echo "http://127.0.0.1:$(mgmt_port "$1")"; }

# What every server and CLI process of this cluster sees: our cookie (via HOME), our epmd, and no
# system-wide rabbitmq-env.conf (it names the system node).
export HOME=$DIR/home
export ERL_EPMD_PORT=$EPMD_PORT
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf

ctl() { # ctl N args... ; bounded: a CLI call against a wedged node must not hang the caller
  timeout "$TIMEOUT" "$RMQ_BIN/rabbitmqctl" -q -n "$(node_name "$1")" "${@:2}"
}

# A beam's command line names neither its node nor its directories (RabbitMQ takes them from the
# environment), so a process is ours when its environment carries this cluster's
# RABBITMQ_CONF_ENV_FILE, which names our directory. Builtins only, no fork per process.
OUR_MARK="RABBITMQ_CONF_ENV_FILE=$RABBITMQ_CONF_ENV_FILE"
proc_has() { # proc_has PID FILE STRING: /proc/PID/FILE (NUL-separated) has an entry equal to or containing STRING
  local parts e
  mapfile -d '' parts 2>/dev/null < "/proc/$1/$2" || return 1
  for e in "${parts[@]}"; do case "$e" in *"$3"*) return 0 ;; esac; done
  return 1
}
pid_from_file() { # pid_from_file FILE MARK: the pid in FILE if that process runs with MARK in its environment
  local p
  [ -f "$1" ] || return 0
  read -r p < "$1" || return 0
  proc_has "$p" environ "$2" && echo "$p"
  return 0
}
node_pid() { pid_from_file "$(node_dir "$1")/launched.pid" "RABBITMQ_MNESIA_BASE=$(node_dir "$1")/mnesia"; }
epmd_pid() { pid_from_file "$DIR/epmd.pid" "$OUR_MARK"; }
our_leftovers() { # Erlang processes of this cluster however they were started (never this script's shells)
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    proc_has "$p" environ "$OUR_MARK" || continue
    if proc_has "$p" cmdline beam.smp || proc_has "$p" cmdline erl_child_setup \
       || proc_has "$p" cmdline inet_gethost || proc_has "$p" cmdline epmd; then echo "$p"; fi
  done
}

install_packages() {
  local missing=()
  [ -x "$RMQ_BIN/rabbitmq-server" ] || missing+=(rabbitmq-server)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # The package starts the system node where it can; this fixture never relies on it.
}

port_taken() { ss -Htln "sport = :$1" | grep -q .; }

admin_password() { sed -n 's/^RABBITMQ_CLUSTER_ADMIN_PASSWORD=//p' "$ENV_FILE" 2>/dev/null; }

write_node_config() {
  local n=$1 password=$2 d
  d=$(node_dir "$n")
  mkdir -p "$d/mnesia" "$d/log"
  umask 077
  cat > "$d/rabbitmq.conf" <<CONF
listeners.tcp.local = 127.0.0.1:$(amqp_port "$n")
management.tcp.ip = 127.0.0.1
management.tcp.port = $(mgmt_port "$n")
# Made at first boot of an empty node; nodes 2 and 3 drop theirs when they join node 1.
default_user = $ADMIN_USER
default_pass = $password
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
# What cf-rabbitmq-release (PaaS-TA's RabbitMQ) sets: the minority side of a partition pauses.
cluster_partition_handling = pause_minority
log.file.level = info
log.console = false
CONF
  if [ "$n" != 1 ]; then
    # A blank node 2 or 3 joins node 1 while it boots (what `rabbitmqctl join_cluster` does, without
    # three CLI VMs per node). It keeps asking for up to TIMEOUT, in case node 1 is slow to answer.
    cat >> "$d/rabbitmq.conf" <<CONF
cluster_formation.peer_discovery_backend = classic_config
cluster_formation.classic_config.nodes.1 = $(node_name 1)
cluster_formation.discovery_retry_limit = $((TIMEOUT * 2))
cluster_formation.discovery_retry_interval = 500
CONF
  fi
}

launch() {
  local n=$1 d p
  d=$(node_dir "$n")
  for p in "$(amqp_port "$n")" "$(mgmt_port "$n")" "$(dist_port "$n")"; do
    port_taken "$p" && die "port $p (node $n) is taken by another process; set RABBITMQ_CLUSTER_*_PORT_BASE"
  done
  # RUNNING_UNDER_SYSTEMD makes the start script exec the VM instead of wrapping it in a shell,
  # so $! is the node itself; setsid keeps it alive when the calling shell goes.
  env RABBITMQ_NODENAME="$(node_name "$n")" \
    RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" \
    RABBITMQ_LOG_BASE="$d/log" \
    RABBITMQ_PID_FILE="$d/rabbitmq.pid" \
    RABBITMQ_DIST_PORT="$(dist_port "$n")" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$(amqp_port "$n")" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RUNNING_UNDER_SYSTEMD=true \
    setsid "$RMQ_BIN/rabbitmq-server" </dev/null >>"$d/log/stdout.log" 2>&1 &
  echo $! > "$d/launched.pid"
}

start_epmd() {
  [ -n "$(epmd_pid)" ] && return 0
  port_taken "$EPMD_PORT" && die "port $EPMD_PORT (epmd) is taken by another process; set RABBITMQ_CLUSTER_EPMD_PORT"
  setsid epmd -port "$EPMD_PORT" -address 127.0.0.1 </dev/null >>"$DIR/epmd.log" 2>&1 &
  echo $! > "$DIR/epmd.pid"
  local deadline=$((SECONDS + 10))
  until port_taken "$EPMD_PORT"; do
    [ $SECONDS -lt $deadline ] || die "epmd did not listen on 127.0.0.1:$EPMD_PORT within 10s"
    sleep 0.2
  done
}

# The names of the running nodes node N's management API reports, sorted, comma-separated. grep and
# sed rather than a JSON parser: the answer is a flat list of {name, running}, and python3 takes
# seconds to start in some sandboxes.
running_nodes_seen_by() {
  curl -fsS -m 5 -u "$ADMIN_USER:$(admin_password)" "$(mgmt_url "$1")/api/nodes?columns=name,running" 2>/dev/null \
    | grep -o '{[^{}]*}' | grep '"running":true' | sed -n 's/.*"name":"\([^"]*\)".*/\1/p' | sort | paste -sd, || true
}

# Waits until every node's management API lists all nodes as running. A node whose API answers
# but sees only itself came up on its own (peer discovery gave up): it is joined to node 1 by hand.
wait_cluster() {
  local deadline=$((SECONDS + TIMEOUT)) n seen all ok names=()
  for n in "${NODES[@]}"; do names+=("$(node_name "$n")"); done
  all=$(printf '%s\n' "${names[@]}" | sort | paste -sd,)
  while [ $SECONDS -lt $deadline ]; do
    ok=0
    for n in "${NODES[@]}"; do
      [ -n "$(node_pid "$n")" ] || { tail -n 30 "$(node_dir "$n")/log/"*.log >&2 2>/dev/null || true; die "node $n exited while starting (logs: $(node_dir "$n")/log)"; }
      seen=$(running_nodes_seen_by "$n")
      [ "$seen" = "$all" ] && ok=$((ok + 1))
      if [ "$n" != 1 ] && [ "$seen" = "$(node_name "$n")" ] && [ -n "$(running_nodes_seen_by 1)" ]; then
        join "$n"
      fi
    done
    [ $ok -eq ${#NODES[@]} ] && return 0
    sleep 0.5
  done
  die "the nodes did not all see a cluster of ${#NODES[@]} within ${TIMEOUT}s (node 1 sees: '$(running_nodes_seen_by 1)'; logs under $DIR/node*/log)"
}

wait_node1_alone() {
  local deadline=$((SECONDS + TIMEOUT))
  until [ -n "$(running_nodes_seen_by 1)" ]; do
    [ -n "$(node_pid 1)" ] || { tail -n 30 "$(node_dir 1)/log/"*.log >&2 2>/dev/null || true; die "node 1 exited while starting (logs: $(node_dir 1)/log)"; }
    [ $SECONDS -lt $deadline ] || die "node 1's management API did not answer within ${TIMEOUT}s (logs: $(node_dir 1)/log)"
    sleep 0.5
  done
  log "node 1 booted"
}

join() {
  local n=$1
  log "node $n runs on its own: joining it to $(node_name 1) with rabbitmqctl join_cluster"
  ctl "$n" stop_app >/dev/null
  ctl "$n" join_cluster "$(node_name 1)" >/dev/null
  ctl "$n" start_app >/dev/null
}

cmd_start() {
  local t0=$SECONDS n running=0 password
  install_packages
  for n in "${NODES[@]}"; do [ -n "$(node_pid "$n")" ] && running=$((running + 1)); done
  if [ $running -eq 0 ]; then
    # Nothing of ours runs: whatever lies in DIR is a leftover; start from scratch.
    cmd_stop_quietly
    mkdir -p "$DIR/home"
    chmod 700 "$DIR"
    : > "$DIR/rabbitmq-env.conf"
    echo '[rabbitmq_management].' > "$DIR/enabled_plugins"
    (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > "$HOME/.erlang.cookie")
    chmod 400 "$HOME/.erlang.cookie"
    password=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
    for n in "${NODES[@]}"; do write_node_config "$n" "$password"; done
    write_env_file "$password"
    start_epmd
    # Node 1 boots first: a node that joins one still booting can copy its tables before their
    # feature-flag migration and then fail its own boot (schema_integrity_check_failed, seen here
    # under load). Nodes 2 and 3 then boot together and join node 1 as they boot.
    launch 1
    wait_node1_alone
    for n in "${NODES[@]:1}"; do launch "$n"; done
  else
    [ -f "$ENV_FILE" ] || die "nodes run but $ENV_FILE is missing; run '$0 stop' and start again"
    start_epmd
    for n in "${NODES[@]}"; do
      if [ -z "$(node_pid "$n")" ]; then launch "$n"; log "node $n: starting"; else log "node $n already running"; fi
    done
  fi
  wait_cluster
  log "cluster of ${#NODES[@]} up in $((SECONDS - t0))s"
  echo "$ENV_FILE"
}

write_env_file() {
  local password=$1 amqp=() mgmt=() i
  for i in "${NODES[@]}"; do amqp+=("127.0.0.1:$(amqp_port "$i")"); mgmt+=("$(mgmt_url "$i")"); done
  umask 077
  {
    echo "RABBITMQ_CLUSTER_NODE_COUNT=${#NODES[@]}"
    echo "RABBITMQ_CLUSTER_AMQP_ADDRESSES=$(IFS=,; echo "${amqp[*]}")"
    echo "RABBITMQ_CLUSTER_MANAGEMENT_URLS=$(IFS=,; echo "${mgmt[*]}")"
    for i in "${NODES[@]}"; do
      echo "RABBITMQ_CLUSTER_NODE${i}_NAME=$(node_name "$i")"
      echo "RABBITMQ_CLUSTER_NODE${i}_HOST=127.0.0.1"
      echo "RABBITMQ_CLUSTER_NODE${i}_AMQP_PORT=$(amqp_port "$i")"
      echo "RABBITMQ_CLUSTER_NODE${i}_MANAGEMENT_URL=$(mgmt_url "$i")"
    done
    echo "RABBITMQ_CLUSTER_ADMIN_USERNAME=$ADMIN_USER"
    echo "RABBITMQ_CLUSTER_ADMIN_PASSWORD=$password"
    echo "RABBITMQ_CLUSTER_DIR=$DIR"
  } > "$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

stop_pids() { # stop_pids <what> pid... : TERM, bounded wait, then KILL
  local what=$1 deadline p alive; shift
  [ $# -eq 0 ] && return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    alive=""
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && return 0
    sleep 0.2
  done
  log "$what did not stop within ${TIMEOUT}s, killing$alive"
  # shellcheck disable=SC2086
  kill -KILL $alive 2>/dev/null || true
  sleep 0.5
}

# SIGTERM is a graceful shutdown for a RabbitMQ node (the VM runs init:stop), and needs no CLI VM.
cmd_stop_quietly() {
  local n p pids=() left
  for n in "${NODES[@]}"; do p=$(node_pid "$n"); [ -n "$p" ] && pids+=("$p"); done
  stop_pids "RabbitMQ nodes" "${pids[@]}"
  mapfile -t left < <(our_leftovers)
  stop_pids "leftover Erlang processes" "${left[@]}"
  p=$(epmd_pid); [ -n "$p" ] && stop_pids "epmd" "$p"
  mapfile -t left < <(our_leftovers)
  [ ${#left[@]} -eq 0 ] || die "processes still running for $DIR: ${left[*]}"
  rm -rf "$DIR"
}

cmd_stop() {
  local t0=$SECONDS
  cmd_stop_quietly
  log "stopped, $DIR removed, in $((SECONDS - t0))s"
}

cmd_status() {
  local n p ok=0 names
  for n in "${NODES[@]}"; do
    p=$(node_pid "$n")
    if [ -z "$p" ]; then
      echo "$(node_name "$n") amqp=127.0.0.1:$(amqp_port "$n") not running"; ok=1; continue
    fi
    names=$(running_nodes_seen_by "$n")
    echo "$(node_name "$n") amqp=127.0.0.1:$(amqp_port "$n") management=$(mgmt_url "$n") pid=$p running_nodes_seen=${names:-none}"
    [ "$(echo "$names" | tr ',' '\n' | grep -c .)" = "${#NODES[@]}" ] || ok=1
  done
  return $ok
}

cmd_stop_node() {
  local n=$1 p
  p=$(node_pid "$n")
  [ -n "$p" ] || die "node $n is not running"
  stop_pids "node $n" "$p"
  log "node $n stopped"
}

cmd_start_node() {
  local t0=$SECONDS n=$1
  [ -f "$(node_dir "$n")/rabbitmq.conf" ] || die "node $n has no configuration under $DIR; run '$0 start' first"
  if [ -n "$(node_pid "$n")" ]; then log "node $n already running"; else start_epmd; launch "$n"; fi
  wait_cluster
  log "node $n up in $((SECONDS - t0))s"
}

case "${1:-}" in stop-node|start-node)
  case "${2:-}" in 1|2|3) ;; *) die "$1 needs a node number: 1, 2 or 3" ;; esac ;;
esac

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  stop-node) cmd_stop_node "$2" ;;
  start-node) cmd_start_node "$2" ;;
  env-file) echo "$ENV_FILE" ;;
  *) echo "usage: $0 {start|stop|status|stop-node N|start-node N|env-file}" >&2; exit 2 ;;
esac
