#include "base/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bp {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Reads from `fd` until EOF or the deadline; returns false on timeout.
bool Collect(int fd, std::chrono::steady_clock::time_point deadline, std::string& output) {
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return ready == 0 ? false : true;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    if (output.size() < kMaxOutput) output.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

Result<CommandOutput> RunCaptured(const std::vector<std::string>& argv, const Env& env,
                                  std::chrono::milliseconds timeout) {
  if (argv.empty()) return MakeError(ErrorKind::kInternal, "RunCaptured: empty argv");
  int pipe_fds[2];
  int stdin_fds[2];  // an empty pipe rather than /dev/null, which a minimal root may lack
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return MakeError(ErrorKind::kIo, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  if (::pipe2(stdin_fds, O_CLOEXEC) != 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return MakeError(ErrorKind::kIo, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_fds[0], 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  std::vector<std::string> args = argv;
  std::vector<std::string> env_strings = env.ToStrings();
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(env_strings);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  ::close(stdin_fds[0]);
  ::close(stdin_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    return MakeError(ErrorKind::kIo, "cannot run " + argv[0] + ": " + std::strerror(spawned));
  }
  CommandOutput result;
  const bool finished = Collect(pipe_fds[0], std::chrono::steady_clock::now() + timeout, result.output);
  ::close(pipe_fds[0]);
  if (!finished) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    return MakeError(ErrorKind::kIo, argv[0] + " did not finish within " +
                                         std::to_string(timeout.count()) + " ms");
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace bp
