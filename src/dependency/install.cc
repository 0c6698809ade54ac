#include "dependency/install.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
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

// One attempt: everything happens inside a fresh staging directory that is removed on return.
Result<InstallReport> Attempt(const InstallRequest& request, Fetcher& fetcher) {
  Result<ScopedTempDir> staging =
      ScopedTempDir::Create(request.destination.parent_path(), StagingPrefix(request.destination));
  if (!staging.ok()) return staging.error();
  const fs::path tree = staging.value().path() / "tree";
  std::error_code ec;
  fs::create_directory(tree, ec);
  if (ec) return MakeError(ErrorKind::kIo, "cannot create " + tree.string() + ": " + ec.message());

  // A cache that cannot take the download costs the next run a download, not this one.
  InstallReport report;
  std::optional<ScopedTempDir> download_dir;
  fs::path download;
  if (!request.keep_download_as.empty()) {
    const fs::path cache = request.keep_download_as.parent_path();
    fs::create_directories(cache, ec);
    Result<ScopedTempDir> dir =
        ec ? Result<ScopedTempDir>(
                 MakeError(ErrorKind::kIo, "cannot create " + cache.string() + ": " + ec.message()))
           : ScopedTempDir::Create(cache, kPartialDownloadPrefix);
    if (dir.ok()) {
      download_dir.emplace(std::move(dir).value());
      download = download_dir->path() / request.keep_download_as.filename();
    } else {
      report.cache_warning = dir.error().message;
    }
  }

  ExtractReport extracted;
  auto consume = [&](ByteSource& source) -> Status {
    Result<ExtractReport> tarball = ExtractTarball(source, tree, request.rules);
    if (!tarball.ok()) return tarball.error();
    extracted = std::move(tarball).value();
    return Ok();
  };
  Result<StreamReport> streamed =
      StreamVerified(fetcher, request.uri, request.sha256, consume, download);
  if (!streamed.ok()) return streamed.error();
  if (request.check) {
    Status checked = request.check(tree);
    if (!checked.ok()) return checked.error();
  }
  if (!download.empty() && std::rename(download.c_str(), request.keep_download_as.c_str()) != 0) {
    report.cache_warning = "cannot keep the download at " + request.keep_download_as.string() +
                           ": " + std::strerror(errno);
  }
  Status promoted = ReplaceDirectory(tree, request.destination);
  if (!promoted.ok()) return promoted.error();
  report.bytes = streamed.value().bytes;
  report.placed = std::move(extracted.placed);
  return report;
}

}  // namespace

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

Result<InstallReport> InstallArchive(const InstallRequest& request, Fetcher& fetcher,
                                     const RetryPolicy& retry, Logger& log) {
  std::vector<fs::path> leftovers = LeftoverStagingDirs(request.destination);
  if (!request.keep_download_as.empty()) {
    const std::vector<fs::path> downloads = LeftoverStagingDirs(request.keep_download_as);
    leftovers.insert(leftovers.end(), downloads.begin(), downloads.end());
  }
  for (const fs::path& leftover : leftovers) {
    log.Debug("removing leftover " + leftover.string() + " from an interrupted run");
    RemoveAllQuietly(leftover);
  }
  InstallReport report;
  int attempts = 0;
  Status status = WithRetries(
      retry, log,
      [&](int attempt) -> Status {
        attempts = attempt;
        Result<InstallReport> result = Attempt(request, fetcher);
        if (!result.ok()) return result.error();
        report = std::move(result).value();
        return Ok();
      },
      [&] { return fetcher.RequestedWait(); });
  if (!status.ok()) {
    std::error_code ec;
    if (!request.keep_download_as.empty())
      fs::remove(request.keep_download_as.parent_path(), ec);  // if empty
    return status.error();
  }
  report.attempts = attempts;
  return report;
}

}  // namespace bp
