#include "dependency/etcd.h"

#include <system_error>

#include "base/etcd_program.h"
#include "base/files.h"
#include "base/settings.h"

namespace bp {

VersionRequest EtcdVersionRequest(const BuildSettings& settings, const BuildpackDescriptor& descriptor,
                                  const std::optional<VersionRequest>& fallback) {
  VersionRequest request;
  if (settings.etcd_version) {
    request.constraint = *settings.etcd_version;
    request.origin = VersionOrigin::kSetting;
    request.label = std::string(settings::kEtcdVersion.name);
    return request;
  }
  if (fallback && !fallback->constraint.empty()) return *fallback;
  const auto it = descriptor.default_versions.find(kEtcdId);
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

Result<Dependency> ResolveEtcd(const BuildpackDescriptor& descriptor, const VersionRequest& request,
                               const Target& target) {
  Result<VersionConstraint> constraint = VersionConstraint::Parse(request.constraint);
  if (!constraint.ok()) return constraint.error().Wrap(request.label);
  return ResolveDependency(descriptor.dependencies, kEtcdId, constraint.value(), target);
}

ExtractRules EtcdExtractRules(int strip_components) {
  ExtractRules rules;
  rules.strip_components = strip_components;
  rules.place = [](std::string_view path) -> std::string {
    if (path == "etcd" || path == "etcdctl" || path == "etcdutl") return "bin/" + std::string(path);
    return "";
  };
  return rules;
}

Status CheckEtcdTree(const fs::path& tree, const std::string& version, const Target& target, Logger& log) {
  const fs::path etcd = tree / "bin" / "etcd";
  std::error_code ec;
  if (!fs::is_regular_file(etcd, ec)) {
    return MakeError(ErrorKind::kInvalidInput, "the archive has no etcd binary",
                     "an etcd release tarball holds etcd-v<version>-<os>-<arch>/etcd");
  }
  if (!(target == HostTarget())) {
    log.Debug("not running etcd --version: the target " + target.ToString() + " cannot run here");
    return Ok();
  }
  Result<std::string> reported = EtcdBinaryVersion(etcd);
  if (!reported.ok()) return reported.error();
  if (reported.value() != version) {
    return MakeError(ErrorKind::kInvalidInput,
                     "etcd --version reports " + reported.value() + " but buildpack.toml pins " + version,
                     "the archive does not hold the release its metadata names");
  }
  log.Debug("etcd --version reports " + reported.value());
  return Ok();
}

Result<InstallReport> InstallEtcd(const EtcdInstall& request, Fetcher& fetcher, const RetryPolicy& retry, Logger& log) {
  InstallRequest install;
  install.uri = request.source.uri;
  install.sha256 = request.dependency.sha256;
  install.destination = request.destination;
  install.rules = EtcdExtractRules(request.dependency.strip_components);
  install.keep_download_as = request.keep_download_as;
  install.check = [&](const fs::path& tree) {
    Status checked = CheckEtcdTree(tree, request.dependency.version, request.target, log);
    if (!checked.ok()) return checked;
    return WriteFileAtomic(tree / kEtcdVersionRecord, request.dependency.version + "\n", fs::perms(0644));
  };
  Result<InstallReport> report = InstallArchive(install, fetcher, retry, log);
  if (!report.ok()) return report.error().Wrap("installing etcd " + request.dependency.version);
  return report;
}

}  // namespace bp
