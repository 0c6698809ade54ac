// The streaming heart of every install: a worker thread fetches the artifact and hashes each
// byte as it arrives (optionally keeping a copy), while the caller's consumer reads the same
// bytes on this thread. Nothing is trusted until the digest matches the pinned sha256.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "base/result.h"
#include "dependency/byte_stream.h"
#include "dependency/fetcher.h"

namespace bp {

struct StreamReport {
  uint64_t bytes = 0;
  std::string sha256;
};

using StreamConsumer = std::function<Status(ByteSource& source)>;

// Streams `uri` through `consume` and verifies the digest. Whatever the consumer leaves unread
// is drained, so the digest covers the whole file. When `copy_to` is set the bytes are also
// written there (the file is complete only when this returns OK). Errors, most telling first:
// the transfer's own error; kChecksum (naming the uri, expected and actual digests); the
// consumer's error.
Result<StreamReport> StreamVerified(Fetcher& fetcher, const std::string& uri,
                                    const std::string& expected_sha256,
                                    const StreamConsumer& consume,
                                    const std::filesystem::path& copy_to = {});

}  // namespace bp
