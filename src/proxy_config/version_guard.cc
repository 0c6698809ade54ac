#include "proxy_config/version_guard.h"

#include <optional>
#include <system_error>

#include "base/etcd_program.h"
#include "base/files.h"
#include "base/settings.h"
#include "base/strings.h"
#include "base/version.h"

namespace bp {

namespace {

bool NamesFlag(const std::string& arg, const std::string& flag) {
  return arg == flag || StartsWith(arg, flag + "=");
}

}  // namespace

const std::vector<GatedFlag>& GatedFlags() {
  static const std::vector<GatedFlag> flags = {
      {"--endpoints-auto-sync-interval", settings::kAutoSyncInterval.name,
       &ClusterOptions::auto_sync_interval, "3.5.5"},
      {"--dial-keepalive-time", settings::kKeepaliveTime.name, &ClusterOptions::keepalive_time,
       "3.5.13"},
      {"--dial-keepalive-timeout", settings::kKeepaliveTimeout.name,
       &ClusterOptions::keepalive_timeout, "3.5.13"},
  };
  return flags;
}

Result<std::string> InstalledEtcdVersion(const fs::path& etcd,
                                         const std::function<Result<std::string>()>& run_version) {
  // <tree>/bin/etcd, possibly reached through Cloud Foundry's $DEPS_DIR/<idx>/bin/etcd link.
  std::error_code ec;
  const fs::path real = fs::canonical(etcd, ec);
  if (!ec) {
    // A missing or unusable record (ReadSmallFile refuses a directory or FIFO without blocking)
    // leaves the question to etcd.
    Result<std::string> text =
        ReadSmallFile(real.parent_path().parent_path() / kEtcdVersionRecord, 64);
    if (text.ok() && ParseVersion(Trim(text.value()))) return std::string(Trim(text.value()));
  }
  return run_version();
}

Status CheckVersionSupport(const ClusterOptions& options,
                           const std::vector<std::string>& passthrough,
                           const std::function<Result<std::string>()>& installed) {
  std::optional<std::string> version;
  for (const GatedFlag& gated : GatedFlags()) {
    std::string used;
    if ((options.*gated.option).has_value()) {
      used = std::string(gated.setting);
    } else {
      for (const std::string& arg : passthrough) {
        if (NamesFlag(arg, gated.flag)) used = std::string("the argument ") + gated.flag;
      }
    }
    if (used.empty()) continue;
    if (!version) {
      Result<std::string> asked = installed();
      if (!asked.ok()) return asked.error();
      version = asked.value();
    }
    const std::optional<Version> have = ParseVersion(*version);
    const std::optional<Version> need = ParseVersion(gated.minimum);
    if (have && need && CompareVersions(*have, *need) >= 0) continue;
    return MakeError(ErrorKind::kInvalidInput,
                     used + " (grpc-proxy " + gated.flag + ") needs etcd " + gated.minimum +
                         " or later, but the installed etcd is " + *version,
                     "build with BP_ETCD_VERSION=" + std::string(gated.minimum) +
                         " or later (e.g. 3.6.*), or unset it");
  }
  return Ok();
}

bool FollowsEtcd35ProxyRules(const std::string& version) {
  const std::optional<Version> v = ParseVersion(version);
  return !v || v->major > 3 || (v->major == 3 && v->minor >= 5);
}

}  // namespace bp
