// The embedded mode's supervisor: runs grpc-proxy as its child, restarts it with
// RestartBackoff when it exits (one log line per restart), reaps it, and stops it and returns
// when the app's process ends or the supervisor is told to stop (SIGTERM, SIGINT, SIGQUIT).
//
// It outlives what usually kills a background process: SIGPIPE (whoever read its log went
// away: the write fails, the supervisor goes on), SIGHUP, SIGUSR1 and SIGUSR2 are ignored.
// Told to stop while the app runs as its reaper (the app is PID 1 of the container, and reaps
// no children it did not start), it stops the proxy but waits for the app to end before
// exiting, so it never lingers as a zombie.
//
// Its record (supervisor_files.h) names it and its running proxy, updated at every start and
// exit of the proxy; it is removed and the lock released when the supervisor stops.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/env.h"
#include "launch/app_watch.h"

namespace bp {

struct SupervisorFiles {
  int lock_fd = -1;              // the held supervisor lock (closed when the supervisor stops)
  std::filesystem::path record;  // empty: no record
};

// Returns the supervisor's exit code (0 after an orderly stop). Log lines go to stderr.
int RunSupervisor(const std::vector<std::string>& proxy_argv, const Env& env, const AppWatch& app,
                  const SupervisorFiles& files = {});

}  // namespace bp
