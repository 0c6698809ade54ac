#!/usr/bin/env bash
# build-static.sh ARCH BUILD_DIR [extra cmake args...]: the shipped, fully static executables
# (bp → detect/build, etcd-proxy, bptool) for linux/ARCH (an architecture of platforms.sh; any
# but the machine's own is cross-compiled with cmake/toolchain-cross.cmake), in BUILD_DIR. The minimal static libcurl is built once and cached under
# build/deps/ (see static-curl.sh and docs/static-build.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root="$(repo_root)"
arch="$1"
build_dir="$2"
shift 2

host_arch="$(dpkg --print-architecture)"
triplet="$(platform_triplet "$arch")"
"$root/scripts/lib/static-curl.sh" "$arch" "$root/build/deps/$arch" "$root/build/deps/work"
toolchain=()
if [ "$arch" != "$host_arch" ]; then
  toolchain=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-cross.cmake" -DBP_CROSS_TRIPLET="$triplet"
             -DBP_CROSS_QEMU="$(platform_qemu "$arch")")
fi
log "configuring a static $arch build in $build_dir"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBP_STATIC=ON \
  -DBP_CURL_PREFIX="$root/build/deps/$arch" -DBP_TESTS=OFF "${toolchain[@]}" "$@" >/dev/null
cmake --build "$build_dir"
