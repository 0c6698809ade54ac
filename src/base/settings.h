// Every setting a user gives the buildpack, declared once in the table below, and the readers
// that turn them into typed values. Every reader words a bad value the same way:
//   NAME="value" is not <what it must be>        hint: set NAME to <what it accepts>
// Blank values count as unset (Env::GetSetting).
//
// Adding a setting: one declaration here, one [[metadata.configurations]] entry in buildpack.toml
// and one row in the README's settings table; read it once per phase (BuildSettings in
// build_settings.h, the launch helper's in proxy_config/). settings_test fails when the three
// disagree or when a declared setting is read nowhere.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/address.h"
#include "base/env.h"
#include "base/result.h"

namespace bp {

// Free text (a version constraint, a path, a name); only blank is "unset".
struct TextSetting {
  std::string_view name;
};

struct BoolSetting {
  std::string_view name;
  bool fallback = false;
};

// A whole number in [min, max], optionally written with its unit ("64" or "64M" for MB).
struct IntegerSetting {
  std::string_view name;
  long fallback = 0;
  long min = 0;
  long max = 0;
  std::string_view unit = "";  // "MB": accepts a trailing M or MB, any case
};

// A whole number of seconds in [min, max].
struct DurationSetting {
  std::string_view name;
  std::chrono::seconds fallback{0};
  std::chrono::seconds min{1};
  std::chrono::seconds max{3600};
};

// A Go duration as etcd's flags take it ("30s", "1m30s", "500ms"); a bare number is seconds.
// Read as the normalised text, since it is handed on to etcd unchanged.
struct GoDurationSetting {
  std::string_view name;
};

// host:port (":port" for every interface, "[::1]:port" for IPv6), no scheme or path; read as
// the text and what it means (base/address.h).
struct AddressSetting {
  std::string_view name;
};

// A comma-separated list; items are trimmed and empty ones dropped.
struct ListSetting {
  std::string_view name;
};

namespace settings {
// Build: detect, build and Cloud Foundry supply.
inline constexpr TextSetting kEtcdVersion{"BP_ETCD_VERSION"};
inline constexpr ListSetting kEtcdBinaries{"BP_ETCD_BINARIES"};  // etcd is always installed
inline constexpr BoolSetting kProxyEnabled{
    "BP_ETCD_PROXY_ENABLED"};  // unset: the app decides (detect)
inline constexpr TextSetting kDependencyMirror{
    "BP_DEPENDENCY_MIRROR"};  // and BP_DEPENDENCY_MIRROR_<HOST>
inline constexpr DurationSetting kConnectTimeout{"BP_DOWNLOAD_CONNECT_TIMEOUT",
                                                 std::chrono::seconds(30)};
inline constexpr DurationSetting kStallTimeout{"BP_DOWNLOAD_STALL_TIMEOUT",
                                               std::chrono::seconds(60)};
inline constexpr DurationSetting kDownloadTimeout{
    "BP_DOWNLOAD_TIMEOUT", std::chrono::seconds(600), std::chrono::seconds(1),
    std::chrono::seconds(86400)};  // one whole transfer
inline constexpr IntegerSetting kDownloadMaxSizeMb{"BP_DOWNLOAD_MAX_SIZE_MB", 256, 1, 65536, "MB"};
inline constexpr TextSetting kLogLevel{"BP_LOG_LEVEL"};
inline constexpr TextSetting kDebug{"BP_DEBUG"};  // libbuildpack's: anything but false means debug
inline constexpr BoolSetting kSidecar{"BP_ETCD_PROXY_SIDECAR", false};
inline constexpr IntegerSetting kSidecarMemory{"BP_ETCD_PROXY_SIDECAR_MEMORY", 64, 16, 65536, "MB"};
// Launch: the etcd-proxy helper.
inline constexpr ListSetting kEndpoints{"BPL_ETCD_PROXY_ENDPOINTS"};
inline constexpr AddressSetting kListenAddr{"BPL_ETCD_PROXY_LISTEN_ADDR"};
inline constexpr TextSetting kNamespace{"BPL_ETCD_PROXY_NAMESPACE"};
inline constexpr TextSetting kCaCert{"BPL_ETCD_PROXY_CACERT"};
inline constexpr TextSetting kCert{"BPL_ETCD_PROXY_CERT"};
inline constexpr TextSetting kKey{"BPL_ETCD_PROXY_KEY"};
inline constexpr TextSetting kMetricsAddr{"BPL_ETCD_PROXY_METRICS_ADDR"};  // a URL or host:port
inline constexpr BoolSetting kInsecureSkipTlsVerify{"BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY",
                                                    false};
inline constexpr TextSetting kDataDir{"BPL_ETCD_PROXY_DATA_DIR"};
inline constexpr TextSetting kBinding{"BPL_ETCD_PROXY_BINDING"};
inline constexpr BoolSetting kEmbedded{"BPL_ETCD_PROXY_EMBEDDED", false};
inline constexpr DurationSetting kStartTimeout{"BPL_ETCD_PROXY_START_TIMEOUT",
                                               std::chrono::seconds(30), std::chrono::seconds(0)};
inline constexpr DurationSetting kShutdownDelay{"BPL_ETCD_PROXY_SHUTDOWN_DELAY",
                                                std::chrono::seconds(0),
                                                std::chrono::seconds(0)};  // 0: plain execve
// The proxy's cluster-facing options and its listener (proxy_config/cluster_options.cc).
inline constexpr GoDurationSetting kAutoSyncInterval{"BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL"};
inline constexpr GoDurationSetting kKeepaliveTime{"BPL_ETCD_PROXY_KEEPALIVE_TIME"};
inline constexpr GoDurationSetting kKeepaliveTimeout{"BPL_ETCD_PROXY_KEEPALIVE_TIMEOUT"};
inline constexpr BoolSetting kInsecureDiscovery{"BPL_ETCD_PROXY_INSECURE_DISCOVERY", false};
inline constexpr BoolSetting kDebugProxy{"BPL_ETCD_PROXY_DEBUG", false};
inline constexpr BoolSetting kAllowInsecureListen{"BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN", false};
inline constexpr IntegerSetting kMaxSendBytes{"BPL_ETCD_PROXY_MAX_SEND_BYTES", 0, 1, 2147483647};
inline constexpr IntegerSetting kMaxRecvBytes{"BPL_ETCD_PROXY_MAX_RECV_BYTES", 0, 1, 2147483647};
inline constexpr TextSetting kDiscoverySrv{"BPL_ETCD_PROXY_DISCOVERY_SRV"};
inline constexpr TextSetting kDiscoverySrvName{"BPL_ETCD_PROXY_DISCOVERY_SRV_NAME"};
inline constexpr TextSetting kListenCert{"BPL_ETCD_PROXY_LISTEN_CERT"};
inline constexpr TextSetting kListenKey{"BPL_ETCD_PROXY_LISTEN_KEY"};
inline constexpr TextSetting kListenClientCa{"BPL_ETCD_PROXY_LISTEN_CLIENT_CA"};
inline constexpr TextSetting kAdvertiseAddr{"BPL_ETCD_PROXY_ADVERTISE_ADDR"};
}  // namespace settings

// The readers. The Optional forms return nullopt when the setting is unset (for overlays that
// must tell "unset" from "set to the default"); the others return the declared fallback.
std::optional<std::string> Read(const Env& env, const TextSetting& setting);
Result<bool> Read(const Env& env, const BoolSetting& setting);
Result<std::optional<bool>> ReadOptional(const Env& env, const BoolSetting& setting);
Result<long> Read(const Env& env, const IntegerSetting& setting);
Result<std::optional<long>> ReadOptional(const Env& env, const IntegerSetting& setting);
Result<std::chrono::seconds> Read(const Env& env, const DurationSetting& setting);
Result<std::optional<std::string>> Read(const Env& env, const GoDurationSetting& setting);
Result<std::optional<ListenAddress>> Read(const Env& env, const AddressSetting& setting);
std::optional<std::vector<std::string>> Read(const Env& env, const ListSetting& setting);

// Returns `text` as a Go duration etcd accepts ("30s", "1m30s", "500ms"); a bare number is
// seconds. nullopt when it is neither (negative values included).
std::optional<std::string> NormalizeDuration(const std::string& text);

// Returns the error every reader gives: NAME="value" is not <what>; hint "set NAME to <accepted>".
Error InvalidSetting(std::string_view name, std::string_view value, std::string_view what,
                     std::string_view accepted);

}  // namespace bp
