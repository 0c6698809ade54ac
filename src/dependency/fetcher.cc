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

namespace {

// Copies the open file `fd` into `sink` within `limits`; `shown` names it in errors.
Status CopyWithinLimits(int fd, const std::string& shown, ByteSink& sink,
                        const TransferLimits& limits) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<char> buffer(1 << 18);
  uint64_t total = 0;
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return MakeError(ErrorKind::kIo, "cannot read " + shown + ": " + std::strerror(errno));
    if (n == 0) return Ok();
    total += static_cast<uint64_t>(n);
    // A file that grows while we read it.
    if (total > limits.max_bytes) return TooLargeError(shown, limits.max_bytes);
    if (std::chrono::steady_clock::now() - start > limits.deadline)
      return DeadlineError(shown, limits.deadline);
    Status written = sink.Write(std::string_view(buffer.data(), static_cast<size_t>(n)));
    if (!written.ok()) return written;
  }
}

}  // namespace

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
  Status status = static_cast<uint64_t>(info.st_size) > limits.max_bytes
                      ? Status(TooLargeError(shown, limits.max_bytes))
                      : CopyWithinLimits(fd, shown, sink, limits);
  ::close(fd);
  return status;
}

}  // namespace bp
