#include "dependency/provision.h"

#include <algorithm>
#include <system_error>

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

}  // namespace

Result<InstallReport> InstallRelease(const Provision& what, const ReleaseInstall& request,
                                     Fetcher& fetcher, const RetryPolicy& retry, Logger& log) {
  InstallRequest install;
  install.uri = request.source.uri;
  install.sha256 = request.dependency.sha256;
  install.destination = request.destination;
  install.rules = PlacementRules(what, request.dependency.strip_components);
  install.keep_download_as = request.keep_download_as;
  install.check = [&](const fs::path& tree) -> Status {
    if (what.check) {
      Status checked = what.check(tree, request.dependency.version, request.target, log);
      if (!checked.ok()) return checked;
    }
    return CheckEveryBinary(what, tree, request.dependency);
  };
  Result<InstallReport> report = InstallArchive(install, fetcher, retry, log);
  if (!report.ok())
    return report.error().Wrap("installing " + what.id + " " + request.dependency.version);
  return report;
}

}  // namespace bp
