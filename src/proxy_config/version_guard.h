// Version guardrails: grpc-proxy exits on a flag it does not know ("unknown flag"), so a sidecar
// with a setting its etcd predates would crash-loop. The helper refuses such a setting up front,
// naming the setting, the version it needs and the installed version.
//
// Minimum versions, from `cmd.Flags()` in etcd's server/etcdmain/grpc_proxy.go (etcdmain/ in 3.4):
//   --endpoints-auto-sync-interval                   3.5.5  (absent in v3.4.23 and v3.5.0–v3.5.4)
//   --dial-keepalive-time, --dial-keepalive-timeout  3.5.13 (absent in v3.4.23 and v3.5.0–v3.5.12)
//   --discovery-srv, --discovery-srv-name, --insecure-discovery, --max-send-bytes,
//   --max-recv-bytes,
//   --debug, --cert-file, --key-file, --trusted-ca-file: present in v3.4.23, v3.5.x and v3.6.14.
//
// The installed version comes from the record the build writes beside the etcd it installed
// (kEtcdVersionRecord, dependency/etcd.h), so `print` never runs etcd; without a record etcd
// --version is asked.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "proxy_config/cluster_options.h"

namespace bp {

namespace fs = std::filesystem;

struct GatedFlag {
  const char* flag;          // "--endpoints-auto-sync-interval"
  std::string_view setting;  // its setting, e.g. settings::kAutoSyncInterval.name
  std::optional<std::string> ClusterOptions::*option;  // the field that setting fills
  const char* minimum;                                 // "3.5.5"
};

// The flags that not every shipped etcd accepts.
const std::vector<GatedFlag>& GatedFlags();

// Returns the version of the etcd at `etcd` ("3.5.30"): the build's record when there is one,
// else what `run_version` (etcd --version) says.
Result<std::string> InstalledEtcdVersion(const fs::path& etcd,
                                         const std::function<Result<std::string>()>& run_version);

// Checks every gated setting in `options` and every gated flag in `passthrough` against the
// installed version, which `installed` is asked for only when one is used.
Status CheckVersionSupport(const ClusterOptions& options,
                           const std::vector<std::string>& passthrough,
                           const std::function<Result<std::string>()>& installed);

// Returns whether the grpc-proxy of etcd `version` follows the rules that begin with 3.5
// (server/etcdmain/grpc_proxy.go): it dials its own --advertise-client-url with the listener's TLS
// files (newProxyHealthClient; from 3.5.28 and in 3.6 it exits when that dial fails, before that
// its /proxy/health never answers healthy), and any client TLS flag makes it read --cert. An
// unparsable version counts as 3.5 or later: the shipped default is 3.6, and a refusal the user
// can correct beats a proxy that never serves.
bool FollowsEtcd35ProxyRules(const std::string& version);

}  // namespace bp
