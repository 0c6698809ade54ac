#!/usr/bin/env bash
# Builds everything and runs every test, on a fresh Debian/Ubuntu machine or a warm checkout:
#   1. unit tests (GoogleTest) built with AddressSanitizer + UndefinedBehaviorSanitizer;
#   2. integration tests (integration/, Python unittest, one ctest test per case) against the
#      buildpack that scripts/build.sh stages in bin/, with real etcd, HTTP(S) servers and tarballs,
#      the arm64 executables under qemu, and the archives scripts/package.sh writes.
# Every count comes from ctest. Exit status is non-zero when anything fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
root="$(repo_root)"
jobs="${BP_TEST_JOBS:-$(nproc)}"

ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

BP_CMAKE_ARGS="-DBP_INTEGRATION_TESTS=ON" "$root/scripts/build.sh"
log "building the arm64 executables (cross-compiled; run under qemu by the release tests)"
"$root/scripts/lib/build-static.sh" arm64 "$root/build/static-arm64" >/dev/null

log "building the unit tests with ASan and UBSan (build/asan)"
cmake -S "$root" -B "$root/build/asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBP_SANITIZE=ON >/dev/null
cmake --build "$root/build/asan"

status=0
log "unit tests (ASan + UBSan)"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  ctest --test-dir "$root/build/asan" -j "$jobs" --output-on-failure || status=1
log "integration tests"
ctest --test-dir "$root/build/static-$(dpkg --print-architecture)" -L integration -j "$jobs" --output-on-failure || status=1

if [ "$status" -ne 0 ]; then
  log "FAILED (see above)"
else
  log "all tests passed"
fi
exit "$status"
