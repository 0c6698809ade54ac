// The helper layer's exec.d program (<helper layer>/exec.d/etcd-proxy+app, a link to the helper),
// which the CNB launcher runs before every process of the image. Contract (buildpacks/lifecycle
// launch/exec_d.go): it gets the launch environment (env.launch/<process>/ already applied) and a
// pipe on file descriptor 3, which the launcher reads to end-of-file; it writes `NAME = "value"`
// TOML there and exits 0, or exits non-zero to stop the launch.
//
// Here it tells the app where the proxy is (ETCDCTL_ENDPOINTS, ETCD_ENDPOINTS) and, with
// BPL_ETCD_PROXY_EMBEDDED=true, starts the supervised proxy first (or reuses the one already
// running in this container) and waits until it answers healthy or the start timeout passes.
// The supervisor is detached (own session, no descriptor 3) so the launcher's read ends.
#pragma once

#include <filesystem>

#include "base/env.h"
#include "base/result.h"

namespace bp {

namespace fs = std::filesystem;

// Returns true when the helper was started as an exec.d program (argv[0] is <dir>/exec.d/<name>).
bool InvokedAsExecD(const char* argv0);

// Runs the exec.d program. A refused configuration is an error (the app must not start); an
// unhealthy proxy is only a warning. `helper_dir` is where the helper looks for etcd first.
Status RunExecD(const Env& env, const fs::path& helper_dir);

}  // namespace bp
