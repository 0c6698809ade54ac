#include "proxy/proxy_command.h"

#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

Error Refuse(const std::string& message, const std::string& hint) {
  return MakeError(ErrorKind::kInvalidInput, message, hint);
}

// True when connecting to `endpoint` would reach the proxy's own listener.
bool PointsAtListener(const Url& endpoint, const Url& listen) {
  const std::string port = endpoint.port.empty() ? (endpoint.scheme == "https" ? "443" : "80") : endpoint.port;
  if (port != listen.port) return false;
  if (endpoint.host == listen.host) return true;
  const bool endpoint_local = IsLoopbackHost(endpoint.host) || IsWildcardHost(endpoint.host);
  return endpoint_local && (IsLoopbackHost(listen.host) || IsWildcardHost(listen.host));
}

Result<Url> ParseListenAddr(const std::string& text, const char* setting) {
  std::optional<Url> url = ParseUrl(StartsWith(text, ":") ? "0.0.0.0" + text : text);  // Go's ":port"
  if (!url || !url->scheme.empty() || url->port.empty() || !url->path.empty() || !url->userinfo.empty()) {
    return Refuse(std::string(setting) + "=\"" + text + "\" is not a host:port address",
                  "for example 127.0.0.1:2379");
  }
  return *url;
}

Result<std::vector<Url>> ParseEndpoints(const ProxySettings& settings) {
  if ((!settings.endpoints || settings.endpoints->empty()) && settings.cluster.discovery_srv) {
    return std::vector<Url>();  // the members come from DNS SRV records
  }
  if (!settings.endpoints || settings.endpoints->empty()) {
    return Refuse("no etcd endpoints: none of BPL_ETCD_PROXY_ENDPOINTS, a binding of type etcd under "
                  "SERVICE_BINDING_ROOT, or an etcd service in VCAP_SERVICES provides them",
                  "set BPL_ETCD_PROXY_ENDPOINTS=host:port[,host:port], BPL_ETCD_PROXY_DISCOVERY_SRV=<domain>, "
                  "or bind an etcd service");
  }
  std::vector<Url> endpoints;
  for (const std::string& text : *settings.endpoints) {
    const std::optional<Url> url = ParseUrl(text);
    const std::string shown = RedactUrl(text);
    if (!url || (!url->path.empty() && url->path != "/") ||
        (url->scheme != "" && url->scheme != "http" && url->scheme != "https")) {
      return Refuse(settings.endpoints_origin + ": \"" + shown + "\" is not an etcd endpoint",
                    "use host:port, http://host:port or https://host:port");
    }
    if (url->scheme.empty() && url->port.empty()) {
      return Refuse(settings.endpoints_origin + ": endpoint \"" + shown + "\" has no port", "etcd's client port is usually 2379");
    }
    endpoints.push_back(*url);
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
  return host == "localhost" || host == "::1" || StartsWith(host, "127.");
}

std::string RedactArgument(const std::string& arg) {
  if (arg.find('@') == std::string::npos && arg.find('?') == std::string::npos) return arg;
  const size_t eq = arg.find('=');
  const std::string flag = eq == std::string::npos ? "" : arg.substr(0, eq + 1);
  std::vector<std::string> items;
  std::string_view rest = std::string_view(arg).substr(flag.size());
  while (true) {
    const size_t comma = rest.find(',');
    items.push_back(RedactUrl(rest.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return flag + Join(items, ",");
}

Result<ProxyCommand> AssembleProxyCommand(const ProxySettings& settings, const std::string& etcd,
                                          const std::string& default_data_dir,
                                          const std::vector<std::string>& passthrough) {
  const std::string listen_text = settings.listen_addr.value_or(kDefaultListenAddr);
  Result<Url> listen = ParseListenAddr(listen_text, "BPL_ETCD_PROXY_LISTEN_ADDR");
  if (!listen.ok()) return listen.error();
  Result<std::vector<Url>> endpoints = ParseEndpoints(settings);
  if (!endpoints.ok()) return endpoints.error();
  Result<ListenerPlan> listener = PlanListener(settings.cluster, listen_text, listen.value());
  if (!listener.ok()) return listener.error();
  const TlsFile* tls = FirstTlsFile(settings);
  const bool insecure = settings.insecure_skip_tls_verify.value_or(false);
  for (const Url& endpoint : endpoints.value()) {
    if (PointsAtListener(endpoint, listen.value())) {
      return Refuse(settings.endpoints_origin + ": endpoint " + RedactUrl(endpoint.ToString()) +
                        " is the proxy's own listen address " + listen_text + ", so the proxy would forward to itself",
                    "point the endpoints at the etcd cluster, or move the proxy with BPL_ETCD_PROXY_LISTEN_ADDR");
    }
    if (endpoint.scheme == "http" && (tls != nullptr || insecure)) {
      return Refuse(std::string(tls != nullptr ? tls->origin : "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY") +
                        " configures TLS, but endpoint " + RedactUrl(endpoint.ToString()) + " uses plain http://",
                    "use https:// (or host:port) endpoints with TLS, or remove the TLS settings");
    }
  }
  ProxyCommand command;
  command.listener = listener.value();
  command.warnings = command.listener.warnings;
  // grpc-proxy has no etcd credentials of its own (etcd-io/etcd#12897): userinfo is dropped.
  std::vector<std::string> endpoint_flags;
  bool warned_userinfo = false;
  for (Url endpoint : endpoints.value()) {
    if (!endpoint.userinfo.empty() && !warned_userinfo) {
      warned_userinfo = true;
      command.warnings.push_back(settings.endpoints_origin +
                                 ": endpoints carry credentials, which grpc-proxy cannot use; they are ignored "
                                 "(clients send their own, see the README)");
    }
    endpoint.userinfo.clear();
    endpoint_flags.push_back(endpoint.ToString());
  }
  std::vector<std::string>& argv = command.argv;
  // With SRV discovery alone, an explicitly empty list: grpc-proxy falls back to --endpoints when
  // discovery finds no usable member, and its default (127.0.0.1:2379) may be the proxy itself.
  argv = {etcd, "grpc-proxy", "start", "--endpoints=" + Join(endpoint_flags, ","),
          "--listen-addr=" + listen_text, "--advertise-client-url=" + command.listener.advertise_url,
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
  argv.insert(argv.end(), passthrough.begin(), passthrough.end());

  if (settings.cluster.insecure_discovery) {
    command.warnings.push_back("BPL_ETCD_PROXY_INSECURE_DISCOVERY=true: plain-http members from _etcd-client._tcp."
                               + *settings.cluster.discovery_srv + " are accepted");
  }
  if (insecure) command.warnings.push_back("BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY=true: the etcd servers' certificates are not verified");
  const size_t count = endpoints.value().size();
  const std::string targets = std::to_string(count) + " etcd endpoint" + (count == 1 ? "" : "s");
  const std::string discovered = settings.cluster.discovery_srv ? "the etcd members in DNS SRV records of " + *settings.cluster.discovery_srv : "";
  command.summary = "forwarding " + listen_text + (command.listener.tls_flags.empty() ? "" : " (TLS listener)") + " to " +
                    (discovered.empty() ? targets : count == 0 ? discovered : discovered + " (else " + targets + ")") + " from " +
                    (settings.sources.empty() ? std::string("defaults") : Join(settings.sources, " + ")) +
                    (tls != nullptr ? ", TLS" : "") + (settings.key_prefix ? ", namespace " + *settings.key_prefix : "");
  return command;
}

}  // namespace bp
