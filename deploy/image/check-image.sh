#!/usr/bin/env bash
# Checks an image that build-image.sh wrote, first by reading its OCI configuration (no engine
# needed), then, where podman can run containers here, by running it against the local backend:
#
#   deploy/image/check-image.sh <mysql|redis|rabbitmq|mongodb|all>
#
# Configuration: a numeric non-root user, port 8080 exposed, ENTRYPOINT java with every JVM flag of
# deploy/settings.yml and -jar of the broker's jar, no setting baked in but PORT, two layers (the
# Debian base, the jar), the jar byte for byte the one the build wrote, redis-server in the Redis
# image. Run: as that user, answering GET /actuator/health/liveness (or, while the broker has no
# actuator, GET /v2/catalog with its credentials). SKIP_RUN=1 checks the configuration only;
# CHECK_PORT=n picks the port (default: random 18600-18899); RUN_ENV="KEY=VALUE ..." adds settings.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/deploy/target/image
failures=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
brokers=()
for arg in "$@"; do
  case "$arg" in
    mysql|redis|rabbitmq|mongodb) brokers+=("$arg") ;;
    all) brokers+=(mysql redis rabbitmq mongodb) ;;
    *) usage ;;
  esac
done
[ ${#brokers[@]} -gt 0 ] || usage
command -v jq >/dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 1; }

fail() { echo "  FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "  ok: $*" >&2; }

version=$(sed -n '/<artifactId>servicepack-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$root/pom.xml")
tag=${version,,}
# The flags of deploy/settings.yml (jvm-flags: [...], possibly over several lines).
mapfile -t jvm_flags < <(awk '/^jvm-flags:/{on=1} on{print} on&&/\]/{exit}' "$root/deploy/settings.yml" \
  | grep -oE -- '-X[A-Za-z0-9:+=_.-]+')
[ ${#jvm_flags[@]} -gt 0 ] || { echo "no jvm-flags in deploy/settings.yml" >&2; exit 1; }

blob() { echo "$1/blobs/${2%%:*}/${2#*:}"; }

check_config() {  # <broker>
  local broker=$1 name=$1-broker layout=$out/$1-broker
  [ -f "$layout/index.json" ] || { fail "$layout is not an OCI layout: run build-image.sh $broker"; return; }
  local manifest config
  manifest=$(blob "$layout" "$(jq -r --arg v "$tag" \
    '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $v) | .digest' "$layout/index.json")")
  [ -f "$manifest" ] || { fail "no manifest tagged $tag in $layout"; return; }
  config=$(blob "$layout" "$(jq -r .config.digest "$manifest")")

  local user; user=$(jq -r '.config.User // ""' "$config")
  if [[ "$user" =~ ^([0-9]+)(:[0-9]+)?$ ]] && [ "${BASH_REMATCH[1]}" != 0 ]; then ok "user $user (numeric, not root)"
  else fail "user '$user' must be a numeric uid other than 0 (runAsNonRoot cannot verify a name)"; fi

  if jq -e '.config.ExposedPorts | has("8080/tcp")' "$config" >/dev/null; then ok "exposes 8080/tcp"
  else fail "8080/tcp not exposed"; fi

  local entrypoint; entrypoint=$(jq -r '.config.Entrypoint // [] | join(" ")' "$config")
  [ "$(jq -r '.config.Entrypoint[0]' "$config")" = java ] || fail "entrypoint does not start java: $entrypoint"
  local flag missing=0
  for flag in "${jvm_flags[@]}"; do
    jq -e --arg f "$flag" '.config.Entrypoint | index($f)' "$config" >/dev/null || { fail "entrypoint lacks $flag"; missing=1; }
  done
  [ $missing = 1 ] || ok "entrypoint has the ${#jvm_flags[@]} JVM flags of deploy/settings.yml"
  if [[ "$entrypoint" == *" -jar /opt/servicepack/$name.jar" ]]; then ok "entrypoint runs /opt/servicepack/$name.jar"
  else fail "entrypoint does not end with -jar /opt/servicepack/$name.jar: $entrypoint"; fi
  if jq -e '(.config.Cmd // []) | length == 0' "$config" >/dev/null; then ok "no CMD arguments"
  else fail "CMD adds arguments: $(jq -c .config.Cmd "$config")"; fi

  local baked; baked=$(jq -r '.config.Env // [] | map(select(test("^(PORT|PATH|LANG)=") | not)) | join(" ")' "$config")
  if [ -z "$baked" ]; then ok "no setting baked in besides PORT (everything else from the environment)"
  else fail "settings baked into the image: $baked"; fi

  local layers; layers=$(jq '.layers | length' "$manifest")
  [ "$layers" = 2 ] && ok "2 layers (Debian base, jar)" || fail "$layers layers, expected 2"
  local app_layer; app_layer=$(blob "$layout" "$(jq -r '.layers[1].digest' "$manifest")")
  local image_sum build_sum
  image_sum=$(tar -xzOf "$app_layer" "opt/servicepack/$name.jar" | sha256sum | cut -d' ' -f1)
  build_sum=$(sha256sum "$root/brokers/$broker/target/$name.jar" | cut -d' ' -f1)
  [ "$image_sum" = "$build_sum" ] && ok "the jar is the one in brokers/$broker/target" \
    || fail "the image's jar differs from brokers/$broker/target/$name.jar (rebuild the image)"
  if [ "$broker" = redis ]; then
    local base_layer; base_layer=$(blob "$layout" "$(jq -r '.layers[0].digest' "$manifest")")
    # Count rather than grep -q: an early exit would fail the pipeline (pipefail) with tar's SIGPIPE.
    if [ "$(tar -tzf "$base_layer" | grep -cxE '(\./)?usr/bin/redis-server')" -ge 1 ]; then
      ok "redis-server in the base (the broker checks it at start)"
    else
      fail "no usr/bin/redis-server in the base"
    fi
  fi
  echo "  size: $(du -h "$out/$name.oci.tar" | cut -f1) (archive), $(jq '[.layers[].size] | add / 1048576 | floor' "$manifest") MiB compressed layers" >&2
}

# podman needs a runtime that can start containers here; some sandboxes refuse crun's cgroup setup
# and any RLIMIT_NPROC above the current one, so limits are pinned and runc is tried after crun.
podman_runtime=""
podman_works() {
  command -v podman >/dev/null || return 1
  local runtime
  for runtime in "" runc; do
    [ -z "$runtime" ] || command -v "$runtime" >/dev/null || continue
    if timeout 120 podman ${runtime:+--runtime $runtime} run --rm "${limits[@]}" --network host \
         --entrypoint /bin/true "$1" >/dev/null 2>"$out/podman-probe.log"; then
      podman_runtime=$runtime
      return 0
    fi
  done
  return 1
}

run_image() {  # <broker>
  local broker=$1 name=$1-broker image
  image=$(podman load -q -i "$out/$name.oci.tar" 2>/dev/null | sed -n 's/^Loaded image[^:]*: *//p' | tail -1)
  [ -n "$image" ] || { fail "podman load of $out/$name.oci.tar failed"; return; }
  limits=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)
  if ! podman_works "$image"; then
    echo "  run: skipped, podman cannot start containers here ($(tail -1 "$out/podman-probe.log"))" >&2
    podman rmi -f "$image" >/dev/null 2>&1 || true
    return
  fi
  local port user password key
  port=${CHECK_PORT:-$(( 18600 + RANDOM % 300 ))}
  user=check-$broker
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  key=$(head -c 36 /dev/urandom | base64 | tr -d '/+=')
  local env=(-e "PORT=$port" -e "SERVICEPACK_SECURITY_USERNAME=$user" -e "SERVICEPACK_SECURITY_PASSWORD=$password"
             -e "SERVICEPACK_SECRETS_KEY=$key")
  case "$broker" in
    mysql)
      local admin; admin=$(bash "$root/scripts/admin-env-file.sh")
      [ -f "$admin" ] || { echo "  run: skipped, no MariaDB admin account ($admin): run scripts/ensure-mariadb.sh" >&2; return; }
      env+=(--env-file "$admin" -e MYSQL_HOST=127.0.0.1) ;;
    rabbitmq) env+=(-e RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15672 -e RABBITMQ_ADMIN_USERNAME=guest
                    -e RABBITMQ_ADMIN_PASSWORD=guest -e RABBITMQ_HOSTNAMES=127.0.0.1) ;;
    # Nothing listens there: the broker starts all the same (MongoDB is reached per request).
    mongodb) env+=(-e MONGODB_ADMIN_URI=mongodb://127.0.0.1:27017/admin) ;;
    redis) ;;
  esac
  local pair
  for pair in ${RUN_ENV:-}; do env+=(-e "$pair"); done
  local ctr started=$SECONDS
  ctr=$(podman ${podman_runtime:+--runtime $podman_runtime} run -d "${limits[@]}" --network host "${env[@]}" "$image")
  local code="" path=/actuator/health/liveness
  while [ $((SECONDS - started)) -lt 90 ]; do
    code=$(curl -s -o "$out/$name.health" -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port$path" || true)
    [ "$code" = 200 ] || [ "$code" = 404 ] || [ "$code" = 401 ] && break
    [ "$(podman inspect -f '{{.State.Running}}' "$ctr")" = true ] || break
    sleep 1
  done
  if [ "$code" = 200 ] && grep -q '"UP"' "$out/$name.health"; then
    ok "started in $((SECONDS - started)) s (runtime ${podman_runtime:-default}); GET $path: 200 $(cat "$out/$name.health")"
  elif [ "$code" = 404 ] || [ "$code" = 401 ]; then
    # The broker has no actuator yet (issue 12): prove it serves the OSB API instead.
    path=/v2/catalog
    code=$(curl -s -o "$out/$name.catalog" -w '%{http_code}' --max-time 5 -u "$user:$password" \
      -H 'X-Broker-API-Version: 2.17' "http://127.0.0.1:$port$path" || true)
    if [ "$code" = 200 ] && jq -e '.services | length > 0' "$out/$name.catalog" >/dev/null; then
      ok "started in $((SECONDS - started)) s (runtime ${podman_runtime:-default}); no actuator yet (liveness 404/401), GET /v2/catalog with its credentials: 200, services $(jq -c '[.services[].name]' "$out/$name.catalog")"
    else
      fail "GET /v2/catalog answered $code"
    fi
  elif podman logs "$ctr" 2>&1 | grep -q "Tomcat started on port 8080 "; then
    fail "the broker ignores PORT=$port and listens on 8080 (issue 12: every broker takes its port from PORT)"
  else
    fail "no answer on :$port within 90 s (last status '$code'); log:"; podman logs --tail 30 "$ctr" >&2 || true
  fi
  local uid rss
  uid=$(podman exec "$ctr" sh -c 'id -u' 2>/dev/null || echo '?')
  [ "$uid" = 10001 ] && ok "runs as uid $uid" || fail "runs as uid $uid"
  rss=$(podman exec "$ctr" sh -c 'grep VmRSS /proc/1/status' 2>/dev/null | awk '{print $2/1024 " MB"}' || true)
  echo "  java RSS after start: ${rss:-?}" >&2
  podman rm -f -t 10 "$ctr" >/dev/null 2>&1 || true
  podman rmi -f "$image" >/dev/null 2>&1 || true
  rm -f "$out/$name.health" "$out/$name.catalog"
}

for broker in "${brokers[@]}"; do
  echo "$broker-broker:$tag" >&2
  check_config "$broker"
  if [ "${SKIP_RUN:-}" != 1 ]; then
    run_image "$broker"
  fi
done
if [ $failures -gt 0 ]; then
  echo "check-image: $failures failure(s)" >&2
  exit 1
fi
echo "check-image: ${brokers[*]}: all checks passed" >&2
