#include "launch/supervisor_files.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/address.h"
#include "base/files.h"
#include "base/strings.h"
#include "launch/process_stat.h"

namespace bp {

namespace {

constexpr size_t kMaxRecordBytes = 128;

std::string HostText(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw =
      address->sa_family == AF_INET
          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(address)->sin_addr)
          : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  return ::inet_ntop(address->sa_family, raw, text, sizeof text) != nullptr ? text : "?";
}

bool Alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// The record's text: "<pid> <start time> <proxy pid>\n".
std::string FormatSupervisorRecord(const SupervisorRecord& record) {
  return std::to_string(record.pid) + " " + record.start_time + " " + std::to_string(record.proxy) +
         "\n";
}

std::optional<SupervisorRecord> ParseSupervisorRecord(const std::string& text) {
  std::istringstream fields(text);
  SupervisorRecord record;
  std::string extra;
  if (!(fields >> record.pid >> record.start_time >> record.proxy) || (fields >> extra))
    return std::nullopt;
  if (record.pid <= 0 || record.proxy < 0 || record.start_time.empty()) return std::nullopt;
  return record;
}

constexpr char kLockFix[] = "remove it, or set TMPDIR to a directory of your own";

// Returns why the lock `shown` could not be opened (errno `err`), and what to do.
Error LockOpenError(const std::string& shown, int err) {
  std::string why;
  std::string hint = kLockFix;
  if (err == ELOOP) {
    why = "is a symbolic link, which the supervisor lock never follows";
  } else if (err == EISDIR) {
    why = "is a directory";
  } else if (err == EACCES || err == EPERM) {
    why =
        "cannot be opened (permission denied): it belongs to another user, or TMPDIR is not "
        "writable";
  } else if (err == ENOENT || err == ENOTDIR) {
    why = "cannot be created: TMPDIR does not exist or is not a directory";
    hint = "set TMPDIR to an existing, writable directory";
  } else {
    why = std::string("cannot be opened: ") + std::strerror(err);
  }
  return MakeError(ErrorKind::kIo, "the supervisor lock " + shown + " " + why, hint);
}

// Returns what is wrong with the opened lock file `fd` (not a regular file of this user), if
// anything.
std::optional<std::string> LockFileProblem(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return std::string("cannot be read: ") + std::strerror(errno);
  if (!S_ISREG(info.st_mode))
    return "is " + DescribeFileType(info.st_mode) + ", not a regular file";
  if (info.st_uid != ::geteuid()) {
    return "belongs to uid " + std::to_string(info.st_uid) + ", not to this user (uid " +
           std::to_string(::geteuid()) + ")";
  }
  return std::nullopt;
}

}  // namespace

Result<CanonicalListen> CanonicalizeListen(const ListenAddress& listen_address) {
  const Address& parsed = listen_address.address;
  const std::string host = parsed.host.empty() ? "0.0.0.0" : parsed.host;
  const std::string port = std::to_string(parsed.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int failed = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (failed != 0 || found == nullptr) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "the listen address " + Quote(listen_address.text) +
            " does not resolve: " + ::gai_strerror(failed),
        "set BPL_ETCD_PROXY_LISTEN_ADDR to an address of this machine, for example 127.0.0.1:2379");
  }
  const addrinfo* chosen = found;  // as Go's net.Listen: the first IPv4 address, else the first
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
  }
  CanonicalListen listen;
  listen.port = parsed.port;
  std::memcpy(&listen.address, chosen->ai_addr, chosen->ai_addrlen);
  listen.address_length = chosen->ai_addrlen;
  listen.host = HostText(chosen->ai_addr);
  ::freeaddrinfo(found);
  return listen;
}

bool ListenAddressTaken(const CanonicalListen& listen) {
  const int fd = ::socket(listen.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;  // grpc-proxy will say what is wrong
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  const bool taken =
      ::bind(fd, reinterpret_cast<const sockaddr*>(&listen.address), listen.address_length) != 0 &&
      errno == EADDRINUSE;
  ::close(fd);
  return taken;
}

std::string SupervisorFileStem(uid_t uid, const std::string& host, int port) {
  std::string name = "etcd-proxy-supervisor-" + std::to_string(uid) + "-";
  for (char c : host) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
    name += plain ? c : '_';
  }
  return name + "_" + std::to_string(port);
}

SupervisorState StateOf(const SupervisorRecord& record) {
  const std::optional<ProcessStat> stat = ReadProcessStat(record.pid);
  if (!stat || stat->start_time != record.start_time || stat->state == 'Z' || stat->state == 'X') {
    return SupervisorState::kGone;
  }
  return stat->state == 'T' || stat->state == 't' ? SupervisorState::kStopped
                                                  : SupervisorState::kRunning;
}

bool ProxyRuns(const SupervisorRecord& record) {
  if (!Alive(record.proxy)) return false;
  const std::optional<ProcessStat> stat = ReadProcessStat(record.proxy);
  return stat && stat->state != 'Z' && stat->state != 'X';
}

Status WriteSupervisorRecord(const fs::path& path, pid_t proxy) {
  SupervisorRecord record;
  record.pid = ::getpid();
  const std::optional<ProcessStat> self = ReadProcessStat(record.pid);
  record.start_time = self ? self->start_time : "?";
  record.proxy = proxy;
  return WriteFileAtomic(path, FormatSupervisorRecord(record), fs::perms(0644));
}

std::optional<SupervisorRecord> ReadSupervisorRecord(const fs::path& path, uid_t owner) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat info {};
  char text[kMaxRecordBytes] = {};
  ssize_t n = -1;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == owner)
    n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  return ParseSupervisorRecord(std::string(text, static_cast<size_t>(n)));
}

Result<SupervisorLock> TryLockSupervisor(const fs::path& path) {
  const std::string shown = EscapeControl(path.string());
  SupervisorLock lock;
  lock.fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  if (lock.fd < 0) return LockOpenError(shown, errno);
  if (const std::optional<std::string> wrong = LockFileProblem(lock.fd)) {
    ::close(lock.fd);
    return MakeError(ErrorKind::kIo, "the supervisor lock " + shown + " " + *wrong, kLockFix);
  }
  if (::flock(lock.fd, LOCK_EX | LOCK_NB) == 0) {
    lock.acquired = true;
  } else if (errno != EWOULDBLOCK) {
    const std::string reason = std::strerror(errno);
    ::close(lock.fd);
    return MakeError(ErrorKind::kIo, "cannot lock the supervisor lock " + shown + ": " + reason);
  }
  return lock;
}

}  // namespace bp
