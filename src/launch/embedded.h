// Decisions of the in-container ("embedded") mode and the app wiring, pure so they
// are tested without processes. Its settings (BPL_ETCD_PROXY_EMBEDDED, _START_TIMEOUT) are read
// with the others by ReadLaunchSettings (proxy_config/proxy_settings.h). The effects live in
// exec_d.h and supervisor.h. exec.d runs before every process of the image;
// base/sidecar_marker.h says how it recognises the etcd-proxy process, which must not get a
// second proxy.
// For users: README, "One container: embedded mode".
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/env.h"
#include "base/sidecar_marker.h"
#include "launch/health.h"

namespace bp {

// Returns true when the launcher is starting the etcd-proxy process (see the marker above).
bool IsSidecarProcess(const Env& env);

// Returns the address clients use to reach `listener` (HealthTargetOf: a wildcard host is
// loopback there): https:// is added when the listener has TLS (BPL_ETCD_PROXY_LISTEN_CERT).
std::string ClientAddress(const HealthTarget& listener);

// Returns ETCDCTL_ENDPOINTS and ETCD_ENDPOINTS = `client_address`, leaving out any the app's
// environment already sets (a blank value counts as unset).
std::vector<std::pair<std::string, std::string>> AppEndpointVariables(
    const Env& env, const std::string& client_address);

// Returns `vars` as exec.d output: top-level `NAME = "value"` TOML pairs, one a line.
std::string ExecDToml(const std::vector<std::pair<std::string, std::string>>& vars);

}  // namespace bp
