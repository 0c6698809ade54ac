// launch.toml: the processes this buildpack contributes to the image (buildpacks/spec
// buildpack.md "launch.toml", API 0.9+: `command` is an array, user arguments replace `args`).
#pragma once

#include <string>
#include <vector>

namespace bp {

struct Process {
  std::string type;
  std::vector<std::string> command;
  std::vector<std::string> args;
  bool is_default = false;
};

// The sidecar process: `etcd-proxy` (the launch helper), not the image's default.
Process EtcdProxyProcess();

// Returns the text of launch.toml for `processes`.
std::string LaunchToml(const std::vector<Process>& processes);

}  // namespace bp
