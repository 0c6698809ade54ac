#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "base/strings.h"

namespace bp {

namespace {

Error IoError(std::string_view what, const fs::path& path, int err) {
  return MakeError(ErrorKind::kIo, std::string(what) + " " + EscapeControl(path.string()) + ": " +
                                       std::strerror(err));
}

Status WriteAll(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// Writes through `fill` into a temp file beside `path`, then renames it over `path`.
template <typename Fill>
Status WriteThroughTemp(const fs::path& path, fs::perms mode, Fill fill) {
  std::string temp =
      (path.parent_path() / ("." + path.filename().string() + ".tmpXXXXXX")).string();
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return IoError("cannot create a file in", path.parent_path(), errno);
  temp.assign(name.data());
  Status written = fill(fd, fs::path(temp));
  if (written.ok() && ::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    written = IoError("cannot set the mode of", temp, errno);
  }
  if (::close(fd) != 0 && written.ok()) written = IoError("cannot write", temp, errno);
  if (written.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    written = IoError("cannot rename into", path, errno);
  }
  if (!written.ok()) ::unlink(temp.c_str());
  return written;
}

// Creates a fresh, uniquely named directory `<parent>/<prefix>XXXXXX` (mode 0700).
Result<fs::path> MakeUniqueDir(const fs::path& parent, std::string_view prefix) {
  std::string pattern = (parent / (std::string(prefix) + "XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr)
    return IoError("cannot create a directory in", parent, errno);
  return fs::path(name.data());
}

}  // namespace

std::string DescribeFileType(unsigned int st_mode) {
  if (S_ISDIR(st_mode)) return "a directory";
  if (S_ISFIFO(st_mode)) return "a FIFO";
  if (S_ISCHR(st_mode)) return "a character device";
  if (S_ISBLK(st_mode)) return "a block device";
  if (S_ISSOCK(st_mode)) return "a socket";
  if (S_ISREG(st_mode)) return "a regular file";
  return "not a regular file";
}

Result<int> OpenRegularFile(const fs::path& path, struct stat* info) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    return IoError("cannot read", path, errno);
  }
  *info = {};
  if (::fstat(fd, info) != 0 || !S_ISREG(info->st_mode)) {
    ::close(fd);
    return MakeError(ErrorKind::kInvalidInput, EscapeControl(path.string()) + " is " +
                                                   DescribeFileType(info->st_mode) +
                                                   ", not a regular file");
  }
  return fd;
}

Result<std::string> ReadSmallFile(const fs::path& path, size_t max_bytes) {
  const std::string shown = EscapeControl(path.string());
  struct stat info {};
  Result<int> opened = OpenRegularFile(path, &info);
  if (!opened.ok()) return opened.error();
  const int fd = opened.value();
  const auto too_large = [&] {
    return MakeError(ErrorKind::kInvalidInput,
                     shown + " is larger than " + std::to_string(max_bytes) + " bytes");
  };
  if (static_cast<unsigned long long>(info.st_size) > max_bytes) {
    ::close(fd);
    return too_large();
  }
  std::string content;
  char buffer[16384];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return IoError("cannot read", path, err);
    }
    if (n == 0) break;
    if (content.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return too_large();
    }
    content.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return content;
}

Status WriteFileAtomic(const fs::path& path, std::string_view content, fs::perms mode) {
  return WriteThroughTemp(
      path, mode, [&](int fd, const fs::path& temp) { return WriteAll(fd, content, temp); });
}

Status CopyFileAtomic(const fs::path& from, const fs::path& to, fs::perms mode) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return IoError("cannot read", from, errno);
  Status copied = WriteThroughTemp(to, mode, [&](int out, const fs::path& temp) -> Status {
    char buffer[65536];
    while (true) {
      const ssize_t n = ::read(in, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("cannot read", from, errno);
      if (n == 0) return Ok();
      Status s = WriteAll(out, std::string_view(buffer, static_cast<size_t>(n)), temp);
      if (!s.ok()) return s;
    }
  });
  ::close(in);
  return copied;
}

Status SymlinkAtomic(const std::string& target, const fs::path& link) {
  const fs::path temp =
      link.parent_path() / ("." + link.filename().string() + ".link-" + std::to_string(::getpid()));
  ::unlink(temp.c_str());
  if (::symlink(target.c_str(), temp.c_str()) != 0)
    return IoError("cannot create the link", temp, errno);
  if (::rename(temp.c_str(), link.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return IoError("cannot create the link", link, err);
  }
  return Ok();
}

void RemoveAllQuietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

Status ReplaceDirectory(const fs::path& staged, const fs::path& target) {
  std::error_code ec;
  fs::path old;
  if (fs::symlink_status(target, ec).type() != fs::file_type::not_found) {
    Result<fs::path> aside =
        MakeUniqueDir(target.parent_path(), "." + target.filename().string() + ".old-");
    if (!aside.ok()) return aside.error();
    old = aside.value() / "tree";
    if (::rename(target.c_str(), old.c_str()) != 0) {
      const int err = errno;
      RemoveAllQuietly(aside.value());
      return IoError("cannot move aside", target, err);
    }
  }
  if (::rename(staged.c_str(), target.c_str()) != 0) {
    const int err = errno;
    if (!old.empty() && ::rename(old.c_str(), target.c_str()) == 0)
      RemoveAllQuietly(old.parent_path());
    return IoError("cannot move into place", target, err);
  }
  if (!old.empty()) RemoveAllQuietly(old.parent_path());
  return Ok();
}

Result<ScopedTempDir> ScopedTempDir::Create(const fs::path& parent, std::string_view prefix) {
  fs::path base = parent;
  if (base.empty()) {
    std::error_code ec;
    base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
  }
  Result<fs::path> dir = MakeUniqueDir(base, prefix);
  if (!dir.ok()) return dir.error();
  return ScopedTempDir(dir.value());
}

ScopedTempDir::ScopedTempDir(ScopedTempDir&& other) noexcept : path_(other.Release()) {}

ScopedTempDir& ScopedTempDir::operator=(ScopedTempDir&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) RemoveAllQuietly(path_);
    path_ = other.Release();
  }
  return *this;
}

ScopedTempDir::~ScopedTempDir() {
  if (!path_.empty()) RemoveAllQuietly(path_);
}

fs::path ScopedTempDir::Release() {
  fs::path kept = std::move(path_);
  path_.clear();
  return kept;
}

}  // namespace bp
