// The network seam: a Fetcher streams the body behind a URI into a ByteSink. The real one is
// CurlFetcher; unit tests use a fake that serves bytes from memory.
#pragma once

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
};

// Streams the local file at `path` into `sink`; kNotFound when it does not exist.
Status StreamFile(const std::filesystem::path& path, ByteSink& sink);

}  // namespace bp
