#include "launch/app_watch.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "launch/process_stat.h"

namespace bp {

namespace {

std::string StartTimeOf(pid_t pid) {
  const std::optional<ProcessStat> stat = ReadProcessStat(pid);
  return stat ? stat->start_time : "";
}

}  // namespace

AppWatch AppWatch::Open(pid_t pid) {
  int fd = -1;
#ifdef SYS_pidfd_open
  fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));  // close-on-exec by definition
#endif
  return AppWatch(pid, fd < 0 ? -1 : fd, fd < 0 ? StartTimeOf(pid) : "");
}

AppWatch AppWatch::OpenPolling(pid_t pid) { return AppWatch(pid, -1, StartTimeOf(pid)); }

AppWatch::AppWatch(AppWatch&& other) noexcept
    : pid_(other.pid_), fd_(other.fd_), start_time_(std::move(other.start_time_)) {
  other.fd_ = -1;
}

AppWatch::~AppWatch() {
  if (fd_ >= 0) ::close(fd_);
}

bool AppWatch::Ended() const {
  if (fd_ >= 0) {
    pollfd entry{fd_, POLLIN, 0};
    return ::poll(&entry, 1, 0) > 0;
  }
  if (::kill(pid_, 0) != 0 && errno == ESRCH) return true;
  const std::optional<ProcessStat> stat = ReadProcessStat(pid_);
  return !stat || stat->state == 'Z' || stat->state == 'X' || stat->start_time != start_time_;
}

}  // namespace bp
