#include "proxy/app_watch.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace bp {

namespace {

// Returns the state letter and start time of /proc/<pid>/stat ("" when the process is gone).
std::pair<char, std::string> ReadStat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return {'\0', ""};
  const size_t paren = line.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return {'\0', ""};
  std::istringstream fields(line.substr(paren + 1));
  std::string field;
  char state = '\0';
  for (int index = 3; fields >> field; ++index) {  // field 3 is the state, 22 the start time
    if (index == 3) state = field.empty() ? '\0' : field[0];
    if (index == 22) return {state, field};
  }
  return {'\0', ""};
}

}  // namespace

AppWatch AppWatch::Open(pid_t pid) {
  int fd = -1;
#ifdef SYS_pidfd_open
  fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));  // close-on-exec by definition
#endif
  return AppWatch(pid, fd < 0 ? -1 : fd, fd < 0 ? ReadStat(pid).second : "");
}

AppWatch AppWatch::OpenPolling(pid_t pid) { return AppWatch(pid, -1, ReadStat(pid).second); }

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
  const auto [state, start_time] = ReadStat(pid_);
  return state == 'Z' || state == 'X' || start_time.empty() || start_time != start_time_;
}

}  // namespace bp
