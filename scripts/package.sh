#!/usr/bin/env bash
# Packages the buildpack into dist/. Run scripts/package.sh --help for the details.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
root="$(repo_root)"

usage() {
  cat <<'USAGE'
usage: scripts/package.sh [--buildpack-toml FILE] [--out DIR] [--online-only] [--cf-only]

Writes, for the version in buildpack.toml:
  dist/etcd-proxy-<version>-linux-<arch>.tgz          CNB buildpack (each arch of platforms.sh): pack build --buildpack <file>
  dist/etcd-proxy-<version>-linux-<arch>-offline.tgz  the same plus dependencies/<sha256>/<file> (air-gapped builds)
  dist/etcdproxy_buildpack-v<version>.zip              Cloud Foundry buildpack (downloads at staging)
  dist/etcdproxy_buildpack-cached-v<version>.zip       Cloud Foundry buildpack with the dependencies inside
and linux/<arch>/bin/ in the repository root, the layout `pack buildpack package --target` expects.
Each archive holds one architecture's executables and its buildpack.toml declares only that
[[targets]] entry; the repository root (and its linux/<arch>/bin/) keeps both targets.
Executables are fully static (arm64 is cross-compiled); archives are reproducible byte for byte
(SOURCE_DATE_EPOCH sets their timestamps, default 1980-01-01).

Offline archives need the dependencies. They are fetched with the same downloader as the build,
so the build's settings apply, e.g.:
  BP_DEPENDENCY_MIRROR=https://mirror.example.com/{originalHost} scripts/package.sh
  BP_DEPENDENCY_MIRROR=file:///srv/etcd-releases/{originalHost} scripts/package.sh   (a local folder)
  BP_DEPENDENCY_MIRROR_GITHUB_COM=... HTTPS_PROXY=... SSL_CERT_FILE=/etc/ssl/corp-ca.pem scripts/package.sh
Downloads are verified against buildpack.toml's sha256 and cached in build/package/dependencies/.

  --buildpack-toml FILE  package with this descriptor instead of ./buildpack.toml (its version and
                         dependencies are used)
  --out DIR              write the archives to DIR instead of dist/
  --online-only          skip the offline .tgz archives and the cached zip (no downloads)
  --cf-only              only the two Cloud Foundry zips (linux/amd64: no cross-compiled build,
                         no CNB archives, linux/<arch>/bin/ left as it is)
USAGE
}

descriptor="$root/buildpack.toml"
out="$root/dist"
online_only=0
cf_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --buildpack-toml) descriptor="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --out) mkdir -p "$2"; out="$(cd "$2" && pwd)"; shift 2 ;;
    --online-only) online_only=1; shift ;;
    --cf-only) cf_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

ensure_packages "${BUILD_PACKAGES[@]}" zip
host_arch="$(dpkg --print-architecture)"
work="$root/build/package"
epoch="${SOURCE_DATE_EPOCH:-315532800}"

arches="$(platform_arches)"
[ "$cf_only" = 1 ] && arches="$(printf '%s\n' amd64 "$host_arch" | sort -u)"  # CF stacks are linux/amd64; bptool runs here
for arch in $arches; do
  "$root/scripts/lib/build-static.sh" "$arch" "$root/build/static-$arch" >/dev/null
done
bptool="$root/build/static-$host_arch/bptool"

# The descriptor as a buildpack directory, which is what bptool reads.
mkdir -p "$work/source" "$out"
cp "$descriptor" "$work/source/buildpack.toml"
version="$("$bptool" version "$work/source")"

# stage DIR ARCH: the buildpack directory for ARCH (buildpack.toml and bin/) in DIR. It holds only
# ARCH's executables, so its buildpack.toml declares only the linux/ARCH target.
stage() {
  local dir="$1" arch="$2" exe="$root/build/static-$2"
  rm -rf "$dir"
  mkdir -p "$dir/bin"
  "$bptool" single-target "$work/source" "$arch" > "$dir/buildpack.toml"
  cp "$root/bin/supply" "$dir/bin/supply"
  cp "$root/bin/compile" "$dir/bin/compile"
  cp "$exe/bp" "$dir/bin/detect"
  cp "$exe/bp" "$dir/bin/build"
  cp "$exe/etcd-proxy" "$dir/bin/etcd-proxy"
}

# add_dependencies DIR ARCH: ARCH's verified dependencies under DIR/dependencies/<sha256>/<file>.
add_dependencies() {
  local dir="$1" arch="$2"
  log "fetching the $arch dependencies"
  "$bptool" fetch-dependencies "$work/source" "$arch" "$work"
  mkdir -p "$dir/dependencies"
  # Only the files this descriptor lists for ARCH: the cache may hold others.
  "$bptool" list-dependencies "$work/source" "$arch" | while read -r relative; do
    mkdir -p "$dir/$(dirname "$relative")"
    cp "$work/$relative" "$dir/$relative"
  done
}

# normalize DIR: modes that do not depend on the umask, timestamps that do not depend on the clock.
normalize() {
  chmod -R u=rwX,go=rX "$1"
  find "$1/bin" -type f -exec chmod 0755 {} +
  find "$1" -exec touch -h -d "@$epoch" {} +
}

tgz() {
  local dir="$1" file="$2"
  normalize "$dir"
  (cd "$dir" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort |
    tar --no-recursion -T - --owner=0 --group=0 --numeric-owner --format=gnu -cf -) | gzip -6n > "$file"
  log "wrote ${file#"$root"/}"
}

zipdir() {
  local dir="$1" file="$2"
  normalize "$dir"
  rm -f "$file"
  (cd "$dir" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort | TZ=UTC zip -X -D -q -@ "$file")
  log "wrote ${file#"$root"/}"
}

for arch in $(platform_arches); do
  [ "$cf_only" = 1 ] && break
  stage "$work/cnb-$arch" "$arch"
  tgz "$work/cnb-$arch" "$out/etcd-proxy-$version-linux-$arch.tgz"
  if [ "$online_only" = 0 ]; then
    stage "$work/cnb-$arch-offline" "$arch"
    add_dependencies "$work/cnb-$arch-offline" "$arch"
    tgz "$work/cnb-$arch-offline" "$out/etcd-proxy-$version-linux-$arch-offline.tgz"
  fi
  rm -rf "$root/linux/$arch"
  mkdir -p "$root/linux/$arch"
  cp -a "$work/cnb-$arch/bin" "$root/linux/$arch/bin"
done

cf_stage() {
  local dir="$1" cached="$2"
  stage "$dir" amd64  # Cloud Foundry stacks are linux/amd64
  echo "$version" > "$dir/VERSION"
  if [ "$cached" = 1 ]; then
    "$bptool" cf-manifest "$work/source" --cached > "$dir/manifest.yml"
    add_dependencies "$dir" amd64
  else
    "$bptool" cf-manifest "$work/source" > "$dir/manifest.yml"
  fi
}
cf_stage "$work/cf" 0
zipdir "$work/cf" "$out/etcdproxy_buildpack-v$version.zip"
if [ "$online_only" = 0 ]; then
  cf_stage "$work/cf-cached" 1
  zipdir "$work/cf-cached" "$out/etcdproxy_buildpack-cached-v$version.zip"
fi
(cd "$out" && sha256sum ./*"$version"* | sed 's|\./||')
