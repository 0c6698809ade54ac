#!/usr/bin/env bash
# The whole story on one machine, with nothing but Debian packages and loopback:
#   build the buildpack → detect/build a fixture app with the project's CNB lifecycle emulator
#   → start a throwaway local etcd → run the image's `etcd-proxy` process the way the CNB launcher
#   would → put/get through the proxy on 127.0.0.1:2379 with etcdctl → rebuild (cached layer reused)
#   → embedded mode: the fixture app launched as in a one-container run, reaching etcd through a
#   proxy that the helper layer's exec.d started for it and that stops when the app exits.
# Everything it starts is stopped and everything it writes is removed when it ends.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
root="$(repo_root)"
ensure_packages "${BUILD_PACKAGES[@]}" etcd-server etcd-client openssl python3 python3-etcd3
"$root/scripts/build.sh"
exec /usr/bin/python3 "$root/scripts/demo.py"
