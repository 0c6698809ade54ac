#!/usr/bin/env bash
# fetch-etcd35.sh [ARCH...]: puts Debian's real etcd 3.5 binaries (etcd, etcdctl, etcdutl) into
# build/etcd-3.5/<arch>/bin for the tests, without installing anything and without touching the
# machine's apt configuration: a private source list and state directory, `apt-get download`,
# `dpkg-deb -x`. ARCH defaults to this machine's (dpkg naming).
#
# The newest 3.5.x that trixie or sid serves is taken (sid had 3.5.30, trixie 3.5.16), from the
# archive this machine's apt already uses. A cache already holding the binaries is reused with no
# network request. Prints each bin directory on stdout; exits non-zero with a one-line reason when
# the packages cannot be fetched. Concurrent callers (parallel tests) wait on a lock.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root="$(repo_root)"
cache="${BP_ETCD35_CACHE:-$root/build/etcd-3.5}"
suites=(trixie sid)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

archive_uri() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

fail() {
  die "cannot fetch Debian's etcd 3.5 packages: $*"
}

fetch_arch() {
  local arch="$1" dest="$cache/$1" apt_dir="$cache/apt-$1"
  if [ -x "$dest/bin/etcd" ] && [ -x "$dest/bin/etcdctl" ] && [ -s "$dest/VERSION" ]; then
    echo "$dest/bin"
    return 0
  fi
  [ -f "$keyring" ] || fail "$keyring is missing (package debian-archive-keyring)"
  rm -rf "$apt_dir" "$dest.partial"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs" "$dest.partial"
  local uri suite
  uri="$(archive_uri)"
  for suite in "${suites[@]}"; do
    echo "deb [arch=$arch signed-by=$keyring] $uri $suite main"
  done > "$apt_dir/sources.list"
  local opts=(-o Dir::Etc::sourcelist="$apt_dir/sources.list" -o Dir::Etc::sourceparts=-
    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" -o Dir::State::status=/dev/null
    -o APT::Architecture="$arch" -o APT::Architectures="$arch" -o APT::Sandbox::User=root -q)
  log "fetching Debian's etcd 3.5 packages ($arch) from $uri (${suites[*]})"
  apt-get "${opts[@]}" update >"$apt_dir/update.log" 2>&1 || fail "apt-get update failed ($(tail -n1 "$apt_dir/update.log"))"
  local version
  version=$(apt-cache "${opts[@]}" madison etcd-server 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' \
    | grep -E '^3\.5\.[0-9]+' | sort -V | tail -n1 || true)
  [ -n "$version" ] || fail "no etcd-server 3.5.x in ${suites[*]} at $uri"
  (cd "$apt_dir/debs" && apt-get "${opts[@]}" download "etcd-server:$arch=$version" "etcd-client:$arch=$version") \
    >"$apt_dir/download.log" 2>&1 || fail "apt-get download failed ($(tail -n1 "$apt_dir/download.log"))"
  local deb
  for deb in "$apt_dir"/debs/*.deb; do
    dpkg-deb -x "$deb" "$dest.partial/root"
  done
  mkdir -p "$dest.partial/bin"
  local exe
  for exe in etcd etcdctl etcdutl; do
    [ -x "$dest.partial/root/usr/bin/$exe" ] && mv "$dest.partial/root/usr/bin/$exe" "$dest.partial/bin/$exe"
  done
  [ -x "$dest.partial/bin/etcd" ] && [ -x "$dest.partial/bin/etcdctl" ] || fail "the packages hold no etcd/etcdctl"
  rm -rf "$dest.partial/root" "$apt_dir"
  # The upstream version (3.5.30 of Debian's 3.5.30-2), the one `etcd --version` reports.
  echo "${version%%-*}" > "$dest.partial/VERSION"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  echo "$dest/bin"
}

[ $# -gt 0 ] || set -- "$(dpkg --print-architecture)"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
for arch in "$@"; do
  platform_line "$arch" >/dev/null || exit 1  # it names the supported ones
  fetch_arch "$arch"
done
