// The proxy's configuration as each source sees it. Three sources, highest precedence first:
// BPL_ETCD_PROXY_* variables, a Kubernetes service binding of type etcd, and Cloud Foundry's
// VCAP_SERVICES. A field set by a higher source overrides that field only, so an operator can
// bind a service and still pick the listen address or add a namespace.
//
// The launch settings (every BPL_ETCD_PROXY_* variable) are read once, by ReadLaunchSettings:
// the planner, exec.d, the embedded mode, the sidecar's shutdown delay and `etcd-proxy health`
// all take their values from that one reading, so a bad value fails every command the same way.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/address.h"
#include "base/env.h"
#include "base/result.h"
#include "proxy_config/cluster_options.h"

namespace bp {

inline constexpr char kDefaultListenAddr[] = "127.0.0.1:2379";

// TLS material for the connection to etcd: a file the user named, or PEM text (from
// VCAP_SERVICES) that the helper writes to a private file before starting the proxy.
struct TlsFile {
  std::string path;
  std::string pem;
  std::string origin;  // the setting it came from, for messages: "BPL_ETCD_PROXY_CERT"
};

struct ProxySettings {
  std::optional<std::vector<std::string>> endpoints;
  std::string endpoints_origin;
  std::string endpoints_file;  // the file they were read from: messages name it, never quote it
  std::optional<ListenAddress> listen_addr;  // checked when read
  std::optional<std::string> key_prefix;     // --namespace
  std::optional<TlsFile> cacert;
  std::optional<TlsFile> cert;
  std::optional<TlsFile> key;
  std::optional<std::string> metrics_addr;
  std::optional<bool> insecure_skip_tls_verify;
  std::optional<std::string> data_dir;
  ClusterOptions cluster;            // cluster_options.h, from BPL_ETCD_PROXY_* only
  std::vector<std::string> sources;  // which sources contributed, for the start-up line
};

// The fields a source may set, each listed once: Overlay fills them from a lower source and a
// source counts as contributing when it sets any of them. A new field goes here too.
// (endpoints_origin travels with endpoints.)
inline constexpr auto kOverlaidFields = std::make_tuple(
    &ProxySettings::endpoints, &ProxySettings::listen_addr, &ProxySettings::key_prefix,
    &ProxySettings::cacert, &ProxySettings::cert, &ProxySettings::key, &ProxySettings::metrics_addr,
    &ProxySettings::insecure_skip_tls_verify, &ProxySettings::data_dir);

// Returns the listen address `settings` give, else kDefaultListenAddr.
ListenAddress ListenAddressOf(const ProxySettings& settings);

// The launch helper's settings, read once: the BPL_ETCD_PROXY_* source of the proxy's
// configuration, which binding to use, and how the helper runs the proxy.
struct LaunchSettings {
  ProxySettings proxy;                             // file paths for TLS
  std::optional<std::string> binding;              // BPL_ETCD_PROXY_BINDING
  bool embedded = false;                           // BPL_ETCD_PROXY_EMBEDDED
  std::chrono::milliseconds start_timeout{30000};  // BPL_ETCD_PROXY_START_TIMEOUT
  // BPL_ETCD_PROXY_SHUTDOWN_DELAY; nullopt when unset or 0, which keeps the plain execve.
  std::optional<std::chrono::milliseconds> shutdown_delay;
};

// Returns every BPL_ETCD_PROXY_* setting; kInvalidInput names the first one at fault.
Result<LaunchSettings> ReadLaunchSettings(const Env& env);

// Returns `high` with every field it leaves unset taken from `low`.
ProxySettings Overlay(const ProxySettings& high, const ProxySettings& low);

// Returns the endpoints of a comma-separated list, trimmed, without empty items.
std::vector<std::string> EndpointList(const std::string& list);

}  // namespace bp
