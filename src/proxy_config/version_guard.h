// Version guardrails: grpc-proxy exits on a flag it does not know ("unknown flag"), so a sidecar
// with a setting its etcd predates would crash-loop. The helper refuses such a setting up front,
// naming the setting, the version it needs and the installed version.
//
// The first etcd that has each flag is the `since` column of ClusterFlagTable
// (cluster_options.cc), which cites the upstream source.
//
// The installed version comes from the record the build writes beside the etcd it installed
// (kEtcdVersionRecord, dependency/etcd.h), so `print` never runs etcd; without a record etcd
// --version is asked.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "proxy_config/cluster_options.h"

namespace bp {

namespace fs = std::filesystem;

// Returns the version of the etcd at `etcd` ("3.5.30"): the build's record when there is one,
// else what `run_version` (etcd --version) says.
Result<std::string> InstalledEtcdVersion(const fs::path& etcd,
                                         const std::function<Result<std::string>()>& run_version);

// Checks every cluster flag with a `since` version that `options` sets or `passthrough` names
// against the installed version, which `installed` is asked for only when one is used.
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
