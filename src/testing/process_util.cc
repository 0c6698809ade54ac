#include "testing/process_util.h"

#include <sys/wait.h>

#include <sstream>
#include <thread>

#include "testing/test_util.h"

namespace bp::testing {

int WaitForExit(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

std::vector<pid_t> WaitForPids(const std::filesystem::path& path, size_t count,
                               std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::vector<pid_t> pids;
  while (true) {
    pids.clear();
    std::istringstream lines(ReadFile(path));
    for (pid_t pid; lines >> pid;) pids.push_back(pid);
    if (pids.size() >= count || std::chrono::steady_clock::now() >= deadline) return pids;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace bp::testing
