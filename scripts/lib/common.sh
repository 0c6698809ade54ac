# Shared by the scripts in scripts/: locating the repository, the one log function, installing
# Debian packages only when they are missing (apt-get update at most once per run), and the
# platform matrix (platforms.sh). Source it, don't run it.
source "$(dirname "${BASH_SOURCE[0]}")/platforms.sh"

repo_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

log() {
  printf '==> %s\n' "$*" >&2
}

# deps_cache_root: where built dependencies are kept for the next clone on this machine (the static
# libcurl, Go's build cache for the tests): BP_DEPS_CACHE, default ~/.cache/etcdproxy-buildpack;
# empty when BP_DEPS_CACHE is set empty, which turns the cache off.
deps_cache_root() {
  echo "${BP_DEPS_CACHE-${HOME:-/root}/.cache/etcdproxy-buildpack}"
}

# die MESSAGE: logs "error: MESSAGE" and exits 1.
die() {
  log "error: $*"
  exit 1
}

# apt_update_once: apt-get update, at most once per run (the flag is exported to child scripts).
apt_update_once() {
  [ -n "${BP_APT_UPDATED:-}" ] && return 0
  log "apt-get update"
  $(apt_sudo) apt-get update -qq
  export BP_APT_UPDATED=1
}

apt_sudo() { [ "$(id -u)" -eq 0 ] || echo sudo; }

# ensure_packages PKG...: installs the packages dpkg does not report as installed. PKG may be
# arch-qualified (libssl-dev:arm64); a foreign architecture is added to dpkg first. Never removes
# a package (--no-remove): a conflict fails instead.
ensure_packages() {
  local missing=() pkg arch
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  for pkg in "${missing[@]}"; do
    arch="${pkg##*:}"
    [ "$arch" = "$pkg" ] || [ "$arch" = "$(dpkg --print-architecture)" ] && continue
    if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
      log "dpkg --add-architecture $arch"
      $(apt_sudo) dpkg --add-architecture "$arch"
      unset BP_APT_UPDATED  # the new architecture's package lists are needed
    fi
  done
  apt_update_once
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $(apt_sudo) apt-get install -y -qq --no-remove --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# ensure_node: node and npm for the SBOM schema validator (integration/sbom-validator): Debian's
# nodejs and npm, unless both are already there (NodeSource's nodejs ships npm and conflicts with
# Debian's npm package).
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}

# What compiling the buildpack needs.
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config ca-certificates ccache
  libcurl4-openssl-dev libarchive-dev libssl-dev libtomlplusplus-dev nlohmann-json3-dev)

# What the tests need on top: GoogleTest, real etcd, Python with an independent etcd client, and
# the client matrix's Go clientv3 (Debian's Go and etcd sources, built in GOPATH mode at test time).
TEST_PACKAGES=(libgtest-dev libgmock-dev etcd-server etcd-client openssl
  python3 python3-etcd3 python3-yaml zip unzip debootstrap time clang clang-format libclang-rt-14-dev
  debian-archive-keyring iproute2 golang-go golang-etcd-server-dev)
