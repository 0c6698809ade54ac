#include "proxy/exec_d.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
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
#include "proxy/app_watch.h"
#include "proxy/embedded.h"
#include "proxy/health.h"
#include "proxy/helper.h"
#include "proxy/pem_files.h"
#include "proxy/supervisor.h"

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
  ::signal(SIGPIPE, SIG_IGN);  // after the fork: the supervisor keeps the default
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(kExecDOutputFd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    written += static_cast<size_t>(n);
  }
}

// The lock a running supervisor holds on <tmp>/etcd-proxy-supervisor-<listen>.lock; its file
// names the supervisor's PID.
struct SupervisorLock {
  int fd = -1;
  bool acquired = false;  // false: another supervisor holds it
};

Result<SupervisorLock> TryLock(const fs::path& path) {
  SupervisorLock lock;
  lock.fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock.fd < 0) {
    return MakeError(ErrorKind::kIo, "cannot open the supervisor lock " + path.string() + ": " + std::strerror(errno),
                     "TMPDIR must be a writable directory");
  }
  if (::flock(lock.fd, LOCK_EX | LOCK_NB) == 0) {
    lock.acquired = true;
  } else if (errno != EWOULDBLOCK) {
    const std::string reason = std::strerror(errno);
    ::close(lock.fd);
    return MakeError(ErrorKind::kIo, "cannot lock " + path.string() + ": " + reason);
  }
  return lock;
}

std::string ReadLockOwner(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
  return n > 0 ? std::string(Trim(std::string(text, static_cast<size_t>(n)))) : "?";
}

// Forks the supervisor. The child leaves the launcher's session and descriptor 3 behind and
// keeps the lock (flock locks belong to the open file, which the child shares).
Result<pid_t> StartSupervisor(const std::vector<std::string>& proxy_argv, const Env& env, int lock_fd) {
  AppWatch app = AppWatch::Open(::getppid());
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) return MakeError(ErrorKind::kIo, std::string("cannot start the supervisor: fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setsid();
    ::close(kExecDOutputFd);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::_exit(RunSupervisor(proxy_argv, env, app));
  }
  const std::string owner = std::to_string(pid) + "\n";
  if (::ftruncate(lock_fd, 0) == 0) {
    [[maybe_unused]] ssize_t ignored = ::pwrite(lock_fd, owner.data(), owner.size(), 0);
  }
  return pid;
}

// Starts the supervisor while this process holds the lock, and says so.
Status Supervise(const ProxyCommand& command, const Env& env, int lock_fd) {
  for (const std::string& warning : command.warnings) std::cerr << "etcd-proxy: WARNING: " << warning << "\n";
  Result<pid_t> supervisor = StartSupervisor(command.argv, EtcdEnvironment(env, HostTarget().arch), lock_fd);
  if (!supervisor.ok()) return supervisor.error();
  std::cerr << "etcd-proxy: embedded: " << command.summary << " (supervisor PID " << supervisor.value() << ")\n";
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

// Starting (or finding) the supervised proxy and waiting for it, until healthy or the start
// timeout. Until this launch supervises, the lock is tried again in every pause between probes,
// so a launch that found a supervisor on its way out (its app just ended) takes over instead of
// waiting for nothing.
class EmbeddedStart {
 public:
  EmbeddedStart(const ProxyCommand& command, const Env& env, const EmbeddedSettings& settings,
                const HealthTarget& target)
      : command_(command), env_(env), settings_(settings), started_(std::chrono::steady_clock::now()),
        listen_(command.listener.listen_addr), target_(target) {}

  Status Run() {
    Status ensured = EnsureSupervisor();
    if (!ensured.ok()) return ensured;
    Result<std::string> healthy = WaitUntilHealthy(target_, settings_.start_timeout, [this](milliseconds pause) {
      std::this_thread::sleep_for(pause);
      return supervised_ ? Ok() : EnsureSupervisor();
    });
    if (healthy.ok()) {
      std::cerr << "etcd-proxy: embedded: " << target_.address << " is healthy (GET " << healthy.value() << ") after "
                << FormatDuration(std::chrono::steady_clock::now() - started_) << "\n";
      return Ok();
    }
    // Anything but "not healthy in time" is the supervisor failing to start: the app must not.
    if (healthy.error().kind != ErrorKind::kUnavailable) return healthy.error();
    std::cerr << "etcd-proxy: WARNING: " << healthy.error().message
              << "; starting the app anyway, the supervisor keeps the proxy running (BPL_ETCD_PROXY_START_TIMEOUT)\n";
    return Ok();
  }

 private:
  Status EnsureSupervisor() {
    Result<SupervisorLock> lock = TryLock(TempDir(env_) / SupervisorLockName(listen_));
    if (!lock.ok()) return lock.error();
    Status status = Ok();
    if (lock.value().acquired) {  // else another launch's supervisor runs the proxy
      status = Supervise(command_, env_, lock.value().fd);
      supervised_ = status.ok();
    } else if (!reported_reuse_) {
      std::cerr << "etcd-proxy: embedded: reusing the proxy on " << listen_ << " (supervisor PID "
                << ReadLockOwner(lock.value().fd) << ")\n";
      reported_reuse_ = true;
    }
    ::close(lock.value().fd);
    return status;
  }

  const ProxyCommand& command_;
  const Env& env_;
  const EmbeddedSettings& settings_;
  const std::chrono::steady_clock::time_point started_;
  const std::string& listen_;
  const HealthTarget& target_;
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
  Result<EmbeddedSettings> settings = ReadEmbeddedSettings(env);
  if (!settings.ok()) return settings.error();
  const HealthTarget listener = HealthTargetFor(env);
  const std::string toml = ExecDToml(AppEndpointVariables(env, ClientAddress(listener)));
  if (settings.value().enabled) {
    Result<ProxyCommand> command = PlanProxy(env, helper_dir, {}, /*write_files=*/true);
    if (!command.ok()) return command.error();
    Status started = EmbeddedStart(command.value(), env, settings.value(), listener).Run();
    if (!started.ok()) return started;
  }
  WriteExecDOutput(toml);
  return Ok();
}

}  // namespace bp
