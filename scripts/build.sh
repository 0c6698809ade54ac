#!/usr/bin/env bash
# Builds the native executables and stages them into bin/, so the repository root is a working
# buildpack directory: bin/detect, bin/build (the same executable), bin/etcd-proxy (the launch
# helper) and the committed bin/supply shim.
#
#   scripts/build.sh             release build in build/release
#   BUILD_DIR=... scripts/build.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
root="$(repo_root)"
build_dir="${BUILD_DIR:-$root/build/release}"

ensure_packages "${BUILD_PACKAGES[@]}"

log "configuring $build_dir"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBP_STAGE_BIN=ON -DBP_TESTS=OFF ${BP_CMAKE_ARGS:-} >/dev/null
log "building"
cmake --build "$build_dir"
for exe in detect build etcd-proxy supply; do
  [ -x "$root/bin/$exe" ] || { echo "bin/$exe is missing after the build" >&2; exit 1; }
done
log "the buildpack is ready in $root (bin/detect, bin/build, bin/etcd-proxy, bin/supply)"
