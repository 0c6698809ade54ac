// etcd as the buildpack provides it: the description the provisioning pipeline (provision.h)
// runs for the CNB build and the Cloud Foundry supply, and the proof that an unpacked tree is the
// release buildpack.toml pins.
#pragma once

#include <filesystem>
#include <string>

#include "base/build_settings.h"
#include "base/log.h"
#include "base/result.h"
#include "base/target.h"
#include "dependency/provision.h"

namespace bp {

namespace fs = std::filesystem;

inline constexpr char kEtcdId[] = "etcd";

// Returns etcd's description: BP_ETCD_VERSION asks for the version, BP_ETCD_BINARIES chooses the
// binaries (etcd first); the post-install check is CheckEtcdTree, then the tree's etcd-version
// record (kEtcdVersionRecord) is written.
Provision EtcdProvision(const BuildSettings& settings);

// Checks a staged etcd tree: bin/etcd exists and, when the target can run here, reports `version`.
Status CheckEtcdTree(const fs::path& tree, const std::string& version, const Target& target,
                     Logger& log);

}  // namespace bp
