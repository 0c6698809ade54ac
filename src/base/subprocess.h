// Running a short-lived child process (no shell) and capturing what it prints.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"

namespace bp {

struct CommandOutput {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr interleaved, at most 64 KiB
};

// Runs argv[0] (a path) with `env`, killing it after `timeout`. Errors only when it cannot be
// started or times out; a non-zero exit is reported in CommandOutput. The output ends when the
// process exits: anything it left running in its process group (which may hold the output
// open) is killed then, not waited for.
Result<CommandOutput> RunCaptured(const std::vector<std::string>& argv, const Env& env,
                                  std::chrono::milliseconds timeout);

}  // namespace bp
