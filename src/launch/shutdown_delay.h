// The sidecar's graceful shutdown (BPL_ETCD_PROXY_SHUTDOWN_DELAY): instead of
// becoming grpc-proxy, the helper stays its parent. SIGTERM (Kubernetes stops the app and its
// sidecar at the same moment) starts the delay, during which the proxy keeps serving the app's
// last etcd calls; then the proxy is stopped and the helper exits 0. Every other signal is
// forwarded to the proxy; if the proxy ends on its own, the helper exits as the proxy did.
// The proxy has a process group of its own (StartChild), so a SIGTERM to the helper's group
// (dumb-init's default, tini -g, kill -TERM -PGID) reaches the helper alone and the delay holds;
// Ctrl-C's SIGINT is forwarded and stops both at once.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"

namespace bp {

// Runs the proxy under the delay and returns the helper's exit code.
Result<int> RunWithShutdownDelay(const std::vector<std::string>& proxy_argv, const Env& env,
                                 std::chrono::milliseconds delay);

}  // namespace bp
