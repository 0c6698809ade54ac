// The files a Cloud Foundry supply buildpack leaves in DEPS_DIR/DEPS_IDX, as text (pure):
// config.yml (required by the multi-buildpack contract), profile.d/etcdproxy.sh (PATH for the
// app and its sidecars) and the opt-in launch.yml that declares the etcd-proxy sidecar.
// Staging paths never appear in them: at run time the deps live under /home/vcap/deps.
#pragma once

#include <string>
#include <string_view>

namespace bp {

// Returns `text` as a YAML double-quoted scalar.
std::string YamlQuote(std::string_view text);

std::string ConfigYml(std::string_view buildpack_version, std::string_view etcd_version);

std::string ProfileScript(std::string_view deps_idx);

// Returns launch.yml declaring the etcd-proxy sidecar for web with a `memory_mb` limit.
std::string LaunchYml(std::string_view deps_idx, int memory_mb);

// True when Cloud Foundry's builder will not read this index's launch.yml: with 10 or more
// buildpacks it zero-pads DEPS_IDX ("00", "07"; buildpackapplifecycle builder_config.go DepsIndex)
// but reads sidecars from deps/<index unpadded>/launch.yml (buildpackrunner/runner.go
// MergeLaunchYML, strconv.Itoa), so a sidecar declared under a padded index is dropped silently.
bool BuilderIgnoresLaunchYml(std::string_view deps_idx);

}  // namespace bp
