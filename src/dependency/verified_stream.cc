#include "dependency/verified_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "base/sha256.h"
#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

// Enough to keep the consumer busy while the producer waits on the network, small enough to
// keep a build's memory flat.
constexpr size_t kChannelBytes = 4 << 20;

// The producer's sink: hash, optionally copy, then hand over to the consumer.
class HashingSink : public ByteSink {
 public:
  HashingSink(ByteChannel& channel, int copy_fd, std::string copy_path)
      : channel_(channel), copy_fd_(copy_fd), copy_path_(std::move(copy_path)) {}

  Status Write(std::string_view chunk) override {
    hasher_.Update(chunk);
    bytes_ += chunk.size();
    if (copy_fd_ >= 0) {
      for (std::string_view rest = chunk; !rest.empty();) {
        const ssize_t n = ::write(copy_fd_, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
          return MakeError(ErrorKind::kIo,
                           "cannot write " + copy_path_ + ": " + std::strerror(errno));
        rest.remove_prefix(static_cast<size_t>(n));
      }
    }
    return channel_.Write(chunk);
  }

  uint64_t bytes() const { return bytes_; }
  std::string Digest() { return hasher_.HexDigest(); }

 private:
  ByteChannel& channel_;
  int copy_fd_;
  std::string copy_path_;
  Sha256 hasher_;
  uint64_t bytes_ = 0;
};

Status Drain(ByteSource& source) {
  while (true) {
    Result<std::string_view> chunk = source.Read();
    if (!chunk.ok()) return chunk.error();
    if (chunk.value().empty()) return Ok();
  }
}

}  // namespace

Result<StreamReport> StreamVerified(Fetcher& fetcher, const std::string& uri,
                                    const std::string& expected_sha256,
                                    const StreamConsumer& consume,
                                    const std::filesystem::path& copy_to) {
  int copy_fd = -1;
  if (!copy_to.empty()) {
    copy_fd = ::open(copy_to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (copy_fd < 0)
      return MakeError(ErrorKind::kIo,
                       "cannot create " + copy_to.string() + ": " + std::strerror(errno));
  }
  ByteChannel channel(kChannelBytes);
  HashingSink sink(channel, copy_fd, copy_to.string());
  Status transfer = Ok();
  std::thread producer([&] {
    transfer = fetcher.Fetch(uri, sink);
    channel.Finish(transfer);
  });
  Status consumed = consume(channel);
  // Keep reading after a consumer failure too: a corrupt archive is best explained by its digest.
  Status drained = Drain(channel);
  if (!drained.ok()) channel.Cancel();
  producer.join();
  if (copy_fd >= 0 && ::close(copy_fd) != 0 && transfer.ok()) {
    transfer =
        MakeError(ErrorKind::kIo, "cannot write " + copy_to.string() + ": " + std::strerror(errno));
  }
  if (!transfer.ok()) return transfer.error();
  StreamReport report{sink.bytes(), sink.Digest()};
  if (report.sha256 != expected_sha256) {
    return MakeError(
        ErrorKind::kChecksum,
        "sha256 mismatch for " + RedactUrl(uri) + ": expected " + expected_sha256 + ", got " +
            report.sha256,
        "the file is not the one buildpack.toml pins; check the mirror or mapping that served it");
  }
  if (!consumed.ok()) return consumed.error();
  if (!drained.ok()) return drained.error();
  return report;
}

}  // namespace bp
