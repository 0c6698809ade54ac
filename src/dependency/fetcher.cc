#include "dependency/fetcher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/clock.h"
#include "base/files.h"
#include "base/strings.h"

namespace bp {

Error TooLargeError(const std::string& shown, uint64_t max_bytes) {
  return MakeError(ErrorKind::kNetwork,
                   "downloading " + shown + ": more than " +
                       std::to_string(max_bytes / (1024 * 1024)) + " MB, the download size limit",
                   "raise BP_DOWNLOAD_MAX_SIZE_MB if the artifact really is that large");
}

Error DeadlineError(const std::string& shown, std::chrono::milliseconds deadline) {
  return MakeError(ErrorKind::kNetwork,
                   "downloading " + shown + ": not finished after " + FormatDuration(deadline),
                   "BP_DOWNLOAD_TIMEOUT sets how long one download may take in all");
}

Status StreamFile(const std::filesystem::path& path, ByteSink& sink, const TransferLimits& limits) {
  const std::string shown = EscapeControl(path.string());
  struct stat info {};
  Result<int> opened = OpenRegularFile(path, &info);
  if (!opened.ok()) {
    Error error = opened.error();
    // Not a regular file: a download that can never succeed, as a server's refusal would be.
    if (error.kind == ErrorKind::kInvalidInput)
      error = MakeError(ErrorKind::kNetwork, error.Wrap("cannot download").message);
    return error;
  }
  const int fd = opened.value();
  if (static_cast<uint64_t>(info.st_size) > limits.max_bytes) {
    ::close(fd);
    return TooLargeError(shown, limits.max_bytes);
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<char> buffer(1 << 18);
  uint64_t total = 0;
  Status status = Ok();
  while (status.ok()) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = MakeError(ErrorKind::kIo, "cannot read " + shown + ": " + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (total > limits.max_bytes) {  // a file that grows while we read it
      status = TooLargeError(shown, limits.max_bytes);
      break;
    }
    if (std::chrono::steady_clock::now() - start > limits.deadline) {
      status = DeadlineError(shown, limits.deadline);
      break;
    }
    status = sink.Write(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  return status;
}

}  // namespace bp
