// Unpacking an archive into a directory, all or nothing: fetch → hash → extract (into a
// staging directory beside the destination, while the bytes arrive) → verify the digest →
// check the staged tree → rename into place. A failure at any point leaves the destination
// as it was and removes the staging directory; transient network failures are retried.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/result.h"
#include "dependency/fetcher.h"
#include "dependency/retry.h"
#include "dependency/tarball.h"

namespace bp {

namespace fs = std::filesystem;

// What UnpackArchive does: which archive (its URI and pinned digest), where it goes and how.
struct ArchiveJob {
  std::string uri;
  std::string sha256;
  fs::path destination;  // created, or replaced as a whole
  ExtractRules rules;
  fs::path keep_download_as;  // optional: also keep the verified archive here
  // Checks the staged tree before it is promoted (e.g. runs `etcd --version`).
  std::function<Status(const fs::path& staged_tree)> check;
};

// What UnpackArchive did.
struct ArchiveReport {
  uint64_t bytes = 0;
  int attempts = 0;
  std::vector<std::string> placed;
  std::string cache_warning;  // why the verified download could not be kept (installed anyway)
};

// Downloads `uri` to `destination` (a file), verifying `sha256` while it streams; the file
// appears only once verified. Retries like UnpackArchive. Used to assemble offline packages.
Status DownloadVerified(const std::string& uri, const std::string& sha256,
                        const fs::path& destination, Fetcher& fetcher, const RetryPolicy& retry,
                        Logger& log);

// Runs `job` (see above), first removing what a killed run left beside its destination.
Result<ArchiveReport> UnpackArchive(const ArchiveJob& job, Fetcher& fetcher,
                                    const RetryPolicy& retry, Logger& log);

}  // namespace bp
