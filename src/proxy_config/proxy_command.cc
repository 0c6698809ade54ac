#include "proxy_config/proxy_command.h"

#include "base/address.h"
#include "base/settings.h"
#include "base/strings.h"
#include "base/url.h"
#include "proxy_config/passthrough_flags.h"

namespace bp {

namespace {

Error Refuse(const std::string& message, const std::string& hint) {
  return MakeError(ErrorKind::kInvalidInput, message, hint);
}

// True when connecting to `endpoint` would reach the proxy's own listener.
bool PointsAtListener(const Address& endpoint, const Address& listen) {
  if (endpoint.port != listen.port) return false;
  if (endpoint.host == listen.host) return true;
  const bool endpoint_local = IsLoopbackHost(endpoint.host) || IsWildcardHost(endpoint.host);
  return endpoint_local && (IsLoopbackHost(listen.host) || IsWildcardHost(listen.host));
}

Result<Address> ListenAddress(const std::string& text, std::string_view setting) {
  Result<Address> address = ParseListenAddress(text);
  if (!address.ok()) {
    return Refuse(std::string(setting) + "=" + Quote(text) + " " + address.error().message,
                  "for example 127.0.0.1:2379");
  }
  return address;
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
    return Refuse(
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
      return Refuse(
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

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return ToLower(host) == "localhost" || host == "::1" || StartsWith(host, "127.");
}

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
  // Trimmed as ParseListenAddress reads it, so the flag carries exactly the address that was
  // checked.
  const std::string listen_text(Trim(settings.listen_addr.value_or(kDefaultListenAddr)));
  Result<Address> listen = ListenAddress(listen_text, bp::settings::kListenAddr.name);
  if (!listen.ok()) return listen.error();
  if (settings.metrics_addr) {
    const std::string& m = *settings.metrics_addr;
    Result<Address> metrics =
        m.find("://") == std::string::npos ? ParseListenAddress(m) : ParseEndpoint(m);
    if (!metrics.ok() || metrics.value().had_userinfo) {
      return Refuse(
          "BPL_ETCD_PROXY_METRICS_ADDR=" + Quote(RedactUrl(m)) + " " +
              (metrics.ok() ? std::string("carries credentials") : metrics.error().message),
          "for example 127.0.0.1:9379 or http://127.0.0.1:9379");
    }
  }
  Result<std::vector<Address>> endpoints = ParseEndpoints(settings);
  if (!endpoints.ok()) return endpoints.error();
  const Url listen_url{"", "", listen.value().host, std::to_string(listen.value().port), ""};
  ProxyCommand command;
  Result<ListenerPlan> listener =
      PlanListener(settings.cluster, listen_text, listen_url, command.warnings);
  if (!listener.ok()) return listener.error();
  const TlsFile* tls = FirstTlsFile(settings);
  const bool insecure = settings.insecure_skip_tls_verify.value_or(false);
  for (const Address& endpoint : endpoints.value()) {
    if (PointsAtListener(endpoint, listen.value())) {
      return Refuse(
          settings.endpoints_origin + ": endpoint " + endpoint.ToString() +
              " is the proxy's own listen address " + listen_text +
              ", so the proxy would forward to itself",
          std::string("point the endpoints at the etcd cluster, or move the proxy with ") +
              std::string(bp::settings::kListenAddr.name));
    }
    if (endpoint.scheme == "http" && (tls != nullptr || insecure)) {
      return Refuse(
          (tls != nullptr ? tls->origin : std::string(bp::settings::kInsecureSkipTlsVerify.name)) +
              " configures TLS, but endpoint " + endpoint.ToString() + " uses plain http://",
          "use https:// (or host:port) endpoints with TLS, or remove the TLS settings");
    }
  }
  command.listener = listener.value();
  // grpc-proxy has no etcd credentials of its own (etcd-io/etcd#12897): userinfo is dropped.
  std::vector<std::string> endpoint_flags;
  bool warned_userinfo = false;
  for (const Address& endpoint : endpoints.value()) {
    if (endpoint.had_userinfo && !warned_userinfo) {
      warned_userinfo = true;
      command.warnings.push_back(
          settings.endpoints_origin +
          ": endpoints carry credentials, which grpc-proxy cannot use; they are ignored "
          "(clients send their own, see the README)");
    }
    endpoint_flags.push_back(endpoint.ToString());
  }
  std::vector<std::string>& argv = command.argv;
  // With SRV discovery alone, an explicitly empty list: grpc-proxy falls back to --endpoints when
  // discovery finds no usable member, and its default (127.0.0.1:2379) may be the proxy itself.
  argv = {etcd,
          "grpc-proxy",
          "start",
          "--endpoints=" + Join(endpoint_flags, ","),
          "--listen-addr=" + listen_text,
          "--advertise-client-url=" + command.listener.advertise_url,
          "--data-dir=" + settings.data_dir.value_or(default_data_dir)};
  argv.insert(argv.end(), command.listener.tls_flags.begin(), command.listener.tls_flags.end());
  if (settings.key_prefix) argv.push_back("--namespace=" + *settings.key_prefix);
  if (settings.cacert) argv.push_back("--cacert=" + settings.cacert->path);
  if (settings.cert) argv.push_back("--cert=" + settings.cert->path);
  if (settings.key) argv.push_back("--key=" + settings.key->path);
  if (insecure) argv.push_back("--insecure-skip-tls-verify");
  if (settings.metrics_addr) {
    // grpc-proxy parses this as a URL; a bare host:port would lose its host.
    const std::string& m = *settings.metrics_addr;
    argv.push_back("--metrics-addr=" + (m.find("://") == std::string::npos ? "http://" + m : m));
  }
  const std::vector<std::string> cluster_flags = ClusterFlags(settings.cluster);
  argv.insert(argv.end(), cluster_flags.begin(), cluster_flags.end());
  Status own_flags_only =
      CheckPassthrough(std::vector<std::string>(argv.begin() + 3, argv.end()), passthrough);
  if (!own_flags_only.ok()) return own_flags_only.error();
  argv.insert(argv.end(), passthrough.begin(), passthrough.end());

  if (settings.cluster.insecure_discovery) {
    command.warnings.push_back(
        "BPL_ETCD_PROXY_INSECURE_DISCOVERY=true: plain-http members from _etcd-client._tcp." +
        *settings.cluster.discovery_srv + " are accepted");
  }
  if (insecure)
    command.warnings.push_back(
        "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY=true: the etcd servers' certificates are not "
        "verified");
  const size_t count = endpoints.value().size();
  const std::string targets = std::to_string(count) + " etcd endpoint" + (count == 1 ? "" : "s");
  const std::string discovered =
      settings.cluster.discovery_srv
          ? "the etcd members in DNS SRV records of " + *settings.cluster.discovery_srv
          : "";
  command.summary =
      "forwarding " + listen_text + (command.listener.tls_flags.empty() ? "" : " (TLS listener)") +
      " to " +
      (discovered.empty() ? targets
       : count == 0       ? discovered
                          : discovered + " (else " + targets + ")") +
      " from " +
      (settings.sources.empty() ? std::string("defaults") : Join(settings.sources, " + ")) +
      (tls != nullptr ? ", TLS" : "") +
      (settings.key_prefix ? ", namespace " + *settings.key_prefix : "");
  return command;
}

}  // namespace bp
