#include "proxy_config/listener_security.h"

#include "base/strings.h"
#include "proxy_config/proxy_command.h"

namespace bp {

namespace {

Error Refuse(const std::string& message, const std::string& hint) {
  return MakeError(ErrorKind::kInvalidInput, message, hint);
}

// Go's ":port" listens everywhere; ParseUrl needs a host.
std::optional<Url> ParseHostPort(const std::string& text) {
  std::optional<Url> url = ParseUrl(StartsWith(text, ":") ? "0.0.0.0" + text : text);
  if (!url || url->port.empty() || !url->userinfo.empty() ||
      (!url->path.empty() && url->path != "/"))
    return std::nullopt;
  return url;
}

Result<Url> AdvertisedAddress(const ClusterOptions& options, const Url& listen) {
  if (!options.advertise_addr) {
    if (!IsWildcardHost(listen.host)) return listen;
    Url local = listen;
    local.host = "127.0.0.1";  // a wildcard would send syncing clients nowhere
    return local;
  }
  const std::string& text = *options.advertise_addr;
  std::optional<Url> url = ParseHostPort(text);
  if (!url || (!url->scheme.empty() && url->scheme != "http" && url->scheme != "https")) {
    return Refuse(
        "BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) + " is not a host:port address",
        "give the address clients reach the proxy at, e.g. etcd-proxy.my-namespace.svc:2379");
  }
  if (IsWildcardHost(url->host)) {
    return Refuse(
        "BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) +
            " is a wildcard address, which sends clients nowhere",
        "give the address clients reach the proxy at, or unset it to advertise 127.0.0.1:<port>");
  }
  if (url->scheme == "http" && options.listener_tls()) {
    return Refuse(
        "BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) + " uses http://, but the listener has TLS",
        "give host:port (the proxy advertises https:// with BPL_ETCD_PROXY_LISTEN_CERT)");
  }
  url->path.clear();
  return *url;
}

}  // namespace

bool IsWildcardHost(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::";
}

Result<ListenerPlan> PlanListener(const ClusterOptions& options, const std::string& listen_text,
                                  const Url& listen, std::vector<std::string>& warnings) {
  ListenerPlan plan;
  plan.listen_addr = listen_text;
  const bool client_auth = options.listener_tls() && options.listen_client_ca.has_value();
  if (!IsLoopbackHost(listen.host) && !client_auth) {
    const std::string exposure =
        "BPL_ETCD_PROXY_LISTEN_ADDR=" + listen_text +
        " makes the proxy reachable beyond this container, and it forwards requests with its "
        "own client certificate, so anyone who reaches it acts as the proxy";
    if (!options.allow_insecure_listen) {
      return Refuse(exposure + (options.listener_tls()
                                    ? " (its TLS listener has no BPL_ETCD_PROXY_LISTEN_CLIENT_CA)"
                                    : ""),
                    "listen on 127.0.0.1, or set BPL_ETCD_PROXY_LISTEN_CERT, _LISTEN_KEY and "
                    "_LISTEN_CLIENT_CA "
                    "(client-certificate auth), or accept the risk with "
                    "BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true");
    }
    warnings.push_back(exposure + " (BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true)");
  }
  Result<Url> advertised = AdvertisedAddress(options, listen);
  if (!advertised.ok()) return advertised.error();
  plan.advertise_host = advertised.value().host;
  Url shown = advertised.value();
  if (options.listener_tls()) {
    shown.scheme = "https";
    plan.tls_flags.push_back("--cert-file=" + *options.listen_cert);
    plan.tls_flags.push_back("--key-file=" + *options.listen_key);
    if (options.listen_client_ca)
      plan.tls_flags.push_back("--trusted-ca-file=" + *options.listen_client_ca);
  }
  // etcd members advertise URLs with a scheme (http://host:port); a syncing client reads this one
  // from `member list` through the proxy, so it gets the same shape.
  if (shown.scheme.empty()) shown.scheme = "http";
  plan.advertise_url = shown.scheme + "://" + shown.HostPort();
  return plan;
}

}  // namespace bp
