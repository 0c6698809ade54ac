#include "launch/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace bp {

namespace {

[[noreturn]] void ExecInChild(pid_t parent, char* const* argv, char* const* envp) {
  // Only async-signal-safe calls from here on: the parent may have other threads (libcurl's
  // resolver) whose locks the fork copied.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(127);
  // A process group of its own: a signal to the parent's group (Ctrl-C, dumb-init, tini -g,
  // kill -TERM -PGID) reaches only the parent, which decides what the proxy gets.
  ::setpgid(0, 0);
  // Ignored signals stay ignored across execve (and a Go program keeps an ignored SIGINT
  // ignored): the parent ignores some, or was started with them ignored (`cmd &` in a script);
  // the proxy must get what the parent forwards.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGHUP, SIGUSR1, SIGUSR2, SIGINT, SIGQUIT, SIGTERM}) {
    ::sigaction(sig, &default_action, nullptr);
  }
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
#ifdef SYS_close_range
  ::syscall(SYS_close_range, 3U, ~0U, 0U);  // our own descriptors are close-on-exec anyway
#endif
  ::execve(argv[0], argv, envp);
  static const char kFailed[] = "etcd-proxy: ERROR: cannot start the proxy: execve failed\n";
  [[maybe_unused]] ssize_t ignored = ::write(2, kFailed, sizeof(kFailed) - 1);
  ::_exit(127);
}

}  // namespace

ExecVectors::ExecVectors(const std::vector<std::string>& argv, const Env& env)
    : args_(argv), vars_(env.ToStrings()) {
  for (std::string& a : args_) argv_ptrs_.push_back(a.data());
  argv_ptrs_.push_back(nullptr);
  for (std::string& v : vars_) env_ptrs_.push_back(v.data());
  env_ptrs_.push_back(nullptr);
}

Result<pid_t> StartChild(const std::vector<std::string>& argv, const Env& env) {
  ExecVectors exec(argv, env);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0)
    return MakeError(ErrorKind::kIo,
                     std::string("cannot start the proxy: fork: ") + std::strerror(errno));
  if (pid == 0) ExecInChild(parent, exec.argv(), exec.envp());
  return pid;
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

void StopChild(pid_t pid, std::chrono::milliseconds grace) {
  ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) return;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

Result<int> OpenSignalFd(std::initializer_list<int> signals) {
  sigset_t set;
  ::sigemptyset(&set);
  for (int sig : signals) ::sigaddset(&set, sig);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
    return MakeError(ErrorKind::kInternal, std::string("sigprocmask: ") + std::strerror(errno));
  }
  // An ignored signal is discarded before it could be read: one inherited as ignored (started
  // by `cmd &` in a script) would never reach the signalfd. Blocked first, so none is lost.
  for (int sig : signals) ::signal(sig, SIG_DFL);
  const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0)
    return MakeError(ErrorKind::kInternal, std::string("signalfd: ") + std::strerror(errno));
  return fd;
}

std::vector<int> ReadSignals(int signal_fd) {
  std::vector<int> signals;
  signalfd_siginfo info;
  while (::read(signal_fd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
    signals.push_back(static_cast<int>(info.ssi_signo));
  }
  return signals;
}

}  // namespace bp
