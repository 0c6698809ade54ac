#include "proxy_config/cluster_options.h"

#include <cctype>

#include "base/settings.h"
#include "base/strings.h"

namespace bp {

namespace {

// A text setting whose value grpc-proxy puts into a DNS lookup.
struct DnsName {
  TextSetting text;
};

// A DNS domain or service name as grpc-proxy puts it into a lookup: letters, digits, '-', '_', '.'.
bool IsDnsName(const std::string& text) {
  if (text.empty() || text.size() > 253) return false;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  }
  return true;
}

// The value of each kind of setting a cluster flag can have, as its ClusterOptions field holds it.
Result<std::optional<std::string>> ReadField(const Env& env, const GoDurationSetting& setting) {
  return Read(env, setting);
}
Result<bool> ReadField(const Env& env, const BoolSetting& setting) { return Read(env, setting); }
Result<std::optional<long>> ReadField(const Env& env, const IntegerSetting& setting) {
  return ReadOptional(env, setting);
}
Result<std::optional<std::string>> ReadField(const Env& env, const DnsName& setting) {
  std::optional<std::string> value = Read(env, setting.text);
  if (value && !IsDnsName(*value)) {
    return InvalidSetting(
        setting.text.name, *value, "a DNS name",
        "a domain such as example.com (grpc-proxy looks up _etcd-client-ssl._tcp.<it>)");
  }
  return value;
}

std::string_view NameOf(const DnsName& setting) { return setting.text.name; }
template <typename Setting>
std::string_view NameOf(const Setting& setting) {
  return setting.name;
}

std::optional<std::string> Argument(std::string_view flag,
                                    const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  return std::string(flag) + "=" + *value;
}
std::optional<std::string> Argument(std::string_view flag, const std::optional<long>& value) {
  if (!value) return std::nullopt;
  return std::string(flag) + "=" + std::to_string(*value);
}
std::optional<std::string> Argument(std::string_view flag, bool on) {
  if (!on) return std::nullopt;
  return std::string(flag);
}

constexpr std::string_view kEveryEtcd = "";
constexpr bool kChecked = true;

// One row of the table. The compiler checks that the setting's reader fills the field's type.
template <typename Setting, typename Field>
ClusterFlag Row(const Setting& setting, Field ClusterOptions::*field, std::string_view flag,
                std::string_view since = kEveryEtcd, bool checked = false) {
  return {NameOf(setting),
          flag,
          since,
          checked,
          [setting, field](const Env& env, ClusterOptions& options) -> Status {
            Result<Field> value = ReadField(env, setting);
            if (!value.ok()) return value.error();
            options.*field = value.value();
            return Ok();
          },
          [flag, field](const ClusterOptions& options) { return Argument(flag, options.*field); }};
}

Status CheckMessageLimits(const ClusterOptions& o) {
  if (!o.max_recv_bytes) return Ok();
  const long send = o.max_send_bytes.value_or(kDefaultMaxSendBytes);
  if (send <= *o.max_recv_bytes) return Ok();
  return MakeError(ErrorKind::kInvalidInput,
                   "BPL_ETCD_PROXY_MAX_RECV_BYTES=" + std::to_string(*o.max_recv_bytes) +
                       " is below the send limit " + std::to_string(send) +
                       (o.max_send_bytes ? " (BPL_ETCD_PROXY_MAX_SEND_BYTES)"
                                         : " (grpc-proxy's default, 1.5 MiB)") +
                       ", which grpc-proxy refuses at start",
                   "raise BPL_ETCD_PROXY_MAX_RECV_BYTES to at least " + std::to_string(send));
}

Status CheckListenerFiles(const ClusterOptions& o) {
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
  return Ok();
}

Status CheckDiscovery(const ClusterOptions& o) {
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

// The combinations grpc-proxy refuses at start, or that would leave a setting without effect.
Status CheckCombinations(const ClusterOptions& o) {
  for (const auto check : {CheckMessageLimits, CheckListenerFiles, CheckDiscovery}) {
    Status checked = check(o);
    if (!checked.ok()) return checked;
  }
  return Ok();
}

Status ReadListenerSettings(const Env& env, ClusterOptions& o) {
  o.listen_cert = Read(env, settings::kListenCert);
  o.listen_key = Read(env, settings::kListenKey);
  o.listen_client_ca = Read(env, settings::kListenClientCa);
  o.advertise_addr = Read(env, settings::kAdvertiseAddr);
  Result<bool> allow_insecure = Read(env, settings::kAllowInsecureListen);
  if (!allow_insecure.ok()) return allow_insecure.error();
  o.allow_insecure_listen = allow_insecure.value();
  return Ok();
}

}  // namespace

// Which etcd has which flag comes from `cmd.Flags()` in etcd's server/etcdmain/grpc_proxy.go
// (etcdmain/ in 3.4). A row without a version is a flag present in v3.4.23, v3.5.x and v3.6.14,
// as are the listener's --cert-file, --key-file and --trusted-ca-file; version_guard.h refuses a
// flag the installed etcd predates.
const std::vector<ClusterFlag>& ClusterFlagTable() {
  static const std::vector<ClusterFlag> table = {
      // setting, its field, the grpc-proxy flag, the first etcd that has the flag, checked
      Row(DnsName{settings::kDiscoverySrv}, &ClusterOptions::discovery_srv, "--discovery-srv",
          kEveryEtcd, kChecked),
      Row(DnsName{settings::kDiscoverySrvName}, &ClusterOptions::discovery_srv_name,
          "--discovery-srv-name", kEveryEtcd, kChecked),
      Row(settings::kInsecureDiscovery, &ClusterOptions::insecure_discovery, "--insecure-discovery",
          kEveryEtcd, kChecked),
      // absent in v3.4.23 and v3.5.0–v3.5.4
      Row(settings::kAutoSyncInterval, &ClusterOptions::auto_sync_interval,
          "--endpoints-auto-sync-interval", "3.5.5"),
      // absent in v3.4.23 and v3.5.0–v3.5.12
      Row(settings::kKeepaliveTime, &ClusterOptions::keepalive_time, "--dial-keepalive-time",
          "3.5.13"),
      Row(settings::kKeepaliveTimeout, &ClusterOptions::keepalive_timeout,
          "--dial-keepalive-timeout", "3.5.13"),
      Row(settings::kMaxSendBytes, &ClusterOptions::max_send_bytes, "--max-send-bytes"),
      Row(settings::kMaxRecvBytes, &ClusterOptions::max_recv_bytes, "--max-recv-bytes"),
      Row(settings::kDebugProxy, &ClusterOptions::debug, "--debug"),
  };
  return table;
}

Result<ClusterOptions> ClusterOptionsFromEnv(const Env& env) {
  ClusterOptions o;
  for (const ClusterFlag& row : ClusterFlagTable()) {
    Status read = row.read(env, o);
    if (!read.ok()) return read.error();
  }
  Status listener = ReadListenerSettings(env, o);
  if (!listener.ok()) return listener.error();
  Status combined = CheckCombinations(o);
  if (!combined.ok()) return combined.error();
  return o;
}

std::vector<std::string> ClusterFlags(const ClusterOptions& o) {
  std::vector<std::string> flags;
  for (const ClusterFlag& row : ClusterFlagTable()) {
    if (std::optional<std::string> argument = row.argument(o)) flags.push_back(*argument);
  }
  return flags;
}

}  // namespace bp
