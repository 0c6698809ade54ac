// Cloud Foundry's supply phase (bin/supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX), on the same
// resolution, download, verification and extraction as the CNB build. It writes only into
// DEPS_DIR/DEPS_IDX and CACHE_DIR:
//   etcd/bin/{etcd,etcdctl[,etcdutl]}    the verified release
//   bin/etcd, bin/etcdctl → ../etcd/bin/… relative links; bin/etcd-proxy, the launch helper
//   config.yml, profile.d/etcdproxy.sh, and launch.yml when BP_ETCD_PROXY_SIDECAR=true
// Downloads are kept in CACHE_DIR/dependencies/<sha256>/, so a restage needs no network.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"
#include "base/target.h"
#include "dependency/services.h"

namespace bp {

namespace fs = std::filesystem;

struct SupplyContext {
  fs::path build_dir;
  fs::path cache_dir;
  fs::path deps_dir;
  std::string deps_idx;  // opaque: "0", "3", "00"
  fs::path buildpack_dir;
  Env env;
  Target target;

  fs::path DepDir() const { return deps_dir / deps_idx; }
};

// Validates the four arguments; kInvalidInput says what is wrong with them.
Result<SupplyContext> SupplyContextFrom(const Env& env, const std::vector<std::string>& args,
                                        const fs::path& self_dir);

Status Supply(const SupplyContext& context, Services& services);

}  // namespace bp
