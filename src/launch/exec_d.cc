#include "launch/exec_d.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <thread>

#include "base/clock.h"
#include "base/etcd_program.h"
#include "base/strings.h"
#include "base/target.h"
#include "launch/app_watch.h"
#include "launch/embedded.h"
#include "launch/health.h"
#include "launch/helper.h"
#include "launch/supervisor.h"
#include "launch/supervisor_files.h"
#include "proxy_config/pem_files.h"

namespace bp {

namespace {

using std::chrono::milliseconds;

constexpr int kExecDOutputFd = 3;

// Writes `text` to the launcher's pipe. Run by hand, descriptor 3 is closed or something else:
// then the variables are only shown on stdout.
void WriteExecDOutput(const std::string& text) {
  struct stat info {};
  if (::fstat(kExecDOutputFd, &info) != 0 || !S_ISFIFO(info.st_mode)) {
    std::cout << text;
    return;
  }
  ::signal(SIGPIPE, SIG_IGN);  // a launcher that stopped reading: a write error, not a death
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(kExecDOutputFd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    written += static_cast<size_t>(n);
  }
}

// Forks the supervisor. The child leaves the launcher's session and descriptor 3 behind and
// keeps the lock (flock locks belong to the open file, which the child shares); it writes its
// record itself.
Result<pid_t> StartSupervisor(const std::vector<std::string>& proxy_argv, const Env& env,
                              const SupervisorFiles& files) {
  AppWatch app = AppWatch::Open(::getppid());
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0)
    return MakeError(ErrorKind::kIo,
                     std::string("cannot start the supervisor: fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setsid();
    ::close(kExecDOutputFd);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::_exit(RunSupervisor(proxy_argv, env, app, files));
  }
  return pid;
}

// Starts the supervisor while this process holds the lock, and says so.
Status Supervise(const ProxyCommand& command, const Env& env, const SupervisorFiles& files) {
  for (const std::string& warning : command.warnings)
    std::cerr << "etcd-proxy: WARNING: " << warning << "\n";
  Result<pid_t> supervisor =
      StartSupervisor(command.argv, EtcdEnvironment(env, HostTarget().arch), files);
  if (!supervisor.ok()) return supervisor.error();
  std::cerr << "etcd-proxy: embedded: " << command.summary << " (supervisor PID "
            << supervisor.value() << ")\n";
  return Ok();
}

// Run by hand with descriptor 3 closed: park /dev/null there, so no file this program opens (the
// supervisor lock) lands on 3 and is mistaken for the launcher's pipe.
void ReserveOutputFd() {
  if (::fcntl(kExecDOutputFd, F_GETFD) >= 0) return;
  const int null_fd = ::open("/dev/null", O_WRONLY);
  if (null_fd >= 0 && null_fd != kExecDOutputFd) {
    ::dup2(null_fd, kExecDOutputFd);
    ::close(null_fd);
  }
}

// How long a held lock may show no running supervisor before a launch stops waiting for one: a
// supervisor writes its record a moment after its launch took the lock.
constexpr milliseconds kRecordSettle{2000};

milliseconds Until(std::chrono::steady_clock::time_point when) {
  const auto left =
      std::chrono::duration_cast<milliseconds>(when - std::chrono::steady_clock::now());
  return std::max(left, milliseconds(0));
}

// Starting (or finding) the supervised proxy and waiting for it, until healthy or the start
// timeout. Until this launch supervises, the lock is tried again in every pause between probes,
// so a launch that found a supervisor on its way out (its app just ended) takes over instead of
// waiting for nothing. Only a proxy this launch can vouch for counts (supervisor_files.h): its
// own supervisor's, started on a port that was free, or the running supervisor's of this user
// (or root) that holds the address; never whatever else answers there.
class EmbeddedStart {
 public:
  EmbeddedStart(const ProxyCommand& command, const Env& env, const LaunchSettings& settings,
                const HealthTarget& target, const CanonicalListen& listen)
      : command_(command),
        env_(env),
        settings_(settings),
        started_(std::chrono::steady_clock::now()),
        shown_(command.listener.listen_addr),
        target_(target),
        listen_(listen),
        tmp_(TempDir(env)) {}

  Status Run() {
    Status ensured = EnsureSupervisor();
    if (!ensured.ok()) return ensured;
    const auto deadline = started_ + settings_.start_timeout;
    const auto pause = [this](milliseconds duration) {
      std::this_thread::sleep_for(duration);
      return supervised_ ? Ok() : EnsureSupervisor();
    };
    Result<std::string> healthy = WaitUntilHealthy(target_, settings_.start_timeout, pause);
    // An answer counts only while the supervisor's own grpc-proxy runs; else it came from
    // whatever took the port after the supervisor found it free.
    while (healthy.ok() && !ServingProxyRuns()) {
      if (Until(deadline).count() == 0) {
        healthy = MakeError(ErrorKind::kUnavailable,
                            target_.address +
                                " answers healthy, but the supervisor's grpc-proxy "
                                "is not running: another process holds the port");
        break;
      }
      Status paused = pause(std::min(Until(deadline), milliseconds(50)));
      if (!paused.ok()) return paused;
      healthy = WaitUntilHealthy(target_, std::max(Until(deadline), milliseconds(1)), pause);
    }
    if (healthy.ok()) {
      std::cerr << "etcd-proxy: embedded: " << target_.address << " is healthy (GET "
                << healthy.value() << ") after "
                << FormatDuration(std::chrono::steady_clock::now() - started_) << "\n";
      return Ok();
    }
    // Anything but "not healthy in time" is the supervisor failing to start: the app must not.
    if (healthy.error().kind != ErrorKind::kUnavailable) return healthy.error();
    std::cerr << "etcd-proxy: WARNING: " << healthy.error().message
              << "; starting the app anyway, the supervisor keeps the proxy running "
                 "(BPL_ETCD_PROXY_START_TIMEOUT)\n";
    return Ok();
  }

 private:
  fs::path File(uid_t uid, const char* suffix) const {
    return tmp_ / (SupervisorFileStem(uid, listen_.host, listen_.port) + suffix);
  }

  Status EnsureSupervisor() {
    const uid_t self = ::geteuid();
    Result<SupervisorLock> lock = TryLockSupervisor(File(self, ".lock"));
    if (!lock.ok()) return lock.error();
    const int lock_fd = lock.value().fd;
    if (!lock.value().acquired) {  // another launch's supervisor runs the proxy
      ::close(lock_fd);
      return Reuse(self);
    }
    if (ListenAddressTaken(listen_)) {
      ::close(lock_fd);
      const std::optional<SupervisorRecord> root = ReadSupervisorRecord(File(0, ".pid"), 0);
      if (self != 0 && root && StateOf(*root) == SupervisorState::kRunning) return Reuse(0);
      return MakeError(
          ErrorKind::kIo,
          "embedded mode: " + shown_ +
              " is already in use by another process, not by an etcd-proxy "
              "supervisor of this container, so the app would reach that process instead of its "
              "proxy",
          "stop that process, or give the proxy a free port with BPL_ETCD_PROXY_LISTEN_ADDR");
    }
    serving_ = {File(self, ".pid"), self};
    Status status = Supervise(command_, env_, SupervisorFiles{lock_fd, serving_->first});
    ::close(lock_fd);  // the supervisor keeps its own copy, and with it the lock
    supervised_ = status.ok();
    return status;
  }

  // Follows the running supervisor of `owner` (this user, or root), or says why not.
  Status Reuse(uid_t owner) {
    serving_ = {File(owner, ".pid"), owner};
    const std::optional<SupervisorRecord> record = ReadSupervisorRecord(serving_->first, owner);
    const SupervisorState state = record ? StateOf(*record) : SupervisorState::kGone;
    if (state == SupervisorState::kStopped) {
      const std::string pid = std::to_string(record->pid);
      return MakeError(ErrorKind::kIo,
                       "embedded mode: the supervisor of " + shown_ + " (PID " + pid +
                           ") is stopped, so it neither serves nor restarts the proxy",
                       "resume it (kill -CONT " + pid + ") or end it");
    }
    if (state == SupervisorState::kGone) {
      const auto now = std::chrono::steady_clock::now();
      if (!unrecorded_since_) unrecorded_since_ = now;
      if (now - *unrecorded_since_ < kRecordSettle) return Ok();
      return MakeError(
          ErrorKind::kIo,
          "embedded mode: the supervisor lock " + EscapeControl(File(owner, ".lock").string()) +
              " is held, but not by a running supervisor (none is recorded in " +
              EscapeControl(serving_->first.string()) + ")",
          "end the process holding the lock (fuser shows it), or set TMPDIR to another directory");
    }
    unrecorded_since_.reset();
    if (!reported_reuse_) {
      std::cerr << "etcd-proxy: embedded: reusing the proxy on " << shown_ << " (supervisor PID "
                << record->pid << (owner == ::geteuid() ? "" : " of uid " + std::to_string(owner))
                << ")\n";
      reported_reuse_ = true;
    }
    return Ok();
  }

  bool ServingProxyRuns() const {
    if (!serving_) return false;
    const std::optional<SupervisorRecord> record =
        ReadSupervisorRecord(serving_->first, serving_->second);
    return record && StateOf(*record) == SupervisorState::kRunning && ProxyRuns(*record);
  }

  const ProxyCommand& command_;
  const Env& env_;
  const LaunchSettings& settings_;
  const std::chrono::steady_clock::time_point started_;
  const std::string& shown_;
  const HealthTarget& target_;
  const CanonicalListen& listen_;
  const fs::path tmp_;
  std::optional<std::pair<fs::path, uid_t>>
      serving_;  // the record of the supervisor whose proxy counts
  std::optional<std::chrono::steady_clock::time_point> unrecorded_since_;
  bool supervised_ = false;
  bool reported_reuse_ = false;
};

}  // namespace

bool InvokedAsExecD(const char* argv0) {
  return argv0 != nullptr && fs::path(argv0).parent_path().filename() == "exec.d";
}

Status RunExecD(const Env& env, const fs::path& helper_dir) {
  ReserveOutputFd();
  if (IsSidecarProcess(env)) return Ok();  // the etcd-proxy process runs the proxy itself
  Result<LaunchSettings> settings = ReadLaunchSettings(env);
  if (!settings.ok()) return settings.error();
  const HealthTarget listener = HealthTargetOf(settings.value());
  const std::string toml = ExecDToml(AppEndpointVariables(env, ClientAddress(listener)));
  if (settings.value().embedded) {
    Result<ProxyCommand> command =
        PlanProxyForHelper(env, settings.value(), helper_dir, {}, /*write_files=*/true);
    if (!command.ok()) return command.error();
    Result<CanonicalListen> listen = CanonicalizeListen(ListenAddressOf(settings.value().proxy));
    if (!listen.ok()) return listen.error();
    Status started =
        EmbeddedStart(command.value(), env, settings.value(), listener, listen.value()).Run();
    if (!started.ok()) return started;
  }
  WriteExecDOutput(toml);
  return Ok();
}

}  // namespace bp
