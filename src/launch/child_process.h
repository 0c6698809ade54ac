// The grpc-proxy child of a helper that stays its parent (the embedded supervisor, and the
// sidecar with a shutdown delay), and the signals such a parent waits for.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <initializer_list>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"

namespace bp {

// argv and environment as the NULL-terminated arrays execve takes, built before any fork
// (a forked child may not allocate).
class ExecVectors {
 public:
  ExecVectors(const std::vector<std::string>& argv, const Env& env);
  char* const* argv() { return argv_ptrs_.data(); }
  char* const* envp() { return env_ptrs_.data(); }

 private:
  std::vector<std::string> args_;
  std::vector<std::string> vars_;
  std::vector<char*> argv_ptrs_;
  std::vector<char*> env_ptrs_;
};

// Starts argv[0] (a path) with `env`: no shell, default signal mask and dispositions, no
// inherited descriptor beyond stdin/stdout/stderr, in a process group of its own (so a signal
// to this process's group is this process's to pass on), and killed by the kernel if this
// process dies first.
Result<pid_t> StartChild(const std::vector<std::string>& argv, const Env& env);

// Returns how a wait status reads in a log line: "exit status 1", "signal 9".
std::string DescribeWaitStatus(int status);

// Returns the exit code a parent reports for a child that ended with `status` (128+signal).
int ExitCodeOf(int status);

// Sends SIGTERM, waits up to `grace` for the child to exit, then SIGKILLs it; always reaps it.
void StopChild(pid_t pid, std::chrono::milliseconds grace);

// Blocks `signals` for this process (restoring their default disposition, so one inherited as
// ignored is still read) and returns a non-blocking, close-on-exec signalfd that reads them;
// StartChild gives children the default mask back.
Result<int> OpenSignalFd(std::initializer_list<int> signals);

// Returns the signal numbers waiting on `signal_fd` (empty when none).
std::vector<int> ReadSignals(int signal_fd);

}  // namespace bp
