// Waiting on real processes in unit tests of the helpers that stay a parent (supervisor,
// shutdown delay): every wait is bounded, so a broken helper fails a test instead of hanging it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <vector>

namespace bp::testing {

// Returns the wait status of child `pid` once it exits within `limit` (reaping it), or -1.
int WaitForExit(pid_t pid, std::chrono::milliseconds limit);

// Returns the PIDs listed in `path` (one a line) once there are at least `count`, or what is there
// after `limit`.
std::vector<pid_t> WaitForPids(const std::filesystem::path& path, size_t count,
                               std::chrono::milliseconds limit);

}  // namespace bp::testing
