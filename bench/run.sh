#!/usr/bin/env bash
# The performance benchmark: builds the buildpack, then measures against a loopback
# mirror serving an upstream-layout etcd tarball (~14 MB, from Debian's etcd) and prints a table
# with the baseline beside each figure. Medians of several repetitions; see docs/performance.md.
#   bench/run.sh [--repeat N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
root="$(repo_root)"
ensure_packages "${BUILD_PACKAGES[@]}" etcd-server etcd-client python3 curl time
"$root/scripts/build.sh" >/dev/null
exec /usr/bin/python3 "$root/bench/bench.py" "$@"
