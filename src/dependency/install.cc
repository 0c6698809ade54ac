#include "dependency/install.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <system_error>

#include "base/files.h"
#include "base/strings.h"
#include "dependency/verified_stream.h"

namespace bp {

namespace {

constexpr char kPartialDownloadPrefix[] = ".download-";

std::string StagingPrefix(const fs::path& destination) {
  return "." + destination.filename().string() + ".staging-";
}

// Returns the stale staging and partial-download directories a killed run may have left beside
// `destination`.
std::vector<fs::path> LeftoverStagingDirs(const fs::path& destination) {
  std::vector<fs::path> leftovers;
  const std::string prefix = StagingPrefix(destination);
  const std::string old_prefix = "." + destination.filename().string() + ".old-";
  std::error_code ec;
  for (fs::directory_iterator it(destination.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (StartsWith(name, prefix) || StartsWith(name, old_prefix) ||
        StartsWith(name, kPartialDownloadPrefix)) {
      leftovers.push_back(it->path());
    }
  }
  return leftovers;
}

void RemoveLeftovers(const ArchiveJob& job, Logger& log) {
  std::vector<fs::path> leftovers = LeftoverStagingDirs(job.destination);
  if (!job.keep_download_as.empty()) {
    const std::vector<fs::path> downloads = LeftoverStagingDirs(job.keep_download_as);
    leftovers.insert(leftovers.end(), downloads.begin(), downloads.end());
  }
  for (const fs::path& leftover : leftovers) {
    log.Debug("removing leftover " + leftover.string() + " from an interrupted run");
    RemoveAllQuietly(leftover);
  }
}

// Where an attempt writes the copy of the download it keeps: a partial-download directory beside
// `keep_download_as`, renamed into place only once verified.
struct KeptDownload {
  std::optional<ScopedTempDir> dir;
  fs::path partial;     // empty: nothing is kept
  std::string warning;  // why the download cannot be kept
};

// A cache that cannot take the download costs the next run a download, not this one.
KeptDownload PrepareKeptDownload(const fs::path& keep_download_as) {
  KeptDownload kept;
  if (keep_download_as.empty()) return kept;
  const fs::path cache = keep_download_as.parent_path();
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec) {
    kept.warning = "cannot create " + cache.string() + ": " + ec.message();
    return kept;
  }
  Result<ScopedTempDir> dir = ScopedTempDir::Create(cache, kPartialDownloadPrefix);
  if (!dir.ok()) {
    kept.warning = dir.error().message;
    return kept;
  }
  kept.dir.emplace(std::move(dir).value());
  kept.partial = kept.dir->path() / keep_download_as.filename();
  return kept;
}

// Streams the archive into `tree`, extracting while the bytes arrive; returns what was placed.
Result<ArchiveReport> StreamIntoTree(const ArchiveJob& job, const fs::path& tree,
                                     const fs::path& copy_to, Fetcher& fetcher) {
  ExtractReport extracted;
  auto consume = [&](ByteSource& source) -> Status {
    Result<ExtractReport> tarball = ExtractTarball(source, tree, job.rules);
    if (!tarball.ok()) return tarball.error();
    extracted = std::move(tarball).value();
    return Ok();
  };
  Result<StreamReport> streamed = StreamVerified(fetcher, job.uri, job.sha256, consume, copy_to);
  if (!streamed.ok()) return streamed.error();
  ArchiveReport report;
  report.bytes = streamed.value().bytes;
  report.placed = std::move(extracted.placed);
  return report;
}

// One attempt: everything happens inside a fresh staging directory that is removed on return.
Result<ArchiveReport> Attempt(const ArchiveJob& job, Fetcher& fetcher) {
  Result<ScopedTempDir> staging =
      ScopedTempDir::Create(job.destination.parent_path(), StagingPrefix(job.destination));
  if (!staging.ok()) return staging.error();
  const fs::path tree = staging.value().path() / "tree";
  std::error_code ec;
  fs::create_directory(tree, ec);
  if (ec) return MakeError(ErrorKind::kIo, "cannot create " + tree.string() + ": " + ec.message());
  KeptDownload kept = PrepareKeptDownload(job.keep_download_as);
  Result<ArchiveReport> report = StreamIntoTree(job, tree, kept.partial, fetcher);
  if (!report.ok()) return report.error();
  report.value().cache_warning = kept.warning;
  if (job.check) {
    Status checked = job.check(tree);
    if (!checked.ok()) return checked.error();
  }
  if (!kept.partial.empty() &&
      std::rename(kept.partial.c_str(), job.keep_download_as.c_str()) != 0) {
    report.value().cache_warning = "cannot keep the download at " + job.keep_download_as.string() +
                                   ": " + std::strerror(errno);
  }
  Status promoted = ReplaceDirectory(tree, job.destination);
  if (!promoted.ok()) return promoted.error();
  return report;
}

}  // namespace

Status DownloadVerified(const std::string& uri, const std::string& sha256,
                        const fs::path& destination, Fetcher& fetcher, const RetryPolicy& retry,
                        Logger& log) {
  std::error_code ec;
  fs::create_directories(destination.parent_path(), ec);
  if (ec)
    return MakeError(ErrorKind::kIo,
                     "cannot create " + destination.parent_path().string() + ": " + ec.message());
  return WithRetries(
      retry, log,
      [&](int) -> Status {
        Result<ScopedTempDir> staging =
            ScopedTempDir::Create(destination.parent_path(), kPartialDownloadPrefix);
        if (!staging.ok()) return staging.error();
        const fs::path partial = staging.value().path() / destination.filename();
        auto ignore = [](ByteSource&) {
          return Ok();
        };  // StreamVerified drains and hashes everything
        Result<StreamReport> streamed = StreamVerified(fetcher, uri, sha256, ignore, partial);
        if (!streamed.ok()) return streamed.error();
        if (std::rename(partial.c_str(), destination.c_str()) != 0) {
          return MakeError(ErrorKind::kIo, "cannot move the download to " + destination.string());
        }
        return Ok();
      },
      [&] { return fetcher.RequestedWait(); });
}

Result<ArchiveReport> UnpackArchive(const ArchiveJob& job, Fetcher& fetcher,
                                    const RetryPolicy& retry, Logger& log) {
  RemoveLeftovers(job, log);
  ArchiveReport report;
  int attempts = 0;
  Status status = WithRetries(
      retry, log,
      [&](int attempt) -> Status {
        attempts = attempt;
        Result<ArchiveReport> result = Attempt(job, fetcher);
        if (!result.ok()) return result.error();
        report = std::move(result).value();
        return Ok();
      },
      [&] { return fetcher.RequestedWait(); });
  if (!status.ok()) {
    std::error_code ec;
    if (!job.keep_download_as.empty())
      fs::remove(job.keep_download_as.parent_path(), ec);  // if empty
    return status.error();
  }
  report.attempts = attempts;
  return report;
}

}  // namespace bp
