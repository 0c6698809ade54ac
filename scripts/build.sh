#!/usr/bin/env bash
# Builds the native executables and stages them into bin/, so the repository root is a working
# buildpack directory: bin/detect and bin/build (one executable; argv[0] picks the phase),
# bin/etcd-proxy (the launch helper) and the committed bin/supply shim.
#
# The executables are fully static (they run on any Linux build or run image, whatever its glibc
# or libraries), built in build/static-<arch>. BP_DYNAMIC=1 makes a quicker dynamic development build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
root="$(repo_root)"
build_dir="$root/build/static-$(dpkg --print-architecture)"

ensure_packages "${BUILD_PACKAGES[@]}"
if [ "${BP_DYNAMIC:-}" = 1 ]; then
  build_dir="$root/build/dynamic"
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBP_STAGE_BIN=ON -DBP_TESTS=OFF \
    ${BP_CMAKE_ARGS:-} >/dev/null
  cmake --build "$build_dir"
else
  # shellcheck disable=SC2086
  "$root/scripts/lib/build-static.sh" "$(dpkg --print-architecture)" "$build_dir" -DBP_STAGE_BIN=ON ${BP_CMAKE_ARGS:-}
fi
for exe in detect build etcd-proxy supply; do
  [ -x "$root/bin/$exe" ] || die "bin/$exe is missing after the build"
done
log "the buildpack is ready in $root (bin/detect, bin/build, bin/etcd-proxy, bin/supply)"
