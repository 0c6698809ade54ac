#!/usr/bin/env bash
# Builds everything and runs every test, on a fresh Debian/Ubuntu machine or a warm checkout:
#   1. unit tests (GoogleTest), built with clang, AddressSanitizer and UndefinedBehaviorSanitizer;
#   2. integration tests (integration/, Python unittest, one ctest test per case) against the
#      buildpack that scripts/build.sh stages in bin/, with real etcd, HTTP(S) servers and tarballs,
#      the other architectures' executables (platforms.sh) under qemu, the archives scripts/package.sh writes, and every SBOM
#      the build writes validated against the official CycloneDX 1.4 and SPDX 2.3 JSON schemas;
#   3. every libFuzzer target (fuzz/) for BP_FUZZ_SECONDS (default 10 here) under ASan and UBSan,
#      plus each committed regression input.
# Every count comes from ctest. Exit status is non-zero when anything fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/phases.sh"
root="$(repo_root)"
trap phase_summary EXIT
jobs="${BP_TEST_JOBS:-$(nproc)}"
sanitize="$root/build/sanitize"

npm_ci() {
  (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

build_cross() {
  local arch
  for arch in $(platform_arches); do
    [ "$arch" = "$(dpkg --print-architecture)" ] && continue
    log "building the $arch executables (cross-compiled; run under qemu by the release tests)"
    "$root/scripts/lib/build-static.sh" "$arch" "$root/build/static-$arch" -DBP_WERROR=ON >/dev/null
  done
}

build_sanitize() {
  log "building the unit tests and fuzz targets with clang, ASan and UBSan (build/sanitize)"
  CC=clang CXX=clang++ cmake -S "$root" -B "$sanitize" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DBP_SANITIZE=ON -DBP_FUZZ=ON -DBP_FUZZ_SECONDS="${BP_FUZZ_SECONDS:-10}" -DBP_WERROR=ON >/dev/null
  cmake --build "$sanitize"
}

# fetch_etcd35 FILE: scripts/lib/fetch-etcd35.sh, its bin directory written to FILE.
fetch_etcd35() {
  "$root/scripts/lib/fetch-etcd35.sh" > "$1"
}

check_format() {
  local unformatted
  log "formatting (.clang-format, Debian's clang-format)"
  if ! unformatted="$("$root/scripts/lib/check-format.sh")"; then
    log "FAILED: these files differ from clang-format's output (run scripts/lib/check-format.sh --fix):"
    printf '%s\n' "$unformatted" >&2
    return 1
  fi
}

phase packages ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
phase node ensure_node
phase_ok packages node || exit 1
log "installing the SBOM schema validator (ajv, versions pinned by its package-lock.json)"
phase npm-sbom-validator npm_ci "$root/integration/sbom-validator"
log "installing the Node etcd3 client of the client matrix (version pinned by its package-lock.json)"
phase npm-node-client npm_ci "$root/integration/clients/node"
phase_ok npm-sbom-validator npm-node-client || exit 1

# Warnings in our code are errors here (BP_WERROR), so CI never ships a new one.
phase build-amd64 env BP_CMAKE_ARGS="-DBP_INTEGRATION_TESTS=ON -DBP_WERROR=ON" "$root/scripts/build.sh"
phase_ok build-amd64 || exit 1
phase build-cross build_cross
phase_ok build-cross || exit 1
phase build-sanitize build_sanitize
phase_ok build-sanitize || exit 1

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
phase format check_format
log "unit tests (ASan + UBSan)"
phase unit-tests ctest --test-dir "$sanitize" -L unit -j "$jobs" --output-on-failure
log "fetching Debian's etcd 3.5 for the etcd 3.5 integration suites (reused from build/etcd-3.5 when present)"
etcd35_file="$root/build/etcd-3.5.bin-dir"
phase etcd-3.5 fetch_etcd35 "$etcd35_file"
if phase_ok etcd-3.5; then
  ETCDPROXY_ETCD35_DIR="$(cat "$etcd35_file")"
  export ETCDPROXY_ETCD35_DIR
else
  log "WARNING: Debian's etcd 3.5 could not be fetched: the etcd 3.5 tests fail under CI=true, else skip"
fi
log "integration tests"
integration_dir="$root/build/static-$(dpkg --print-architecture)"
rm -f "$integration_dir/launch-record.txt"
phase integration ctest --test-dir "$integration_dir" -L integration -j "$jobs" --output-on-failure
log "integration tests by the platform code they ran through: $(/usr/bin/python3 "$root/integration/harness/launch_record.py" \
  "$integration_dir/launch-record.txt")"
# The Cloud Foundry suites staged by the real builder and launched by the real launcher
# (../shared/tools/cf-lifecycle-real): under CI=true a missing tool fails them instead of skipping.
cf_real="$(ctest --test-dir "$integration_dir" -N -L cf-real-lifecycle | sed -n 's/^Total Tests: //p')"
log "Cloud Foundry through the real builder and launcher: ${cf_real:-0} tests (ctest label cf-real-lifecycle)"
log "fuzzing (${BP_FUZZ_SECONDS:-10} s a target)"
phase fuzz ctest --test-dir "$sanitize" -L fuzz -j "$jobs" --output-on-failure

if phase_ok format unit-tests integration fuzz; then
  log "all tests passed"
  exit 0
fi
log "FAILED (see above)"
exit 1
