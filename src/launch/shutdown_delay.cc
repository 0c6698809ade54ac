#include "launch/shutdown_delay.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <optional>

#include "base/clock.h"
#include "launch/child_process.h"

namespace bp {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStopGrace{5000};

// Returns the child's exit code once it has ended, else nullopt.
std::optional<int> Reaped(pid_t child) {
  int status = 0;
  if (::waitpid(child, &status, WNOHANG) == child) return ExitCodeOf(status);
  return std::nullopt;
}

}  // namespace

Result<int> RunWithShutdownDelay(const std::vector<std::string>& proxy_argv, const Env& env,
                                 milliseconds delay) {
  Result<int> signal_fd =
      OpenSignalFd({SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2});
  if (!signal_fd.ok()) return signal_fd.error();
  Result<pid_t> child = StartChild(proxy_argv, env);
  if (!child.ok()) return child.error();
  std::optional<SteadyClock::time_point> stop_at;
  while (true) {
    int timeout = -1;
    if (stop_at) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(*stop_at - SteadyClock::now()).count();
      if (left <= 0) {
        std::cerr << "etcd-proxy: shutdown delay over, stopping the proxy" << std::endl;
        StopChild(child.value(), kStopGrace);
        return 0;
      }
      timeout = static_cast<int>(left);
    }
    pollfd entry{signal_fd.value(), POLLIN, 0};
    if (::poll(&entry, 1, timeout) <= 0) continue;
    for (int sig : ReadSignals(signal_fd.value())) {
      if (sig == SIGCHLD) {
        if (std::optional<int> code = Reaped(child.value())) return stop_at ? 0 : *code;
      } else if (sig == SIGTERM) {
        if (!stop_at) {
          std::cerr << "etcd-proxy: SIGTERM: the proxy keeps serving for " << FormatDuration(delay)
                    << " (BPL_ETCD_PROXY_SHUTDOWN_DELAY), then stops" << std::endl;
          stop_at = SteadyClock::now() + delay;
        }
      } else {
        ::kill(child.value(), sig);
      }
    }
  }
}

}  // namespace bp
