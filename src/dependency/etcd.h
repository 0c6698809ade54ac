// What is specific to etcd, shared by the CNB build and the Cloud Foundry supply: which release
// to install, which files of its tarball matter, and the proof that the result is that release.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

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

// The installed version's record in an etcd install tree (<tree>/bin/etcd; the CNB etcd layer, or
// Cloud Foundry's $DEPS_DIR/<idx>/etcd), one line "3.5.30": the launch helper reads it at run time
// without running etcd (at launch the <layer>.toml files are gone).
inline constexpr char kEtcdVersionRecord[] = "etcd-version";

// A version constraint and where it came from, for the log ("BP_ETCD_VERSION", …).
struct VersionRequest {
  std::string constraint;
  std::string source;
};

// Returns BP_ETCD_PROXY_ENABLED (true when unset); kInvalidInput when it is not true or false.
Result<bool> EtcdProxyEnabled(const Env& env);

// Returns the request from BP_ETCD_VERSION, else `fallback` (e.g. the build plan's), else
// buildpack.toml's default-versions, else any version.
VersionRequest EtcdVersionRequest(const Env& env, const BuildpackDescriptor& descriptor,
                                  const std::optional<VersionRequest>& fallback);

// Returns the release of etcd to install for `target`; errors name the setting at fault.
Result<Dependency> ResolveEtcd(const BuildpackDescriptor& descriptor, const VersionRequest& request,
                               const Target& target);

// Returns the extraction rules for an etcd release tarball: etcd, etcdctl and etcdutl go to bin/.
ExtractRules EtcdExtractRules(int strip_components);

// Returns the environment etcd runs with: `env`, plus ETCD_UNSUPPORTED_ARCH=arm64 on arm64 hosts
// (etcd 3.4 refuses to start there without it; later versions ignore it).
Env EtcdEnvironment(const Env& env, const std::string& host_arch);

// Returns the version `etcd --version` prints for the binary at `etcd`.
Result<std::string> EtcdBinaryVersion(const fs::path& etcd);

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
