#include "proxy/cluster_options.h"

#include <cctype>

#include "base/settings.h"
#include "base/strings.h"

namespace bp {

namespace {

// Above this grpc-proxy's int flags overflow gRPC's int32 message limits.
constexpr long kMaxMessageBytes = 2147483647;

Error Invalid(std::string_view name, const std::string& value, const std::string& problem, const std::string& hint) {
  return MakeError(ErrorKind::kInvalidInput, std::string(name) + "=" + Quote(value) + " " + problem, hint);
}

Result<std::optional<std::string>> DurationText(const Env& env, std::string_view name) {
  const std::optional<std::string> text = env.GetSetting(name);
  if (!text) return std::optional<std::string>();
  std::optional<std::string> duration = NormalizeDuration(*text);
  if (!duration) {
    return Invalid(name, *text, "is not a duration", "use seconds (30) or a Go duration such as 30s, 1m30s or 500ms");
  }
  return duration;
}

Result<bool> BoolFlag(const Env& env, std::string_view name) {
  const std::optional<std::string> text = env.GetSetting(name);
  if (!text) return false;
  const std::optional<bool> value = ParseBool(*text);
  if (!value) return Invalid(name, *text, "is not true or false", "set it to true or false, or unset it");
  return *value;
}

Result<std::optional<long>> ByteCount(const Env& env, std::string_view name) {
  const std::optional<std::string> text = env.GetSetting(name);
  if (!text) return std::optional<long>();
  const std::optional<long> value = ParseCount(*text, kMaxMessageBytes);
  if (!value || *value == 0) {
    return Invalid(name, *text, "is not a number of bytes between 1 and " + std::to_string(kMaxMessageBytes),
                   "for example 4194304 (4 MiB)");
  }
  return value;
}

// A DNS domain or service name as grpc-proxy puts it into a lookup: letters, digits, '-', '_', '.'.
bool IsDnsName(const std::string& text) {
  if (text.empty() || text.size() > 253) return false;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
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
                           (o.max_send_bytes ? " (BPL_ETCD_PROXY_MAX_SEND_BYTES)" : " (grpc-proxy's default, 1.5 MiB)") +
                           ", which grpc-proxy refuses at start",
                       "raise BPL_ETCD_PROXY_MAX_RECV_BYTES to at least " + std::to_string(send));
    }
  }
  if (o.listen_key && !o.listen_cert) {
    return MakeError(ErrorKind::kInvalidInput, "BPL_ETCD_PROXY_LISTEN_KEY is set without BPL_ETCD_PROXY_LISTEN_CERT",
                     "the proxy's listener needs both its certificate and its key");
  }
  if (o.listen_cert && !o.listen_key) {
    return MakeError(ErrorKind::kInvalidInput, "BPL_ETCD_PROXY_LISTEN_CERT is set without BPL_ETCD_PROXY_LISTEN_KEY",
                     "the proxy's listener needs both its certificate and its key");
  }
  if (o.listen_client_ca && !o.listen_cert) {
    return MakeError(ErrorKind::kInvalidInput,
                     "BPL_ETCD_PROXY_LISTEN_CLIENT_CA is set without BPL_ETCD_PROXY_LISTEN_CERT and _LISTEN_KEY",
                     "client-certificate auth needs TLS on the listener: set the proxy's certificate and key too");
  }
  if ((o.discovery_srv_name || o.insecure_discovery) && !o.discovery_srv) {
    return MakeError(ErrorKind::kInvalidInput,
                     std::string(o.discovery_srv_name ? settings::kDiscoverySrvName.name : settings::kInsecureDiscovery.name) +
                         " is set without BPL_ETCD_PROXY_DISCOVERY_SRV",
                     "set BPL_ETCD_PROXY_DISCOVERY_SRV to the domain whose SRV records list the etcd members");
  }
  return Ok();
}

}  // namespace

std::optional<std::string> NormalizeDuration(const std::string& text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  size_t i = 0;
  bool bare_number = true;
  while (i < text.size()) {
    const size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    }
    if (i == start || i - start > 12) return std::nullopt;
    const size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string unit = text.substr(unit_start, i - unit_start);
    if (unit.empty()) {
      // Only a lone integer may go without a unit: it means seconds.
      if (start != 0 || i != text.size() || text.find('.') != std::string::npos) return std::nullopt;
      break;
    }
    bare_number = false;
    if (unit != "ns" && unit != "us" && unit != "ms" && unit != "s" && unit != "m" && unit != "h") return std::nullopt;
  }
  return bare_number ? text + "s" : text;
}

Result<ClusterOptions> ClusterOptionsFromEnv(const Env& env) {
  ClusterOptions o;
  for (auto [field, name] : {std::pair{&o.auto_sync_interval, settings::kAutoSyncInterval.name},
                             std::pair{&o.keepalive_time, settings::kKeepaliveTime.name},
                             std::pair{&o.keepalive_timeout, settings::kKeepaliveTimeout.name}}) {
    Result<std::optional<std::string>> value = DurationText(env, name);
    if (!value.ok()) return value.error();
    *field = value.value();
  }
  for (auto [field, name] : {std::pair{&o.insecure_discovery, settings::kInsecureDiscovery.name},
                             std::pair{&o.debug, settings::kDebugProxy.name},
                             std::pair{&o.allow_insecure_listen, settings::kAllowInsecureListen.name}}) {
    Result<bool> value = BoolFlag(env, name);
    if (!value.ok()) return value.error();
    *field = value.value();
  }
  for (auto [field, name] : {std::pair{&o.max_send_bytes, settings::kMaxSendBytes.name},
                             std::pair{&o.max_recv_bytes, settings::kMaxRecvBytes.name}}) {
    Result<std::optional<long>> value = ByteCount(env, name);
    if (!value.ok()) return value.error();
    *field = value.value();
  }
  for (auto [field, name] : {std::pair{&o.discovery_srv, settings::kDiscoverySrv.name},
                             std::pair{&o.discovery_srv_name, settings::kDiscoverySrvName.name}}) {
    *field = env.GetSetting(name);
    if (*field && !IsDnsName(**field)) {
      return Invalid(name, **field, "is not a DNS name", "for example example.com (grpc-proxy looks up _etcd-client-ssl._tcp.<it>)");
    }
  }
  o.listen_cert = env.GetSetting(settings::kListenCert.name);
  o.listen_key = env.GetSetting(settings::kListenKey.name);
  o.listen_client_ca = env.GetSetting(settings::kListenClientCa.name);
  o.advertise_addr = env.GetSetting(settings::kAdvertiseAddr.name);
  Status combined = CheckCombinations(o);
  if (!combined.ok()) return combined.error();
  return o;
}

std::vector<std::string> ClusterFlags(const ClusterOptions& o) {
  std::vector<std::string> flags;
  if (o.discovery_srv) flags.push_back("--discovery-srv=" + *o.discovery_srv);
  if (o.discovery_srv_name) flags.push_back("--discovery-srv-name=" + *o.discovery_srv_name);
  if (o.insecure_discovery) flags.push_back("--insecure-discovery");
  if (o.auto_sync_interval) flags.push_back("--endpoints-auto-sync-interval=" + *o.auto_sync_interval);
  if (o.keepalive_time) flags.push_back("--dial-keepalive-time=" + *o.keepalive_time);
  if (o.keepalive_timeout) flags.push_back("--dial-keepalive-timeout=" + *o.keepalive_timeout);
  if (o.max_send_bytes) flags.push_back("--max-send-bytes=" + std::to_string(*o.max_send_bytes));
  if (o.max_recv_bytes) flags.push_back("--max-recv-bytes=" + std::to_string(*o.max_recv_bytes));
  if (o.debug) flags.push_back("--debug");
  return flags;
}

}  // namespace bp
