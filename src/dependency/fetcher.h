// The network seam: a Fetcher streams the body behind a URI into a ByteSink. The real one is
// CurlFetcher; unit tests use a fake that serves bytes from memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "base/result.h"
#include "dependency/byte_stream.h"

namespace bp {

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Streams the body of `uri` (http://, https:// or file://) into `sink`. Errors of kind
  // kUnavailable are transient (worth retrying); all others are final.
  virtual Status Fetch(const std::string& uri, ByteSink& sink) = 0;
  // Returns how long the source asked us to wait before asking again, after the last Fetch
  // failed (HTTP's Retry-After); zero when it said nothing.
  virtual std::chrono::milliseconds RequestedWait() const { return std::chrono::milliseconds(0); }
};

// Bounds on one transfer, whatever its scheme: a body larger than `max_bytes`, or a transfer
// still running after `deadline`, fails for good (kNetwork: retrying would not end differently).
struct TransferLimits {
  uint64_t max_bytes = UINT64_MAX;
  std::chrono::milliseconds deadline = std::chrono::hours(24 * 365);  // compared in ns: no ::max()
};

// Streams the local file at `path` into `sink`; kIo when it cannot be opened. Only a regular
// file is read (a FIFO or device such as /dev/zero is refused without blocking), within `limits`.
Status StreamFile(const std::filesystem::path& path, ByteSink& sink,
                  const TransferLimits& limits = {});

// The errors for a transfer that trips its limits, with the settings that raise them.
Error TooLargeError(const std::string& shown, uint64_t max_bytes);
Error DeadlineError(const std::string& shown, std::chrono::milliseconds deadline);

}  // namespace bp
