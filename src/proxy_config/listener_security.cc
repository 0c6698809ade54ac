#include "proxy_config/listener_security.h"

#include "base/strings.h"

namespace bp {

namespace {

Result<Address> AdvertisedAddress(const ClusterOptions& options, const Address& listen) {
  if (!options.advertise_addr) {
    if (!IsWildcardHost(listen.host)) return listen;
    Address local = listen;
    local.host = "127.0.0.1";  // a wildcard would send syncing clients nowhere
    return local;
  }
  const std::string& text = *options.advertise_addr;
  Result<Address> address = ParseAdvertiseAddress(text);
  if (!address.ok()) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) + " is not a host:port address",
        "give the address clients reach the proxy at, e.g. etcd-proxy.my-namespace.svc:2379");
  }
  if (IsWildcardHost(address.value().host)) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) +
            " is a wildcard address, which sends clients nowhere",
        "give the address clients reach the proxy at, or unset it to advertise 127.0.0.1:<port>");
  }
  if (address.value().scheme == "http" && options.listener_tls()) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) + " uses http://, but the listener has TLS",
        "give host:port (the proxy advertises https:// with BPL_ETCD_PROXY_LISTEN_CERT)");
  }
  return address;
}

// Refuses a listener beyond loopback without client-certificate auth, unless the operator
// accepted the risk (then a warning).
Status CheckExposure(const ClusterOptions& options, const ListenAddress& listen,
                     std::vector<std::string>& warnings) {
  const bool client_auth = options.listener_tls() && options.listen_client_ca.has_value();
  if (IsLoopbackHost(listen.address.host) || client_auth) return Ok();
  const std::string exposure =
      "BPL_ETCD_PROXY_LISTEN_ADDR=" + listen.text +
      " makes the proxy reachable beyond this container, and it forwards requests with its "
      "own client certificate, so anyone who reaches it acts as the proxy";
  if (!options.allow_insecure_listen) {
    return MakeError(ErrorKind::kInvalidInput,
                     exposure + (options.listener_tls()
                                     ? " (its TLS listener has no BPL_ETCD_PROXY_LISTEN_CLIENT_CA)"
                                     : ""),
                     "listen on 127.0.0.1, or set BPL_ETCD_PROXY_LISTEN_CERT, _LISTEN_KEY and "
                     "_LISTEN_CLIENT_CA "
                     "(client-certificate auth), or accept the risk with "
                     "BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true");
  }
  warnings.push_back(exposure + " (BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true)");
  return Ok();
}

}  // namespace

Result<ListenerPlan> PlanListener(const ClusterOptions& options, const ListenAddress& listen,
                                  std::vector<std::string>& warnings) {
  Status exposure = CheckExposure(options, listen, warnings);
  if (!exposure.ok()) return exposure.error();
  Result<Address> advertised = AdvertisedAddress(options, listen.address);
  if (!advertised.ok()) return advertised.error();
  ListenerPlan plan;
  plan.listen_addr = listen.text;
  plan.advertise_host = advertised.value().host;
  Address shown = advertised.value();
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
  plan.advertise_url = shown.ToString();
  return plan;
}

}  // namespace bp
