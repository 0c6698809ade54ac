// The cluster-facing and listener settings of the proxy, read from BPL_ETCD_PROXY_* only (a
// binding describes the cluster's address and credentials, not how the proxy runs).
// For users: README, "Launch configuration".
//
// A cluster flag is one row of ClusterFlagTable (cluster_options.cc): its setting, the field it
// fills, the grpc-proxy flag and the first etcd that has the flag. The reader, ClusterFlags, the
// version guard (version_guard.h) and the pass-through check (passthrough_flags.h) all walk that
// table. The listener settings are not in it: listener_security.h turns them into flags beside
// --listen-addr.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/result.h"

namespace bp {

// grpc-proxy's --max-send-bytes default (defaultGRPCMaxCallSendMsgSize, 1.5 MiB).
inline constexpr long kDefaultMaxSendBytes = 1572864;

struct ClusterOptions {
  // Cluster flags: each has its row in ClusterFlagTable.
  std::optional<std::string> auto_sync_interval;  // Go duration, e.g. "30s"
  std::optional<std::string> discovery_srv;       // a domain
  std::optional<std::string> discovery_srv_name;
  bool insecure_discovery = false;
  std::optional<std::string> keepalive_time;     // Go duration
  std::optional<std::string> keepalive_timeout;  // Go duration
  std::optional<long> max_send_bytes;
  std::optional<long> max_recv_bytes;
  bool debug = false;
  // The listener.
  std::optional<std::string> listen_cert;  // file paths
  std::optional<std::string> listen_key;
  std::optional<std::string> listen_client_ca;
  std::optional<std::string> advertise_addr;
  bool allow_insecure_listen = false;

  bool listener_tls() const { return listen_cert.has_value(); }
};

// One grpc-proxy flag that a setting switches.
struct ClusterFlag {
  std::string_view setting;  // its name, e.g. "BPL_ETCD_PROXY_KEEPALIVE_TIME"
  std::string_view flag;     // "--dial-keepalive-time"
  std::string_view since;    // the first etcd whose grpc-proxy has it; "" for every shipped etcd
  // A pass-through argument naming the flag is refused even when the setting is unset: a check
  // depends on the flag's absence.
  bool checked = false;
  // Reads the setting from the environment into its field; the setting's error when malformed.
  std::function<Status(const Env&, ClusterOptions&)> read;
  // Returns the argument for the options ("--flag=value", or "--flag" for a switch that is on);
  // nullopt when the setting is unset or off.
  std::function<std::optional<std::string>(const ClusterOptions&)> argument;
};

// Returns every cluster flag, in the order ClusterFlags passes them.
const std::vector<ClusterFlag>& ClusterFlagTable();

// Reads the settings; kInvalidInput, naming the variable, for a malformed value or a combination
// grpc-proxy rejects at start (max-recv below max-send, a listener key without its certificate…).
Result<ClusterOptions> ClusterOptionsFromEnv(const Env& env);

// Returns the grpc-proxy flags for `options`, in table order (listener flags excluded: the
// command adds those beside --listen-addr).
std::vector<std::string> ClusterFlags(const ClusterOptions& options);

}  // namespace bp
