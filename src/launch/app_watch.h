// Noticing that the app's process has ended. The embedded supervisor watches exec.d's parent:
// the CNB launcher, which execs the app and so keeps its PID. A pidfd (Linux 5.3+) becomes
// readable the moment the process exits; where pidfd_open is missing (older kernels, some
// sandboxes) the watch polls the PID and its start time, so a reused PID is not mistaken for
// the app.
#pragma once

#include <sys/types.h>

#include <string>

namespace bp {

class AppWatch {
 public:
  // Starts watching `pid`, which must be alive (exec.d's parent is: it waits for exec.d).
  static AppWatch Open(pid_t pid);
  // Starts watching `pid` by polling, as Open does where the kernel has no pidfd_open.
  static AppWatch OpenPolling(pid_t pid);
  AppWatch(AppWatch&& other) noexcept;
  AppWatch& operator=(AppWatch&&) = delete;
  AppWatch(const AppWatch&) = delete;
  AppWatch& operator=(const AppWatch&) = delete;
  ~AppWatch();

  pid_t pid() const { return pid_; }
  // Returns a descriptor that polls readable when the app ends, or -1 when Ended() must be polled.
  int fd() const { return fd_; }
  // Returns true once the app's process has exited (a zombie counts as exited).
  bool Ended() const;

 private:
  AppWatch(pid_t pid, int fd, std::string start_time)
      : pid_(pid), fd_(fd), start_time_(std::move(start_time)) {}
  pid_t pid_;
  int fd_;
  std::string start_time_;  // field 22 of /proc/<pid>/stat, for the polling fallback
};

}  // namespace bp
