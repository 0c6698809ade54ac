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
// binaries (etcd first); the post-install check requires bin/etcd and, when the target can run
// here, that it reports the pinned version, then writes the tree's etcd-version record
// (kEtcdVersionRecord).
Provision EtcdProvision(const BuildSettings& settings);

}  // namespace bp
