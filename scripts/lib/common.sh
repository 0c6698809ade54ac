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

# ensure_packages PKG...: installs the packages dpkg does not report as installed.
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -z "${BP_APT_UPDATED:-}" ]; then
    log "apt-get update"
    $sudo apt-get update -qq
    export BP_APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_node: node and npm for the SBOM schema validator (integration/sbom-validator): Debian's
# nodejs and npm, unless both are already there (NodeSource's nodejs ships npm and conflicts with
# Debian's npm package).
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}

# What compiling the buildpack needs.
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config ca-certificates
  libcurl4-openssl-dev libarchive-dev libssl-dev libtomlplusplus-dev nlohmann-json3-dev)

# What the tests need on top: GoogleTest, real etcd, Python with an independent etcd client.
TEST_PACKAGES=(libgtest-dev libgmock-dev etcd-server etcd-client openssl
  python3 python3-etcd3 python3-yaml zip unzip debootstrap time clang libclang-rt-14-dev
  debian-archive-keyring iproute2)
