// The embedded mode's supervisor: runs grpc-proxy as its child, restarts it with
// RestartBackoff when it exits (one log line per restart), reaps it, and stops it and returns
// when the app's process ends or the supervisor is told to stop (SIGTERM, SIGINT, SIGHUP).
#pragma once

#include <string>
#include <vector>

#include "base/env.h"
#include "proxy/app_watch.h"

namespace bp {

// Returns the supervisor's exit code (0 after an orderly stop). Log lines go to stderr.
int RunSupervisor(const std::vector<std::string>& proxy_argv, const Env& env, const AppWatch& app);

}  // namespace bp
