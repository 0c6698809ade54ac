// The settings of the build phases (detect, build, Cloud Foundry supply), read and checked once
// per phase before any work, so a bad value fails fast and nothing is half-written. (The download
// settings configure the network and are read with it: dependency/download_settings.h.)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/log.h"
#include "base/result.h"

namespace bp {

struct BuildSettings {
  std::optional<std::string>
      etcd_version;  // BP_ETCD_VERSION: a constraint, checked where it is resolved
  // BP_ETCD_BINARIES: the release's binaries to install, etcd first; each is checked against the
  // archive when it is unpacked.
  std::vector<std::string> etcd_binaries = {"etcd", "etcdctl"};
  // BP_ETCD_PROXY_ENABLED: true or false forces detect's answer; unset, the app decides.
  std::optional<bool> proxy_enabled;
  bool sidecar = false;        // BP_ETCD_PROXY_SIDECAR (Cloud Foundry)
  int sidecar_memory_mb = 64;  // BP_ETCD_PROXY_SIDECAR_MEMORY (Cloud Foundry)
};

// Returns the build settings of `env`; kInvalidInput names the first setting at fault.
Result<BuildSettings> ReadBuildSettings(const Env& env);

// BP_LOG_LEVEL=DEBUG (Paketo) or BP_DEBUG set to anything but false (libbuildpack). Never fails:
// the log level is needed to report every other failure.
LogLevel LogLevelFrom(const Env& env);

}  // namespace bp
