// Finding an etcd client among the app's dependency manifests: a bounded walk of the
// app directory that reads each manifest as text (see manifests/etcd_clients.h). The walk never
// fails: what it cannot read or list gives no evidence.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace bp {

namespace fs = std::filesystem;

struct ManifestScanLimits {
  std::uintmax_t max_manifest_bytes = 1 << 20;  // larger files are skipped, not truncated
  std::uintmax_t max_total_bytes =
      4 << 20;                 // then no more manifests are read (a 1 MiB one parses in ~0.3 s)
  size_t max_manifests = 64;   // manifests read
  size_t max_entries = 20000;  // directory entries looked at
  int max_depth = 3;           // subdirectory levels below the app root
};

struct ClientEvidence {
  std::string client;  // "etcd3", "io.etcd:jetcd-core"
  fs::path manifest;   // relative to the app directory
};

// Returns the first client found walking `app_dir` breadth first, names sorted: the root's
// manifests before any subdirectory's. Hidden directories, symlinked directories and trees of
// installed or built dependencies (node_modules, vendor, target, build, …) are not entered.
std::optional<ClientEvidence> FindEtcdClientInApp(const fs::path& app_dir,
                                                  const ManifestScanLimits& limits = {});

}  // namespace bp
