#!/usr/bin/env bash
# Builds the OCI image of a broker without a container engine or registry: the base is a Debian 12
# root file system made from Debian's packages by mmdebstrap (openjdk-17-jre-headless; redis-server
# too for the Redis broker), the image is assembled by umoci, and the result is written as an OCI
# image layout and an OCI archive:
#
#   deploy/image/build-image.sh <mysql|redis|rabbitmq|mongodb|all> [--rebuild-base]
#
#   deploy/target/image/<name>-broker/          OCI layout, tagged with the version in lower case, e.g.
#                                               skopeo copy oci:deploy/target/image/mysql-broker:0.1.0 docker://registry.example/...
#   deploy/target/image/<name>-broker.oci.tar   the same image as one archive, named servicepack/<name>-broker:<tag>
#                                               (podman load -i ...; skopeo copy oci-archive:...)
#
# The broker jars must be built first (mvn -B -DskipTests package). The base root file systems are
# cached in deploy/target/image/base-*.tar and reused until --rebuild-base (do that for Debian's
# security updates). A base takes minutes (mmdebstrap downloads and installs ~60 packages), so this
# is a release step, not part of the per-commit tests; deploy/image/check-image.sh checks the result.
#
# The image: user 10001:10001 (numeric, so Kubernetes can verify runAsNonRoot), working directory
# /var/lib/servicepack (the default H2 state file goes to ./data there: mount a volume on it, or set
# SERVICEPACK_STORE_URL), port 8080 exposed (PORT), ENTRYPOINT java with the JVM flags of
# deploy/settings.yml, every setting from the environment; JAVA_TOOL_OPTIONS adds JVM options.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/deploy/target/image
uid=10001
jvm_flags=(-XX:+UseSerialGC -Xss512k -Xms24m -Xmx160m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m
           -XX:CICompilerCount=2 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

rebuild_base=0
brokers=()
for arg in "$@"; do
  case "$arg" in
    mysql|redis|rabbitmq|mongodb) brokers+=("$arg") ;;
    all) brokers+=(mysql redis rabbitmq mongodb) ;;
    --rebuild-base) rebuild_base=1 ;;
    *) usage ;;
  esac
done
[ ${#brokers[@]} -gt 0 ] || usage

need_tools() {
  local missing=()
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v umoci >/dev/null || missing+=(umoci)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]} from Debian's packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  else
    echo "needs ${missing[*]}: apt-get install ${missing[*]}" >&2
    exit 1
  fi
}

version=$(sed -n '/<artifactId>servicepack-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$root/pom.xml")
[ -n "$version" ] || { echo "cannot read the version from $root/pom.xml" >&2; exit 1; }
tag=${version,,}  # image references are lower case: 0.1.0-SNAPSHOT becomes 0.1.0-snapshot
# Reproducible timestamps: the last commit's time (mmdebstrap clamps file times to it, tar uses it).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}

# A Debian root file system with the JRE, and nothing of apt's caches or documentation.
build_base() {  # <variant: jre|jre-redis> <tar>
  local variant=$1 tar=$2 packages=openjdk-17-jre-headless,ca-certificates,tzdata
  [ "$variant" = jre-redis ] && packages+=,redis-server
  echo "base $variant: mmdebstrap bookworm ($packages)" >&2
  local started=$SECONDS
  mmdebstrap --variant=essential --format=tar --include="$packages" --skip=output/dev \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook="echo 'servicepack:x:$uid:$uid:service broker:/var/lib/servicepack:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
    --customize-hook="echo 'servicepack:x:$uid:' >> \"\$1/etc/group\"" \
    --customize-hook="echo 'servicepack:!:19000::::::' >> \"\$1/etc/shadow\"" \
    --customize-hook="install -d -m 0750 -o $uid -g $uid \"\$1/var/lib/servicepack\"" \
    --customize-hook="install -d -m 0750 -o $uid -g $uid \"\$1/var/lib/servicepack-redis\"" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log' \
    bookworm "$tar.partial" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security_mirror bookworm-security main" \
    >"$tar.log" 2>&1 || { tail -20 "$tar.log" >&2; echo "mmdebstrap failed; full log: $tar.log" >&2; exit 1; }
  mv "$tar.partial" "$tar"
  echo "base $variant: $(du -h "$tar" | cut -f1) in $((SECONDS - started)) s" >&2
}

build_image() {  # <broker>
  local broker=$1 name=$1-broker variant=jre
  [ "$broker" = redis ] && variant=jre-redis
  local jar=$root/brokers/$broker/target/$name.jar base=$out/base-$variant.tar
  [ -f "$jar" ] || { echo "$jar is missing: build it first (mvn -B -DskipTests package)" >&2; exit 1; }
  if [ ! -f "$base" ] || [ "$rebuild_base" = 1 ]; then
    build_base "$variant" "$base"
  fi
  local started=$SECONDS layout=$out/$name work
  work=$(mktemp -d "$out/.work-$name.XXXXXX")
  trap 'rm -rf "$work"' RETURN

  # The application layer: the jar alone, owned by root and read-only to the broker's user.
  mkdir -p "$work/app/opt/servicepack"
  install -m 0644 "$jar" "$work/app/opt/servicepack/$name.jar"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C "$work/app" -cf "$work/app.tar" opt

  rm -rf "$layout"
  umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  umoci raw add-layer --image "$layout:$tag" --history.created_by="mmdebstrap bookworm ($variant)" "$base"
  umoci raw add-layer --image "$layout:$tag" --history.created_by="$name.jar" "$work/app.tar"
  local config=(--config.user="$uid:$uid" --config.workingdir=/var/lib/servicepack --config.exposedports=8080/tcp
                --config.env=PORT=8080 --config.env=LANG=C.UTF-8
                --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                --config.entrypoint=java)
  local flag
  for flag in "${jvm_flags[@]}" -jar "/opt/servicepack/$name.jar"; do
    config+=(--config.entrypoint="$flag")
  done
  umoci config --image "$layout:$tag" "${config[@]}" \
    --config.label=org.opencontainers.image.title="$name" \
    --config.label=org.opencontainers.image.version="$version" \
    --config.label=org.opencontainers.image.description="PaaS-TA service pack: the $broker service broker" \
    --history.created_by="umoci config (user $uid, port 8080, java entrypoint)"
  umoci gc --layout "$layout"
  # The archive carries a full name: podman load takes the reference as the image's name.
  cp -r "$layout" "$work/archive"
  umoci tag --image "$work/archive:$tag" "servicepack/$name:$tag"
  umoci rm --image "$work/archive:$tag"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C "$work/archive" -cf "$out/$name.oci.tar" .
  echo "$name:$tag -> $layout and $out/$name.oci.tar ($(du -h "$out/$name.oci.tar" | cut -f1)) in $((SECONDS - started)) s" >&2
}

need_tools
mkdir -p "$out"
total=$SECONDS
for broker in "${brokers[@]}"; do
  build_image "$broker"
done
echo "built ${brokers[*]} in $((SECONDS - total)) s" >&2
