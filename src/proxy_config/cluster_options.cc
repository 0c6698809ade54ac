#include "proxy_config/cluster_options.h"

#include <cctype>

#include "base/settings.h"
#include "base/strings.h"

namespace bp {

namespace {

// A DNS domain or service name as grpc-proxy puts it into a lookup: letters, digits, '-', '_', '.'.
bool IsDnsName(const std::string& text) {
  if (text.empty() || text.size() > 253) return false;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  }
  return true;
}

Status CheckCombinations(const ClusterOptions& o) {
  if (o.max_recv_bytes) {
    const long send = o.max_send_bytes.value_or(kDefaultMaxSendBytes);
    if (send > *o.max_recv_bytes) {
      return MakeError(ErrorKind::kInvalidInput,
                       "BPL_ETCD_PROXY_MAX_RECV_BYTES=" + std::to_string(*o.max_recv_bytes) +
                           " is below the send limit " + std::to_string(send) +
                           (o.max_send_bytes ? " (BPL_ETCD_PROXY_MAX_SEND_BYTES)"
                                             : " (grpc-proxy's default, 1.5 MiB)") +
                           ", which grpc-proxy refuses at start",
                       "raise BPL_ETCD_PROXY_MAX_RECV_BYTES to at least " + std::to_string(send));
    }
  }
  if (o.listen_key && !o.listen_cert) {
    return MakeError(ErrorKind::kInvalidInput,
                     "BPL_ETCD_PROXY_LISTEN_KEY is set without BPL_ETCD_PROXY_LISTEN_CERT",
                     "the proxy's listener needs both its certificate and its key");
  }
  if (o.listen_cert && !o.listen_key) {
    return MakeError(ErrorKind::kInvalidInput,
                     "BPL_ETCD_PROXY_LISTEN_CERT is set without BPL_ETCD_PROXY_LISTEN_KEY",
                     "the proxy's listener needs both its certificate and its key");
  }
  if (o.listen_client_ca && !o.listen_cert) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "BPL_ETCD_PROXY_LISTEN_CLIENT_CA is set without BPL_ETCD_PROXY_LISTEN_CERT and _LISTEN_KEY",
        "client-certificate auth needs TLS on the listener: set the proxy's certificate and key "
        "too");
  }
  if ((o.discovery_srv_name || o.insecure_discovery) && !o.discovery_srv) {
    return MakeError(
        ErrorKind::kInvalidInput,
        std::string(o.discovery_srv_name ? settings::kDiscoverySrvName.name
                                         : settings::kInsecureDiscovery.name) +
            " is set without BPL_ETCD_PROXY_DISCOVERY_SRV",
        "set BPL_ETCD_PROXY_DISCOVERY_SRV to the domain whose SRV records list the etcd members");
  }
  return Ok();
}

}  // namespace

Result<ClusterOptions> ClusterOptionsFromEnv(const Env& env) {
  ClusterOptions o;
  for (auto [field, setting] : {std::pair{&o.auto_sync_interval, settings::kAutoSyncInterval},
                                std::pair{&o.keepalive_time, settings::kKeepaliveTime},
                                std::pair{&o.keepalive_timeout, settings::kKeepaliveTimeout}}) {
    Result<std::optional<std::string>> value = Read(env, setting);
    if (!value.ok()) return value.error();
    *field = value.value();
  }
  for (auto [field, setting] :
       {std::pair{&o.insecure_discovery, settings::kInsecureDiscovery},
        std::pair{&o.debug, settings::kDebugProxy},
        std::pair{&o.allow_insecure_listen, settings::kAllowInsecureListen}}) {
    Result<bool> value = Read(env, setting);
    if (!value.ok()) return value.error();
    *field = value.value();
  }
  for (auto [field, setting] : {std::pair{&o.max_send_bytes, settings::kMaxSendBytes},
                                std::pair{&o.max_recv_bytes, settings::kMaxRecvBytes}}) {
    Result<std::optional<long>> value = ReadOptional(env, setting);
    if (!value.ok()) return value.error();
    *field = value.value();
  }
  for (auto [field, setting] : {std::pair{&o.discovery_srv, settings::kDiscoverySrv},
                                std::pair{&o.discovery_srv_name, settings::kDiscoverySrvName}}) {
    *field = Read(env, setting);
    if (*field && !IsDnsName(**field)) {
      return InvalidSetting(
          setting.name, **field, "a DNS name",
          "a domain such as example.com (grpc-proxy looks up _etcd-client-ssl._tcp.<it>)");
    }
  }
  o.listen_cert = Read(env, settings::kListenCert);
  o.listen_key = Read(env, settings::kListenKey);
  o.listen_client_ca = Read(env, settings::kListenClientCa);
  o.advertise_addr = Read(env, settings::kAdvertiseAddr);
  Status combined = CheckCombinations(o);
  if (!combined.ok()) return combined.error();
  return o;
}

std::vector<std::string> ClusterFlags(const ClusterOptions& o) {
  std::vector<std::string> flags;
  if (o.discovery_srv) flags.push_back("--discovery-srv=" + *o.discovery_srv);
  if (o.discovery_srv_name) flags.push_back("--discovery-srv-name=" + *o.discovery_srv_name);
  if (o.insecure_discovery) flags.push_back("--insecure-discovery");
  if (o.auto_sync_interval)
    flags.push_back("--endpoints-auto-sync-interval=" + *o.auto_sync_interval);
  if (o.keepalive_time) flags.push_back("--dial-keepalive-time=" + *o.keepalive_time);
  if (o.keepalive_timeout) flags.push_back("--dial-keepalive-timeout=" + *o.keepalive_timeout);
  if (o.max_send_bytes) flags.push_back("--max-send-bytes=" + std::to_string(*o.max_send_bytes));
  if (o.max_recv_bytes) flags.push_back("--max-recv-bytes=" + std::to_string(*o.max_recv_bytes));
  if (o.debug) flags.push_back("--debug");
  return flags;
}

}  // namespace bp
