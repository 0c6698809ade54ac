#include "base/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/clock.h"

namespace bp {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Reads what is waiting on the non-blocking `fd` without waiting for more; false at end-of-file.
bool Drain(int fd, std::string& output) {
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return false;
    if (n < 0) return true;  // EAGAIN: nothing more for now
    if (output.size() < kMaxOutput) output.append(buffer, static_cast<size_t>(n));
  }
}

// Collects output until the child `pid` has exited and its pipe is drained, or the deadline;
// returns true when the child exited (left unreaped, so its PID and process group stay its
// own). A child it left behind that still holds the pipe (a daemon, a background `sleep`) is
// not waited for: the output stops with the child.
bool CollectUntilExit(int fd, pid_t pid, std::chrono::steady_clock::time_point deadline,
                      std::string& output) {
  constexpr int kExitCheckMs =
      20;  // how often the child's exit is checked while its pipe stays open
  bool open = true;
  while (true) {
    if (open) open = Drain(fd, output);
    siginfo_t info{};
    const int waited = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if (waited == 0 && info.si_pid == pid) {
      if (open) Drain(fd, output);  // what it wrote just before exiting
      return true;
    }
    if (waited < 0 && errno != EINTR) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int wait_ms = static_cast<int>(std::min<long long>(left, kExitCheckMs));
    if (open) {
      ::poll(&p, 1, wait_ms);
    } else {
      ::poll(nullptr, 0, wait_ms);
    }
  }
}

// The pipes a child is given: an empty stdin (a pipe rather than /dev/null, which a minimal root
// may lack) and one pipe for its stdout and stderr.
struct ChildPipes {
  int input[2] = {-1, -1};
  int output[2] = {-1, -1};
};

Status OpenPipes(ChildPipes& pipes) {
  if (::pipe2(pipes.output, O_CLOEXEC) != 0) {
    return MakeError(ErrorKind::kIo, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  if (::pipe2(pipes.input, O_CLOEXEC) != 0) {
    const int error = errno;
    ::close(pipes.output[0]);
    ::close(pipes.output[1]);
    return MakeError(ErrorKind::kIo, std::string("cannot create a pipe: ") + std::strerror(error));
  }
  return Ok();
}

// Starts argv[0] on the pipes, in a process group of its own so that whatever it leaves behind
// is ended with it. Closes every end but the read end of the output, which it closes too when
// the child cannot start.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const Env& env, ChildPipes& pipes) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipes.input[0], 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.output[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.output[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<std::string> args = argv;
  std::vector<std::string> env_strings = env.ToStrings();
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(env_strings);
  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipes.output[1]);
  ::close(pipes.input[0]);
  ::close(pipes.input[1]);
  if (spawned != 0) {
    ::close(pipes.output[0]);
    return MakeError(ErrorKind::kIo, "cannot run " + argv[0] + ": " + std::strerror(spawned));
  }
  return pid;
}

// Kills the child `pid` and its process group, and returns its wait status. `exited` says it
// has already exited (unreaped); then only its group is left to kill.
int KillAndReap(pid_t pid, bool exited) {
  ::kill(-pid, SIGKILL);              // it, if still running, and what it left running in its group
  if (!exited) ::kill(pid, SIGKILL);  // even if it left the group
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

Result<CommandOutput> RunCaptured(const std::vector<std::string>& argv, const Env& env,
                                  std::chrono::milliseconds timeout) {
  if (argv.empty()) return MakeError(ErrorKind::kInternal, "RunCaptured: empty argv");
  ChildPipes pipes;
  if (Status opened = OpenPipes(pipes); !opened.ok()) return opened.error();
  Result<pid_t> pid = Spawn(argv, env, pipes);
  if (!pid.ok()) return pid.error();
  const int output = pipes.output[0];
  ::fcntl(output, F_SETFL, O_NONBLOCK);
  CommandOutput result;
  const bool finished = CollectUntilExit(output, pid.value(),
                                         std::chrono::steady_clock::now() + timeout, result.output);
  ::close(output);
  const int status = KillAndReap(pid.value(), finished);
  if (!finished) {
    return MakeError(ErrorKind::kIo, argv[0] + " did not finish within " + FormatDuration(timeout));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace bp
