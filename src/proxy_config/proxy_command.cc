#include "proxy_config/proxy_command.h"

#include <algorithm>

#include "base/address.h"
#include "base/settings.h"
#include "base/strings.h"
#include "base/url.h"
#include "proxy_config/passthrough_flags.h"

namespace bp {

namespace {

// True when connecting to `endpoint` would reach the proxy's own listener.
bool PointsAtListener(const Address& endpoint, const Address& listen) {
  if (endpoint.port != listen.port) return false;
  if (endpoint.host == listen.host) return true;
  const bool endpoint_local = IsLoopbackHost(endpoint.host) || IsWildcardHost(endpoint.host);
  return endpoint_local && (IsLoopbackHost(listen.host) || IsWildcardHost(listen.host));
}

// How an endpoint appears in a message: quoted and redacted when the user typed it, by
// position when it was read from a file (whose content is never shown).
std::string ShowEndpoint(const ProxySettings& settings, size_t index, const std::string& text) {
  if (!settings.endpoints_file.empty()) return "endpoint " + std::to_string(index + 1);
  return "endpoint " + Quote(RedactUrl(text));
}

Result<std::vector<Address>> ParseEndpoints(const ProxySettings& settings) {
  if ((!settings.endpoints || settings.endpoints->empty()) && settings.cluster.discovery_srv) {
    return std::vector<Address>();  // the members come from DNS SRV records
  }
  if (!settings.endpoints || settings.endpoints->empty()) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "no etcd endpoints: none of BPL_ETCD_PROXY_ENDPOINTS, a binding of type etcd under "
        "SERVICE_BINDING_ROOT, or an etcd service in VCAP_SERVICES provides them",
        "set BPL_ETCD_PROXY_ENDPOINTS=host:port[,host:port], "
        "BPL_ETCD_PROXY_DISCOVERY_SRV=<domain>, "
        "or bind an etcd service");
  }
  const std::string origin =
      settings.endpoints_origin +
      (settings.endpoints_file.empty() ? "" : " (" + EscapeControl(settings.endpoints_file) + ")");
  std::vector<Address> endpoints;
  for (size_t i = 0; i < settings.endpoints->size(); ++i) {
    const std::string& text = (*settings.endpoints)[i];
    Result<Address> endpoint = ParseEndpoint(text);
    if (!endpoint.ok()) {
      return MakeError(
          ErrorKind::kInvalidInput,
          origin + ": " + ShowEndpoint(settings, i, text) + " " + endpoint.error().message,
          "use host:port, http://host:port or https://host:port, separated by commas");
    }
    endpoints.push_back(endpoint.value());
  }
  return endpoints;
}

const TlsFile* FirstTlsFile(const ProxySettings& s) {
  if (s.cacert) return &*s.cacert;
  if (s.cert) return &*s.cert;
  if (s.key) return &*s.key;
  return nullptr;
}

Status CheckMetricsAddress(const std::optional<std::string>& metrics_addr) {
  if (!metrics_addr) return Ok();
  const std::string& m = *metrics_addr;
  Result<Address> metrics =
      m.find("://") == std::string::npos ? ParseListenAddress(m) : ParseEndpoint(m);
  if (metrics.ok() && !metrics.value().had_userinfo) return Ok();
  return MakeError(
      ErrorKind::kInvalidInput,
      "BPL_ETCD_PROXY_METRICS_ADDR=" + Quote(RedactUrl(m)) + " " +
          (metrics.ok() ? std::string("carries credentials") : metrics.error().message),
      "for example 127.0.0.1:9379 or http://127.0.0.1:9379");
}

// Refuses an endpoint that is the proxy itself, and a plain http:// endpoint when TLS is set.
Status CheckEndpoints(const ProxySettings& settings, const std::vector<Address>& endpoints,
                      const ListenAddress& listen) {
  const TlsFile* tls = FirstTlsFile(settings);
  const bool insecure = settings.insecure_skip_tls_verify.value_or(false);
  for (const Address& endpoint : endpoints) {
    if (PointsAtListener(endpoint, listen.address)) {
      return MakeError(
          ErrorKind::kInvalidInput,
          settings.endpoints_origin + ": endpoint " + endpoint.ToString() +
              " is the proxy's own listen address " + listen.text +
              ", so the proxy would forward to itself",
          std::string("point the endpoints at the etcd cluster, or move the proxy with ") +
              std::string(bp::settings::kListenAddr.name));
    }
    if (endpoint.scheme == "http" && (tls != nullptr || insecure)) {
      return MakeError(
          ErrorKind::kInvalidInput,
          (tls != nullptr ? tls->origin : std::string(bp::settings::kInsecureSkipTlsVerify.name)) +
              " configures TLS, but endpoint " + endpoint.ToString() + " uses plain http://",
          "use https:// (or host:port) endpoints with TLS, or remove the TLS settings");
    }
  }
  return Ok();
}

// The --endpoints value; userinfo is dropped (grpc-proxy has no etcd credentials of its own,
// etcd-io/etcd#12897), with one warning.
std::string EndpointsFlag(const ProxySettings& settings, const std::vector<Address>& endpoints,
                          std::vector<std::string>& warnings) {
  std::vector<std::string> shown;
  for (const Address& endpoint : endpoints) shown.push_back(endpoint.ToString());
  const bool credentials = std::any_of(endpoints.begin(), endpoints.end(),
                                       [](const Address& e) { return e.had_userinfo; });
  if (credentials) {
    warnings.push_back(settings.endpoints_origin +
                       ": endpoints carry credentials, which grpc-proxy cannot use; they are "
                       "ignored (clients send their own, see the README)");
  }
  return "--endpoints=" + Join(shown, ",");
}

// The argv before the pass-through arguments, in a fixed order.
std::vector<std::string> HelperArgv(const ProxySettings& settings, const std::string& etcd,
                                    const std::string& endpoints_flag, const ListenerPlan& listener,
                                    const std::string& default_data_dir) {
  // With SRV discovery alone, an explicitly empty list: grpc-proxy falls back to --endpoints when
  // discovery finds no usable member, and its default (127.0.0.1:2379) may be the proxy itself.
  std::vector<std::string> argv = {etcd,
                                   "grpc-proxy",
                                   "start",
                                   endpoints_flag,
                                   "--listen-addr=" + listener.listen_addr,
                                   "--advertise-client-url=" + listener.advertise_url,
                                   "--data-dir=" + settings.data_dir.value_or(default_data_dir)};
  argv.insert(argv.end(), listener.tls_flags.begin(), listener.tls_flags.end());
  if (settings.key_prefix) argv.push_back("--namespace=" + *settings.key_prefix);
  if (settings.cacert) argv.push_back("--cacert=" + settings.cacert->path);
  if (settings.cert) argv.push_back("--cert=" + settings.cert->path);
  if (settings.key) argv.push_back("--key=" + settings.key->path);
  if (settings.insecure_skip_tls_verify.value_or(false))
    argv.push_back("--insecure-skip-tls-verify");
  if (settings.metrics_addr) {
    // grpc-proxy parses this as a URL; a bare host:port would lose its host.
    const std::string& m = *settings.metrics_addr;
    argv.push_back("--metrics-addr=" + (m.find("://") == std::string::npos ? "http://" + m : m));
  }
  const std::vector<std::string> cluster_flags = ClusterFlags(settings.cluster);
  argv.insert(argv.end(), cluster_flags.begin(), cluster_flags.end());
  return argv;
}

void AddInsecurityWarnings(const ProxySettings& settings, std::vector<std::string>& warnings) {
  if (settings.cluster.insecure_discovery) {
    warnings.push_back(
        "BPL_ETCD_PROXY_INSECURE_DISCOVERY=true: plain-http members from _etcd-client._tcp." +
        *settings.cluster.discovery_srv + " are accepted");
  }
  if (settings.insecure_skip_tls_verify.value_or(false)) {
    warnings.push_back(
        "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY=true: the etcd servers' certificates are not "
        "verified");
  }
}

// Where the proxy forwards to: the endpoints, the DNS SRV members, or the members with the
// endpoints as their fallback.
std::string Targets(const ProxySettings& settings, size_t endpoint_count) {
  const std::string endpoints =
      std::to_string(endpoint_count) + " etcd endpoint" + (endpoint_count == 1 ? "" : "s");
  if (!settings.cluster.discovery_srv) return endpoints;
  const std::string members =
      "the etcd members in DNS SRV records of " + *settings.cluster.discovery_srv;
  if (endpoint_count == 0) return members;
  return members + " (else " + endpoints + ")";
}

// The one line the helper logs before starting the proxy; it shows no secret.
std::string Summary(const ProxySettings& settings, const ListenerPlan& listener,
                    size_t endpoint_count) {
  std::string summary = "forwarding " + listener.listen_addr;
  if (!listener.tls_flags.empty()) summary += " (TLS listener)";
  summary += " to " + Targets(settings, endpoint_count) + " from ";
  summary += settings.sources.empty() ? std::string("defaults") : Join(settings.sources, " + ");
  if (FirstTlsFile(settings) != nullptr) summary += ", TLS";
  if (settings.key_prefix) summary += ", namespace " + *settings.key_prefix;
  return summary;
}

}  // namespace

std::string RedactArgument(const std::string& arg) {
  const size_t eq = arg.find('=');
  const std::string flag = eq == std::string::npos ? "" : arg.substr(0, eq + 1);
  std::vector<std::string> items;
  std::string_view rest = std::string_view(arg).substr(flag.size());
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const bool may_hold_secret =
        item.find_first_of("@?") != std::string_view::npos ||
        (item.find("://") != std::string_view::npos && item.find('#') != std::string_view::npos);
    items.push_back(may_hold_secret ? RedactUrl(item) : EscapeControl(item));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return EscapeControl(flag) + Join(items, ",");
}

Result<ProxyCommand> AssembleProxyCommand(const ProxySettings& settings, const std::string& etcd,
                                          const std::string& default_data_dir,
                                          const std::vector<std::string>& passthrough) {
  const ListenAddress listen = ListenAddressOf(settings);
  Status metrics = CheckMetricsAddress(settings.metrics_addr);
  if (!metrics.ok()) return metrics.error();
  Result<std::vector<Address>> endpoints = ParseEndpoints(settings);
  if (!endpoints.ok()) return endpoints.error();
  ProxyCommand command;
  Result<ListenerPlan> listener = PlanListener(settings.cluster, listen, command.warnings);
  if (!listener.ok()) return listener.error();
  command.listener = listener.value();
  Status endpoints_usable = CheckEndpoints(settings, endpoints.value(), listen);
  if (!endpoints_usable.ok()) return endpoints_usable.error();
  const std::string endpoints_flag = EndpointsFlag(settings, endpoints.value(), command.warnings);
  command.argv = HelperArgv(settings, etcd, endpoints_flag, command.listener, default_data_dir);
  Status own_flags_only = CheckPassthrough(
      std::vector<std::string>(command.argv.begin() + 3, command.argv.end()), passthrough);
  if (!own_flags_only.ok()) return own_flags_only.error();
  command.argv.insert(command.argv.end(), passthrough.begin(), passthrough.end());
  AddInsecurityWarnings(settings, command.warnings);
  command.summary = Summary(settings, command.listener, endpoints.value().size());
  return command;
}

}  // namespace bp
