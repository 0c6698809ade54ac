// The files a Cloud Foundry supply buildpack leaves in DEPS_DIR/DEPS_IDX, as text (pure):
// config.yml (required by the multi-buildpack contract), profile.d/etcdproxy.sh (PATH for the
// app and its sidecars) and the opt-in launch.yml that declares the etcd-proxy sidecar.
// Staging paths never appear in them: at run time the deps live under /home/vcap/deps.
#pragma once

#include <string>
#include <string_view>

#include "base/env.h"
#include "base/result.h"

namespace bp {

// Returns `text` as a YAML double-quoted scalar.
std::string YamlQuote(std::string_view text);

std::string ConfigYml(std::string_view buildpack_version, std::string_view etcd_version);

std::string ProfileScript(std::string_view deps_idx);

struct SidecarSettings {
  bool enabled = false;  // BP_ETCD_PROXY_SIDECAR
  int memory_mb = 64;    // BP_ETCD_PROXY_SIDECAR_MEMORY
};

// Reads BP_ETCD_PROXY_SIDECAR (true/false) and BP_ETCD_PROXY_SIDECAR_MEMORY (megabytes: "64",
// "64M" or "64MB"); kInvalidInput names the setting at fault.
Result<SidecarSettings> ReadSidecarSettings(const Env& env);

std::string LaunchYml(std::string_view deps_idx, const SidecarSettings& sidecar);

}  // namespace bp
