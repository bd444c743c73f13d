#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on 127.0.0.1 for the tests: three mariadbd processes from
# Debian's mariadb-server + galera-4, each with its own data directory, SQL port, Galera port,
# IST port and SST port. Node 1 bootstraps the cluster; nodes 2 and 3 join it by rsync SST.
# It shares nothing with the system MariaDB on 3306: every node reads only its own my.cnf
# (--defaults-file), so /etc/mysql/my.cnf, /run/mysqld and /var/lib/mysql are never touched.
#
#   galera.sh start          start the missing nodes (a fresh cluster if none runs); prints the env file path
#   galera.sh stop           stop every node, remove every file under GALERA_DIR
#   galera.sh status         one line per node; exit 0 only when all three are Synced in a cluster of 3
#   galera.sh kill-node N    kill -9 node N (a crash, not a shutdown)
#   galera.sh start-node N   start node N again; it rejoins (IST when the gcache still holds its gap)
#   galera.sh env-file       print the env file path
#
# The env file (KEY=VALUE, mode 600) names the nodes and an admin account: root@127.0.0.1 with a
# random password, all privileges WITH GRANT OPTION. OS root also gets in through each node's socket.
#
# Settings (env): GALERA_DIR (/tmp/servicepack-galera), GALERA_SQL_PORT_BASE (13306: node N listens on
# base+N-1), GALERA_GCOMM_PORT_BASE (14567: node N uses base+10*(N-1) for group communication, +1 for
# IST, +2 for SST), GALERA_TIMEOUT (seconds each wait may take, 120).
set -euo pipefail

DIR=${GALERA_DIR:-/tmp/servicepack-galera}
SQL_BASE=${GALERA_SQL_PORT_BASE:-13306}
GCOMM_BASE=${GALERA_GCOMM_PORT_BASE:-14567}
TIMEOUT=${GALERA_TIMEOUT:-120}
NODES=(1 2 3)
ENV_FILE=$DIR/galera.env

log() { echo "galera: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (mariadbd switches to the mysql user itself)"
case "$DIR" in /*) ;; *) die "GALERA_DIR must be an absolute path" ;; esac

sql_port() { echo $((SQL_BASE + $1 - 1)); }
gcomm_port() { echo $((GCOMM_BASE + 10 * ($1 - 1))); }
node_dir() { echo "$DIR/node$1"; }
cnf() { echo "$(node_dir "$1")/my.cnf"; }

# A process is ours when its command line names one of our files: the path is unique to this fixture,
# so this never matches the system MariaDB or another checkout's cluster. Builtins only: a fork per
# process in /proc costs seconds under some sandboxes.
cmdline_of() { # sets CMDLINE to the command line of pid $1, NULs as spaces; fails when it is gone
  local parts
  CMDLINE=""
  mapfile -d '' parts 2>/dev/null < "/proc/$1/cmdline" || return 1
  [ ${#parts[@]} -gt 0 ] || return 1
  CMDLINE="${parts[*]}"
}
pids_matching() {
  local needle=$1 p
  for p in /proc/[0-9]*; do
    cmdline_of "${p#/proc/}" || continue
    case "$CMDLINE" in *"$needle"*) echo "${p#/proc/}" ;; esac
  done
}
# The pid launch() recorded, if that process still runs with our my.cnf (a kill -9 leaves the file).
node_pid() {
  local f p
  f="$DIR/node$1/launched.pid"
  [ -f "$f" ] || return 0
  read -r p < "$f" || return 0
  cmdline_of "$p" || return 0
  case "$CMDLINE" in *"--defaults-file=$DIR/node$1/my.cnf"*) echo "$p" ;; esac
}
our_helpers() { # rsync daemons and SST scripts a node started (they outlive it when it is killed)
  local p
  for p in $(pids_matching "$DIR/"); do
    cmdline_of "$p" || continue
    case "$CMDLINE" in rsync\ *|*/rsync\ *|*wsrep_sst_*|*mariadbd\ *) echo "$p" ;; esac
  done
}

client() { # client N args... : as OS root over the node's own socket
  mariadb --defaults-file="$(cnf "$1")" -uroot --connect-timeout=5 -N -B "${@:2}"
}
wsrep_status() { # prints "<local_state_comment> <cluster_size> <ready>" or nothing
  client "$1" -e "SELECT
      MAX(IF(VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT', VARIABLE_VALUE, NULL)),
      MAX(IF(VARIABLE_NAME='WSREP_CLUSTER_SIZE', VARIABLE_VALUE, NULL)),
      MAX(IF(VARIABLE_NAME='WSREP_READY', VARIABLE_VALUE, NULL))
    FROM information_schema.GLOBAL_STATUS" 2>/dev/null || true
}

install_packages() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server)
  command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
  [ -f /usr/lib/galera/libgalera_smm.so ] || missing+=(galera-4)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  command -v ps >/dev/null 2>&1 || missing+=(procps)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

port_taken() { ss -Htln "sport = :$1" | grep -q .; }

write_cnf() {
  local n=$1 d g addresses=() i
  d=$(node_dir "$n"); g=$(gcomm_port "$n")
  for i in "${NODES[@]}"; do addresses+=("127.0.0.1:$(gcomm_port "$i")"); done
  cat > "$(cnf "$n")" <<CNF
[client]
socket = $d/mysqld.sock
port = $(sql_port "$n")

[mysqld]
user = mysql
datadir = $d/data
socket = $d/mysqld.sock
pid-file = $d/mysqld.pid
log-error = $d/error.log
port = $(sql_port "$n")
bind-address = 127.0.0.1
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
# Small, so three nodes start fast next to everything else on a CI machine.
innodb_buffer_pool_size = 64M
innodb_log_file_size = 32M
innodb_flush_log_at_trx_commit = 2
# What Galera requires.
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = servicepack-galera
wsrep_cluster_address = gcomm://$(IFS=,; echo "${addresses[*]}")
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1:$g
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));gcache.size=128M"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$((g + 2))
CNF
}

# Waits until node N is Synced; fails early, with its log, if its process dies.
wait_synced() {
  local n=$1 deadline=$((SECONDS + TIMEOUT)) st
  while [ $SECONDS -lt $deadline ]; do
    st=$(wsrep_status "$n")
    if [ "$(echo "$st" | awk '{print $1, $3}')" = "Synced ON" ]; then return 0; fi
    if [ -z "$(node_pid "$n")" ]; then
      tail -n 30 "$(node_dir "$n")/error.log" >&2 2>/dev/null || true
      die "node $n exited while starting (log above: $(node_dir "$n")/error.log)"
    fi
    sleep 0.5
  done
  tail -n 30 "$(node_dir "$n")/error.log" >&2 2>/dev/null || true
  die "node $n was not Synced within ${TIMEOUT}s (last status: '${st:-no answer}')"
}

launch() { # launch N [--wsrep-new-cluster]
  local n=$1 d p
  d=$(node_dir "$n")
  for p in "$(sql_port "$n")" "$(gcomm_port "$n")" "$(($(gcomm_port "$n") + 1))" "$(($(gcomm_port "$n") + 2))"; do
    port_taken "$p" && die "port $p (node $n) is taken by another process; set GALERA_SQL_PORT_BASE / GALERA_GCOMM_PORT_BASE"
  done
  # setsid: a node must not die with the shell that started it. It execs, so $! is mariadbd's pid.
  setsid mariadbd --defaults-file="$(cnf "$n")" "${@:2}" </dev/null >>"$d/stdout.log" 2>&1 &
  echo $! > "$d/launched.pid"
}

# Starts node N unless it runs, without waiting: it joins whoever runs, or bootstraps from its own data.
launch_node() {
  local n=$1 d others=0 i
  d=$(node_dir "$n")
  [ -f "$(cnf "$n")" ] || die "node $n has no configuration under $DIR; run '$0 start' first"
  if [ -n "$(node_pid "$n")" ]; then
    log "node $n already running"
    return 0
  fi
  for i in "${NODES[@]}"; do [ "$i" != "$n" ] && [ -n "$(node_pid "$i")" ] && others=$((others + 1)); done
  local args=() position
  position=$(recovered_position "$n")
  [ -n "$position" ] && args+=("--wsrep_start_position=$position")
  if [ $others -eq 0 ]; then
    # Nobody to join: this node restarts the cluster from its own data. After a kill -9 Galera
    # marks the data unsafe to bootstrap from; here we know it is the only copy we have.
    if [ -f "$d/data/grastate.dat" ]; then sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$d/data/grastate.dat"; fi
    log "node $n: no other node runs, bootstrapping the cluster from its data"
    launch "$n" --wsrep-new-cluster "${args[@]}"
  else
    log "node $n: joining"
    launch "$n" "${args[@]}"
  fi
}

# After a crash grastate.dat says seqno -1; the position is in InnoDB. Without it a rejoining node
# asks for a full SST; with it Galera can send the gap from a donor's gcache (IST). The package's
# systemd unit does this through galera_recovery; we start mariadbd ourselves, so we do it here.
recovered_position() {
  local n=$1 d pos
  d=$(node_dir "$n")
  [ -f "$d/data/grastate.dat" ] || return 0
  grep -q '^seqno: *-1' "$d/data/grastate.dat" || return 0
  timeout "$TIMEOUT" mariadbd --defaults-file="$(cnf "$n")" --wsrep-recover --disable-log-error \
    </dev/null >/dev/null 2>"$d/recover.log" || { log "node $n: position recovery failed, it will ask for SST"; return 0; }
  pos=$(sed -n 's/.*WSREP: Recovered position: *//p' "$d/recover.log" | tail -n1)
  echo "$pos"
}

start_node() {
  launch_node "$1"
  wait_synced "$1"
  log "node $1 Synced"
}

admin_password() { sed -n 's/^GALERA_ADMIN_PASSWORD=//p' "$ENV_FILE" 2>/dev/null; }

write_env_file() {
  local password=$1 nodes=() i
  for i in "${NODES[@]}"; do nodes+=("127.0.0.1:$(sql_port "$i")"); done
  umask 077
  {
    echo "GALERA_NODE_COUNT=${#NODES[@]}"
    echo "GALERA_NODES=$(IFS=,; echo "${nodes[*]}")"
    for i in "${NODES[@]}"; do
      echo "GALERA_NODE${i}_HOST=127.0.0.1"
      echo "GALERA_NODE${i}_PORT=$(sql_port "$i")"
      echo "GALERA_NODE${i}_URL=jdbc:mariadb://127.0.0.1:$(sql_port "$i")/"
    done
    echo "GALERA_ADMIN_URL=jdbc:mariadb:sequential://$(IFS=,; echo "${nodes[*]}")/"
    echo "GALERA_ADMIN_USERNAME=root"
    echo "GALERA_ADMIN_PASSWORD=$password"
    echo "GALERA_DIR=$DIR"
  } > "$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

cmd_start() {
  local t0=$SECONDS n running=0 password
  install_packages
  for n in "${NODES[@]}"; do [ -n "$(node_pid "$n")" ] && running=$((running + 1)); done
  if [ $running -eq 0 ]; then
    # Nothing of ours runs: whatever lies in DIR is a leftover; start from scratch.
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    for n in "${NODES[@]}"; do
      mkdir -p "$(node_dir "$n")/data"
      write_cnf "$n"
      chown -R mysql:mysql "$(node_dir "$n")"
    done
    log "initialising node 1's data directory"
    mariadb-install-db --defaults-file="$(cnf 1)" --user=mysql --skip-test-db \
      --auth-root-authentication-method=socket >"$(node_dir 1)/install-db.log" 2>&1 \
      || { tail -n 30 "$(node_dir 1)/install-db.log" >&2; die "mariadb-install-db failed"; }
    log "bootstrapping node 1"
    launch 1 --wsrep-new-cluster
    wait_synced 1
    password=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
    # An account statement runs as TOI: the joiners get it with the SST anyway, later nodes by replication.
    client 1 -e "CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '$password';
      GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
    write_env_file "$password"
  fi
  [ -f "$ENV_FILE" ] || die "nodes run but $ENV_FILE is missing; run '$0 stop' and start again"
  # Joiners start together: the donor serves one SST at a time and the other joiner retries each
  # second until it can have one, which is still faster than starting them one after the other.
  for n in "${NODES[@]}"; do launch_node "$n"; done
  for n in "${NODES[@]}"; do wait_synced "$n"; log "node $n Synced"; done
  # The account must answer over TCP on every node, the way the tests will use it.
  password=$(admin_password)
  for n in "${NODES[@]}"; do
    MYSQL_PWD=$password mariadb --no-defaults -h127.0.0.1 -P"$(sql_port "$n")" -uroot --connect-timeout=5 -N -B \
      -e 'SELECT 1' >/dev/null || die "root@127.0.0.1 cannot log in on node $n"
  done
  log "cluster of ${#NODES[@]} up in $((SECONDS - t0))s"
  echo "$ENV_FILE"
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

cmd_stop() {
  local t0=$SECONDS n pids=() left
  for n in "${NODES[@]}"; do
    p=$(node_pid "$n"); [ -n "$p" ] && pids+=("$p")
  done
  stop_pids "mariadbd" "${pids[@]}"
  # SST helpers (rsync daemons, wsrep_sst_rsync) name files under DIR on their command lines.
  mapfile -t left < <(our_helpers)
  stop_pids "SST helpers" "${left[@]}"
  mapfile -t left < <(our_helpers; for n in "${NODES[@]}"; do node_pid "$n"; done)
  [ ${#left[@]} -eq 0 ] || die "processes still running under $DIR: ${left[*]}"
  rm -rf "$DIR"
  log "stopped, $DIR removed, in $((SECONDS - t0))s"
}

cmd_status() {
  local n p st ok=0
  for n in "${NODES[@]}"; do
    p=$(node_pid "$n")
    if [ -z "$p" ]; then
      echo "node$n 127.0.0.1:$(sql_port "$n") not running"; ok=1; continue
    fi
    st=$(wsrep_status "$n")
    echo "node$n 127.0.0.1:$(sql_port "$n") pid=$p state=$(echo "$st" | awk '{print $1}') cluster_size=$(echo "$st" | awk '{print $2}')"
    [ "$(echo "$st" | awk '{print $1, $2}')" = "Synced ${#NODES[@]}" ] || ok=1
  done
  return $ok
}

cmd_kill_node() {
  local n=$1 p deadline
  p=$(node_pid "$n")
  [ -n "$p" ] || die "node $n is not running"
  kill -KILL "$p"
  deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$p" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "node $n (pid $p) still alive ${TIMEOUT}s after kill -9"
    sleep 0.1
  done
  log "node $n (pid $p) killed"
}

case "${1:-}" in kill-node|start-node)
  case "${2:-}" in 1|2|3) ;; *) die "$1 needs a node number: 1, 2 or 3" ;; esac ;;
esac

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kill-node) cmd_kill_node "$2" ;;
  start-node) t0=$SECONDS; start_node "$2"; log "node $2 up in $((SECONDS - t0))s" ;;
  env-file) echo "$ENV_FILE" ;;
  *) echo "usage: $0 {start|stop|status|kill-node N|start-node N|env-file}" >&2; exit 2 ;;
esac
