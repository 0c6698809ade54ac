// What is specific to etcd, shared by the CNB build and the Cloud Foundry supply: which release
// to install, which files of its tarball matter, and the proof that the result is that release.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/build_settings.h"
#include "base/env.h"
#include "base/log.h"
#include "base/result.h"
#include "base/target.h"
#include "dependency/buildpack_toml.h"
#include "dependency/fetcher.h"
#include "dependency/install.h"
#include "dependency/source.h"

namespace bp {

namespace fs = std::filesystem;

inline constexpr char kEtcdId[] = "etcd";

// Where a version request came from, highest precedence first.
enum class VersionOrigin { kSetting, kBuildPlan, kDefaultVersions, kAnyVersion };

// A version constraint, where it came from, and how the log names that ("BP_ETCD_VERSION",
// "go.mod (build plan)", …).
struct VersionRequest {
  std::string constraint;
  VersionOrigin origin = VersionOrigin::kAnyVersion;
  std::string label;
};

// Returns the request from BP_ETCD_VERSION (`settings`), else `fallback` (e.g. the build plan's),
// else buildpack.toml's default-versions, else any version.
VersionRequest EtcdVersionRequest(const BuildSettings& settings, const BuildpackDescriptor& descriptor,
                                  const std::optional<VersionRequest>& fallback);

// Returns the release of etcd to install for `target`; errors name the setting at fault.
Result<Dependency> ResolveEtcd(const BuildpackDescriptor& descriptor, const VersionRequest& request,
                               const Target& target);

// Returns the extraction rules for an etcd release tarball: etcd, etcdctl and etcdutl go to bin/.
ExtractRules EtcdExtractRules(int strip_components);

// Checks a staged etcd tree: bin/etcd exists and, when the target can run here, reports `version`.
Status CheckEtcdTree(const fs::path& tree, const std::string& version, const Target& target, Logger& log);

struct EtcdInstall {
  Dependency dependency;
  ArtifactSource source;
  fs::path destination;
  fs::path keep_download_as;  // optional (Cloud Foundry download cache)
  Target target;
};

// Fetches, verifies and unpacks etcd into `destination` (see install.h for the guarantees).
Result<InstallReport> InstallEtcd(const EtcdInstall& request, Fetcher& fetcher, const RetryPolicy& retry, Logger& log);

}  // namespace bp
