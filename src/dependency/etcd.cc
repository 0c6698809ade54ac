#include "dependency/etcd.h"

#include <chrono>
#include <system_error>

#include "base/files.h"
#include "base/strings.h"
#include "base/subprocess.h"

namespace bp {

Result<bool> EtcdProxyEnabled(const Env& env) {
  const std::optional<std::string> text = env.GetSetting("BP_ETCD_PROXY_ENABLED");
  if (!text) return true;
  const std::optional<bool> value = ParseBool(*text);
  if (!value) {
    return MakeError(ErrorKind::kInvalidInput, "BP_ETCD_PROXY_ENABLED=" + Quote(*text) + " is not true or false",
                     "set BP_ETCD_PROXY_ENABLED to true or false");
  }
  return *value;
}

VersionRequest EtcdVersionRequest(const Env& env, const BuildpackDescriptor& descriptor,
                                  const std::optional<VersionRequest>& fallback) {
  if (std::optional<std::string> version = env.GetSetting("BP_ETCD_VERSION")) return {*version, "BP_ETCD_VERSION"};
  if (fallback && !fallback->constraint.empty()) return *fallback;
  const auto it = descriptor.default_versions.find(kEtcdId);
  if (it != descriptor.default_versions.end() && !it->second.empty()) {
    return {it->second, "buildpack.toml default-versions"};
  }
  return {"*", "any version"};
}

Result<Dependency> ResolveEtcd(const BuildpackDescriptor& descriptor, const VersionRequest& request,
                               const Target& target) {
  Result<VersionConstraint> constraint = VersionConstraint::Parse(request.constraint);
  if (!constraint.ok()) return constraint.error().Wrap(request.source);
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

Env EtcdEnvironment(const Env& env, const std::string& host_arch) {
  Env result = env;
  if (host_arch == "arm64" && !env.Get("ETCD_UNSUPPORTED_ARCH")) result.Set("ETCD_UNSUPPORTED_ARCH", "arm64");
  return result;
}

Result<std::string> EtcdBinaryVersion(const fs::path& etcd) {
  Env env;
  env.Set("PATH", "/usr/bin:/bin");
  Result<CommandOutput> ran =
      RunCaptured({etcd.string(), "--version"}, EtcdEnvironment(env, HostTarget().arch), std::chrono::seconds(20));
  if (!ran.ok()) return ran.error();
  if (ran.value().exit_code != 0) {
    return MakeError(ErrorKind::kInvalidInput, etcd.string() + " --version failed with exit code " +
                                                   std::to_string(ran.value().exit_code));
  }
  for (const std::string& line : SplitList(ran.value().output, '\n')) {
    if (StartsWith(line, "etcd Version:")) return std::string(Trim(std::string_view(line).substr(13)));
  }
  return MakeError(ErrorKind::kInvalidInput, etcd.string() + " --version printed no \"etcd Version:\" line");
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
