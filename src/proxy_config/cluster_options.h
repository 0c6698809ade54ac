// The cluster-facing and listener settings of the proxy, read from BPL_ETCD_PROXY_* only (a
// binding describes the cluster's address and credentials, not how the proxy runs). Each maps to
// one grpc-proxy flag; which etcd versions accept which flag is in version_guard.h.
// For users: README, "Launch configuration".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"

namespace bp {

// grpc-proxy's --max-send-bytes default (defaultGRPCMaxCallSendMsgSize, 1.5 MiB).
inline constexpr long kDefaultMaxSendBytes = 1572864;

struct ClusterOptions {
  std::optional<std::string> auto_sync_interval;  // Go duration, e.g. "30s"
  std::optional<std::string> discovery_srv;       // a domain
  std::optional<std::string> discovery_srv_name;
  bool insecure_discovery = false;
  std::optional<std::string> keepalive_time;     // Go duration
  std::optional<std::string> keepalive_timeout;  // Go duration
  std::optional<long> max_send_bytes;
  std::optional<long> max_recv_bytes;
  bool debug = false;
  std::optional<std::string> listen_cert;  // file paths
  std::optional<std::string> listen_key;
  std::optional<std::string> listen_client_ca;
  std::optional<std::string> advertise_addr;
  bool allow_insecure_listen = false;

  bool listener_tls() const { return listen_cert.has_value(); }
};

// Reads the settings; kInvalidInput, naming the variable, for a malformed value or a combination
// grpc-proxy rejects at start (max-recv below max-send, a listener key without its certificate…).
Result<ClusterOptions> ClusterOptionsFromEnv(const Env& env);

// Returns the grpc-proxy flags for `options`, in a fixed order (listener flags excluded: the
// command adds those beside --listen-addr).
std::vector<std::string> ClusterFlags(const ClusterOptions& options);

}  // namespace bp
