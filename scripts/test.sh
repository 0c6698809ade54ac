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
# Most integration tests wait on etcd, servers and child processes rather than compute (at 3 ×
# nproc on 2 cores they keep the CPU about 80 % busy), so they run more at a time than there are
# cores; classes that measure time still run alone (ctest_run_serial, integration/list_tests.py).
integration_jobs="${BP_INTEGRATION_JOBS:-$((3 * jobs))}"
sanitize="$root/build/sanitize"
integration_dir="$root/build/static-$(dpkg --print-architecture)"
# Go's build cache for the client matrix's Go driver, shared across clones beside the static libcurl
# (scripts/lib/static-curl.sh; BP_DEPS_CACHE= turns both off). Go keys it by content.
deps_cache="$(deps_cache_root)"
[ -z "$deps_cache" ] || export ETCDPROXY_GO_CACHE="$deps_cache/go-build"

npm_ci() {
  (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# test_tools ETCD35_FILE: what the integration tests run besides the buildpack: the SBOM schema
# validator (ajv) and the client matrix's Node etcd3 client (versions pinned by their
# package-lock.json), Debian's etcd 3.5 (scripts/lib/fetch-etcd35.sh, its bin directory written to
# ETCD35_FILE; reused from build/etcd-3.5 when present), and the client matrix's Go driver, built
# into the integration tests' cache here rather than by the first test that needs it while the
# others wait. The Go build runs while the downloads wait on the network.
test_tools() {
  local go_driver status=0
  log "building the client matrix's Go driver (Debian's Go and clientv3 sources)"
  (cd "$root/integration" && ETCDPROXY_TEST_CACHE="$integration_dir/test-cache" /usr/bin/python3 -c \
    'from harness import client_drivers; client_drivers.go_client()') &
  go_driver=$!
  log "installing the SBOM schema validator and the Node etcd3 client (npm ci)"
  npm_ci "$root/integration/sbom-validator"
  npm_ci "$root/integration/clients/node"
  log "fetching Debian's etcd 3.5 for the etcd 3.5 integration suites"
  "$root/scripts/lib/fetch-etcd35.sh" > "$1" || true  # said after the builds
  wait "$go_driver" || status=$?
  return "$status"
}

build_cross() {
  local arch
  for arch in $(platform_arches); do
    [ "$arch" = "$(dpkg --print-architecture)" ] && continue
    log "building the $arch executables (cross-compiled; run under qemu by the release tests)"
    "$root/scripts/lib/build-static.sh" "$arch" "$root/build/static-$arch" -DBP_WERROR=ON
  done
}

build_sanitize() {
  log "building the unit tests and fuzz targets with clang, ASan and UBSan (build/sanitize)"
  CC=clang CXX=clang++ cmake -S "$root" -B "$sanitize" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DBP_SANITIZE=ON -DBP_FUZZ=ON -DBP_FUZZ_SECONDS="${BP_FUZZ_SECONDS:-10}" -DBP_WERROR=ON >/dev/null
  cmake --build "$sanitize"
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

# What the integration tests need (the static amd64 build, the cross-compiled architectures, the
# test tools) is built at once, each build with nproc compilers (not ninja's nproc + 2) so they stay
# within the memory of a small machine; each has stretches one core or the network sets the pace of
# (curl's configure, cmake, the links), which the others fill. The sanitizer build and then fuzzing
# run beside them and beside the integration tests at the lowest CPU priority: most integration
# tests wait on etcd, servers and child processes, and the sanitizer side takes the time they leave
# idle without slowing the tests that measure time. The unit tests, some of which bound how long a
# child process takes, run at normal priority after the integration tests. Background output is
# in build/logs/; fuzzing's is shown when it ends, a failed phase's always.
etcd35_file="$root/build/logs/etcd-3.5-bin-dir"
rm -f "$etcd35_file"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export CMAKE_BUILD_PARALLEL_LEVEL="$jobs"
phase_bg test-tools test_tools "$etcd35_file"
# Warnings in our code are errors here (BP_WERROR), so CI never ships a new one.
phase_bg build-amd64 env BP_CMAKE_ARGS="-DBP_INTEGRATION_TESTS=ON -DBP_WERROR=ON" "$root/scripts/build.sh"
phase_bg build-cross build_cross
phase_bg build-sanitize low_priority build_sanitize
phase_bg fuzz --after build-sanitize \
  low_priority ctest --test-dir "$sanitize" -L fuzz -j "$jobs" --output-on-failure
phase_bg format check_format
log "waiting for the builds the integration tests need (output in build/logs/)"
phase_wait build-amd64 build-cross test-tools
phase_ok build-amd64 build-cross test-tools || { phase_wait format build-sanitize fuzz; exit 1; }
unset CMAKE_BUILD_PARALLEL_LEVEL

if [ -s "$etcd35_file" ]; then
  ETCDPROXY_ETCD35_DIR="$(cat "$etcd35_file")"
  export ETCDPROXY_ETCD35_DIR
else
  log "WARNING: Debian's etcd 3.5 could not be fetched (build/logs/test-tools.log): the etcd 3.5 tests" \
    "fail under CI=true, else skip"
fi
log "integration tests ($integration_jobs at a time; the sanitizer build and fuzzing run beside them)"
rm -f "$integration_dir/launch-record.txt"
phase integration ctest --test-dir "$integration_dir" -L integration -j "$integration_jobs" --output-on-failure
log "integration tests by the platform code they ran through: $(/usr/bin/python3 "$root/integration/harness/launch_record.py" \
  "$integration_dir/launch-record.txt")"
# The Cloud Foundry suites staged by the real builder and launched by the real launcher
# (../shared/tools/cf-lifecycle-real): under CI=true a missing tool fails them instead of skipping.
cf_real="$(ctest --test-dir "$integration_dir" -N -L cf-real-lifecycle | sed -n 's/^Total Tests: //p')"
log "Cloud Foundry through the real builder and launcher: ${cf_real:-0} tests (ctest label cf-real-lifecycle)"
log "waiting for the formatting check and the sanitizer build"
phase_wait format build-sanitize
if phase_ok build-sanitize; then
  log "unit tests (ASan + UBSan)"
  phase unit-tests ctest --test-dir "$sanitize" -L unit -j "$jobs" --output-on-failure
fi
log "waiting for fuzzing (${BP_FUZZ_SECONDS:-10} s a target)"
phase_wait --show fuzz

if phase_ok format unit-tests integration fuzz; then
  log "all tests passed"
  exit 0
fi
log "FAILED (see above)"
exit 1
