#include "dependency/provision.h"

#include <algorithm>
#include <system_error>

#include "base/files.h"
#include "base/strings.h"
#include "dependency/deprecation.h"

namespace bp {

std::vector<std::string> PlacedFiles(const Provision& what) {
  std::vector<std::string> files;
  for (const std::string& binary : what.binaries) files.push_back("bin/" + binary);
  files.insert(files.end(), what.written_files.begin(), what.written_files.end());
  return files;
}

std::string LayoutKey(const Provision& what) { return Join(PlacedFiles(what), " "); }

VersionRequest RequestFor(const Provision& what, const BuildpackDescriptor& descriptor,
                          const std::optional<VersionRequest>& fallback) {
  VersionRequest request;
  if (what.requested_version) {
    request.constraint = *what.requested_version;
    request.origin = VersionOrigin::kSetting;
    request.label = what.version_setting;
    return request;
  }
  if (fallback && !fallback->constraint.empty()) return *fallback;
  const auto it = descriptor.default_versions.find(what.id);
  if (it != descriptor.default_versions.end() && !it->second.empty()) {
    request.constraint = it->second;
    request.origin = VersionOrigin::kDefaultVersions;
    request.label = "buildpack.toml default-versions";
    return request;
  }
  request.constraint = "*";
  request.origin = VersionOrigin::kAnyVersion;
  request.label = "any version";
  return request;
}

Result<Selection> SelectRelease(const Provision& what, const BuildpackDescriptor& descriptor,
                                const std::optional<VersionRequest>& fallback, const Target& target,
                                std::chrono::system_clock::time_point today) {
  Selection selection;
  selection.request = RequestFor(what, descriptor, fallback);
  Result<VersionConstraint> constraint = VersionConstraint::Parse(selection.request.constraint);
  if (!constraint.ok()) return constraint.error().Wrap(selection.request.label);
  Result<Dependency> dep = ResolveDependency(descriptor.dependencies, what.id, constraint.value(),
                                             target, what.version_setting);
  if (!dep.ok()) return dep.error();
  selection.dependency = std::move(dep).value();
  selection.deprecation_warning = DeprecationWarning(selection.dependency, today);
  return selection;
}

ExtractRules PlacementRules(const Provision& what, int strip_components) {
  ExtractRules rules;
  rules.strip_components = strip_components;
  rules.place = [binaries = what.binaries](std::string_view path) -> std::string {
    const bool wanted = std::find(binaries.begin(), binaries.end(), path) != binaries.end();
    return wanted ? "bin/" + std::string(path) : "";
  };
  return rules;
}

namespace {

Status CheckEveryBinary(const Provision& what, const fs::path& tree, const Dependency& dep) {
  std::error_code ec;
  for (const std::string& binary : what.binaries) {
    if (fs::is_regular_file(tree / "bin" / binary, ec)) continue;
    return MakeError(ErrorKind::kInvalidInput,
                     what.binaries_setting + " names " + binary + ", which the " + what.id + " " +
                         dep.version + " archive does not hold",
                     "leave " + binary + " out of " + what.binaries_setting +
                         ", or choose a release that has it");
  }
  return Ok();
}

// The job that unpacks `delivery`'s release from `source`, placing what `what` describes and
// checking the result before it is promoted.
ArchiveJob ArchiveJobFor(const Provision& what, const ReleaseDelivery& delivery,
                         const ArtifactSource& source, Logger& log) {
  const Dependency& dep = delivery.dependency;
  ArchiveJob job;
  job.uri = source.uri;
  job.sha256 = dep.sha256;
  job.destination = delivery.destination;
  job.rules = PlacementRules(what, dep.strip_components);
  if (!source.IsLocal() && !delivery.sources.download_cache_dir.empty())
    job.keep_download_as = CachedArtifactPath(delivery.sources.download_cache_dir, dep);
  job.check = [&what, &delivery, &log](const fs::path& tree) -> Status {
    if (what.check) {
      Status checked = what.check(tree, delivery.dependency.version, delivery.target, log);
      if (!checked.ok()) return checked;
    }
    return CheckEveryBinary(what, tree, delivery.dependency);
  };
  return job;
}

// Unpacks the release from the source ChooseSource picks in `sources`; `from` says which kind.
Result<ArchiveReport> UnpackFromChosenSource(const Provision& what, const ReleaseDelivery& delivery,
                                             const SourceSettings& sources, SourceKind* from,
                                             Fetcher& fetcher, const RetryPolicy& retry,
                                             Logger& log) {
  const Dependency& dep = delivery.dependency;
  Result<ArtifactSource> source = ChooseSource(dep, sources);
  if (!source.ok()) return source.error();
  *from = source.value().kind;
  if (delivery.announce_source) delivery.announce_source(source.value());
  Result<ArchiveReport> report =
      UnpackArchive(ArchiveJobFor(what, delivery, source.value(), log), fetcher, retry, log);
  if (!report.ok()) return report.error().Wrap("installing " + what.id + " " + dep.version);
  return report;
}

}  // namespace

Result<ArchiveReport> InstallRelease(const Provision& what, const ReleaseDelivery& delivery,
                                     Fetcher& fetcher, const RetryPolicy& retry, Logger& log) {
  SourceKind from = SourceKind::kUpstream;
  Result<ArchiveReport> report =
      UnpackFromChosenSource(what, delivery, delivery.sources, &from, fetcher, retry, log);
  if (report.ok() || report.error().kind != ErrorKind::kChecksum ||
      from != SourceKind::kDownloadCache) {
    return report;
  }
  // A cached file that no longer verifies would fail every restage: drop it and fetch afresh.
  log.Warning("the cached download failed verification (" + OneLine(report.error()) +
              "); discarding it and downloading again");
  const fs::path cached =
      CachedArtifactPath(delivery.sources.download_cache_dir, delivery.dependency);
  RemoveAllQuietly(cached.parent_path());
  SourceSettings without_cache = delivery.sources;
  without_cache.download_cache_dir.clear();
  return UnpackFromChosenSource(what, delivery, without_cache, &from, fetcher, retry, log);
}

Status DownloadRelease(const Dependency& dep, const SourceSettings& sources,
                       const fs::path& destination, const SourceAnnouncer& announce,
                       Fetcher& fetcher, const RetryPolicy& retry, Logger& log) {
  Result<ArtifactSource> source = ChooseSource(dep, sources);
  if (!source.ok()) return source.error();
  if (announce) announce(source.value());
  return DownloadVerified(source.value().uri, dep.sha256, destination, fetcher, retry, log);
}

}  // namespace bp
