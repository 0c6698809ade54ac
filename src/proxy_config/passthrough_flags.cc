#include "proxy_config/passthrough_flags.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "base/settings.h"
#include "base/strings.h"
#include "proxy_config/cluster_options.h"
#include "proxy_config/proxy_command.h"

namespace bp {

namespace {

struct ManagedFlag {
  std::string_view flag;
  std::string_view setting;
  bool checked;  // refused even when the helper leaves it unset: a check depends on its absence
};

// The grpc-proxy flags that come from settings (proxy_command.cc, listener_security.cc); the
// cluster flags are ClusterFlagTable's.
constexpr ManagedFlag kManagedFlags[] = {
    {"--endpoints", settings::kEndpoints.name, true},
    {"--listen-addr", settings::kListenAddr.name, true},
    {"--advertise-client-url", settings::kAdvertiseAddr.name, true},
    {"--data-dir", settings::kDataDir.name, false},
    {"--namespace", settings::kNamespace.name, false},
    {"--cacert", settings::kCaCert.name, true},
    {"--cert", settings::kCert.name, true},
    {"--key", settings::kKey.name, true},
    {"--insecure-skip-tls-verify", settings::kInsecureSkipTlsVerify.name, true},
    {"--metrics-addr", settings::kMetricsAddr.name, true},
    {"--cert-file", settings::kListenCert.name, true},
    {"--key-file", settings::kListenKey.name, true},
    {"--trusted-ca-file", settings::kListenClientCa.name, true},
    {"--auto-tls", settings::kListenCert.name, true},
};

std::optional<ManagedFlag> FindManaged(const std::string& name) {
  for (const ManagedFlag& managed : kManagedFlags) {
    if (managed.flag == name) return managed;
  }
  for (const ClusterFlag& row : ClusterFlagTable()) {
    if (row.flag == name) return ManagedFlag{row.flag, row.setting, row.checked};
  }
  return std::nullopt;
}

// Returns "--listen-addr" for "--listen-addr=x", "-listen-addr" or "--listen-addr"; "" for a
// value that is not a flag.
std::string FlagName(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-') return "";
  const size_t dashes = arg[1] == '-' ? 2 : 1;
  return "--" + arg.substr(dashes, arg.find('=') == std::string::npos ? std::string::npos
                                                                      : arg.find('=') - dashes);
}

}  // namespace

Status CheckPassthrough(const std::vector<std::string>& helper_flags,
                        const std::vector<std::string>& passthrough) {
  for (const std::string& arg : passthrough) {
    const std::string name = FlagName(arg);
    if (name.empty()) continue;
    const std::optional<ManagedFlag> managed = FindManaged(name);
    const bool set_by_helper =
        std::any_of(helper_flags.begin(), helper_flags.end(),
                    [&](const std::string& flag) { return FlagName(flag) == name; });
    if (!set_by_helper && (!managed || !managed->checked)) continue;
    const std::string setting = managed ? std::string(managed->setting) : "";
    return MakeError(
        ErrorKind::kInvalidInput,
        "the argument " + RedactArgument(arg) + " sets grpc-proxy's " + name +
            ", which the helper " +
            (setting.empty() ? std::string("sets itself") : "sets and checks from " + setting),
        setting.empty() ? "remove the argument"
                        : "remove the argument and set " + setting + " instead");
  }
  return Ok();
}

}  // namespace bp
