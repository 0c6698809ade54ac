#include "proxy_config/version_guard.h"

#include <optional>
#include <system_error>

#include "base/etcd_program.h"
#include "base/files.h"
#include "base/strings.h"
#include "base/version.h"

namespace bp {

namespace {

bool NamesFlag(const std::string& arg, std::string_view flag) {
  return arg == flag || StartsWith(arg, std::string(flag) + "=");
}

// Returns who uses `row`'s flag: its setting's name, "the argument --flag", or "" for nobody.
std::string UseOf(const ClusterFlag& row, const ClusterOptions& options,
                  const std::vector<std::string>& passthrough) {
  if (row.argument(options)) return std::string(row.setting);
  for (const std::string& arg : passthrough) {
    if (NamesFlag(arg, row.flag)) return "the argument " + std::string(row.flag);
  }
  return "";
}

}  // namespace

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
  for (const ClusterFlag& row : ClusterFlagTable()) {
    if (row.since.empty()) continue;
    const std::string used = UseOf(row, options, passthrough);
    if (used.empty()) continue;
    if (!version) {
      Result<std::string> asked = installed();
      if (!asked.ok()) return asked.error();
      version = asked.value();
    }
    const std::optional<Version> have = ParseVersion(*version);
    const std::optional<Version> need = ParseVersion(row.since);
    if (have && need && CompareVersions(*have, *need) >= 0) continue;
    const std::string since(row.since);
    return MakeError(ErrorKind::kInvalidInput,
                     used + " (grpc-proxy " + std::string(row.flag) + ") needs etcd " + since +
                         " or later, but the installed etcd is " + *version,
                     "build with BP_ETCD_VERSION=" + since + " or later (e.g. 3.6.*), or unset it");
  }
  return Ok();
}

bool FollowsEtcd35ProxyRules(const std::string& version) {
  const std::optional<Version> v = ParseVersion(version);
  return !v || v->major > 3 || (v->major == 3 && v->minor >= 5);
}

}  // namespace bp
