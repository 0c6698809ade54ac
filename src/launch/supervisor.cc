#include "launch/supervisor.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <iostream>
#include <optional>

#include "base/clock.h"
#include "launch/child_process.h"
#include "launch/restart_backoff.h"
#include "launch/supervisor_files.h"

namespace bp {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Without a pidfd the app is polled this often (its exit must end the proxy within a second).
constexpr milliseconds kPollInterval{200};
// grpc-proxy has no graceful shutdown worth waiting for: connections just close.
constexpr milliseconds kStopGrace{500};

milliseconds Until(SteadyClock::time_point when) {
  const auto left = std::chrono::duration_cast<milliseconds>(when - SteadyClock::now());
  return left.count() < 0 ? milliseconds(0) : left;
}

class Supervisor {
 public:
  Supervisor(const std::vector<std::string>& argv, const Env& env, const AppWatch& app,
             int signal_fd, const SupervisorFiles& files)
      : argv_(argv), env_(env), app_(app), signal_fd_(signal_fd), files_(files) {}

  int Run() {
    Record(0);
    restart_at_ = SteadyClock::now();
    while (!stop_) {
      if (restart_at_ && SteadyClock::now() >= *restart_at_) Start();
      if (app_.Ended()) break;
      Wait();
    }
    if (child_ > 0) StopChild(child_, kStopGrace);
    Release();
    if (!app_.Ended() && ::getppid() == app_.pid()) WaitForTheApp();
    return 0;
  }

 private:
  void Start() {
    restart_at_.reset();
    Result<pid_t> child = StartChild(argv_, env_);
    started_at_ = SteadyClock::now();
    if (child.ok()) {
      child_ = child.value();
      Record(child_);
      return;
    }
    const milliseconds delay = backoff_.NextDelay(milliseconds(0));
    std::cerr << "etcd-proxy: supervisor: " << child.error().message << "; retrying in "
              << FormatDuration(delay) << "\n";
    restart_at_ = SteadyClock::now() + delay;
  }

  void Wait() {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {app_.fd(), POLLIN, 0}};
    const nfds_t count = app_.fd() >= 0 ? 2 : 1;
    milliseconds timeout = app_.fd() >= 0 ? milliseconds(-1) : kPollInterval;
    if (restart_at_)
      timeout = timeout.count() < 0 ? Until(*restart_at_) : std::min(timeout, Until(*restart_at_));
    if (::poll(fds, count, static_cast<int>(timeout.count())) <= 0) return;
    if (count == 2 && fds[1].revents != 0) stop_ = true;
    for (int sig : ReadSignals(signal_fd_)) {
      if (sig == SIGCHLD) {
        Reap();
      } else {
        stop_ = true;
      }
    }
  }

  void Reap() {
    int status = 0;
    pid_t done;
    while ((done = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (done != child_) continue;
      child_ = -1;
      Record(0);
      const auto uptime =
          std::chrono::duration_cast<milliseconds>(SteadyClock::now() - started_at_);
      const milliseconds delay = backoff_.NextDelay(uptime);
      ++restarts_;
      std::cerr << "etcd-proxy: supervisor: grpc-proxy ended (" << DescribeWaitStatus(status)
                << ") after " << FormatDuration(uptime) << "; restart " << restarts_ << " in "
                << FormatDuration(delay) << std::endl;
      restart_at_ = SteadyClock::now() + delay;
    }
  }

  void Record(pid_t proxy) {
    if (!files_.record.empty()) (void)WriteSupervisorRecord(files_.record, proxy);
  }

  // Stopped: the next launch may start a supervisor of its own.
  void Release() {
    if (!files_.record.empty()) ::unlink(files_.record.c_str());
    if (files_.lock_fd >= 0) ::close(files_.lock_fd);
  }

  // The app reaps this process (it is PID 1 of the container): exiting now would leave a zombie
  // beside it until the container ends. Nothing runs any more; only the app's end is awaited.
  void WaitForTheApp() {
    std::cerr << "etcd-proxy: supervisor: the proxy is stopped; waiting for the app (PID "
              << app_.pid() << ") to end, as it reaps this process" << std::endl;
    while (!app_.Ended()) {
      pollfd entry{app_.fd(), POLLIN, 0};
      const int timeout = app_.fd() >= 0 ? -1 : static_cast<int>(kPollInterval.count());
      ::poll(&entry, app_.fd() >= 0 ? 1 : 0, timeout);
      ReadSignals(signal_fd_);
    }
  }

  const std::vector<std::string>& argv_;
  const Env& env_;
  const AppWatch& app_;
  const int signal_fd_;
  const SupervisorFiles& files_;
  RestartBackoff backoff_;
  pid_t child_ = -1;
  SteadyClock::time_point started_at_;
  std::optional<SteadyClock::time_point> restart_at_;
  int restarts_ = 0;
  bool stop_ = false;
};

}  // namespace

int RunSupervisor(const std::vector<std::string>& proxy_argv, const Env& env, const AppWatch& app,
                  const SupervisorFiles& files) {
  for (int sig : {SIGPIPE, SIGHUP, SIGUSR1, SIGUSR2}) ::signal(sig, SIG_IGN);  // see supervisor.h
  Result<int> signal_fd = OpenSignalFd({SIGCHLD, SIGTERM, SIGINT, SIGQUIT});
  if (!signal_fd.ok()) {
    std::cerr << "etcd-proxy: supervisor: ERROR: " << signal_fd.error().message << "\n";
    return 1;
  }
  const int code = Supervisor(proxy_argv, env, app, signal_fd.value(), files).Run();
  ::close(signal_fd.value());
  return code;
}

}  // namespace bp
