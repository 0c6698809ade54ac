#include "dependency/fetcher.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace bp {

Status StreamFile(const std::filesystem::path& path, ByteSink& sink) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const ErrorKind kind = errno == ENOENT ? ErrorKind::kNotFound : ErrorKind::kIo;
    return MakeError(kind, "cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::vector<char> buffer(1 << 18);
  Status status = Ok();
  while (status.ok()) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = MakeError(ErrorKind::kIo, "cannot read " + path.string() + ": " + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    status = sink.Write(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  return status;
}

}  // namespace bp
