#include "proxy/listener_security.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <memory>

#include "base/files.h"
#include "base/settings.h"
#include "base/strings.h"
#include "base/version.h"
#include "proxy/proxy_command.h"

namespace bp {

namespace {

Error Refuse(const std::string& message, const std::string& hint) {
  return MakeError(ErrorKind::kInvalidInput, message, hint);
}

bool IsIpAddress(const std::string& host) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

// Go's ":port" listens everywhere; ParseUrl needs a host.
std::optional<Url> ParseHostPort(const std::string& text) {
  std::optional<Url> url = ParseUrl(StartsWith(text, ":") ? "0.0.0.0" + text : text);
  if (!url || url->port.empty() || !url->userinfo.empty() || (!url->path.empty() && url->path != "/")) return std::nullopt;
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
    return Refuse("BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) + " is not a host:port address",
                  "give the address clients reach the proxy at, e.g. etcd-proxy.my-namespace.svc:2379");
  }
  if (IsWildcardHost(url->host)) {
    return Refuse("BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) + " is a wildcard address, which sends clients nowhere",
                  "give the address clients reach the proxy at, or unset it to advertise 127.0.0.1:<port>");
  }
  if (url->scheme == "http" && options.listener_tls()) {
    return Refuse("BPL_ETCD_PROXY_ADVERTISE_ADDR=" + Quote(text) + " uses http://, but the listener has TLS",
                  "give host:port (the proxy advertises https:// with BPL_ETCD_PROXY_LISTEN_CERT)");
  }
  url->path.clear();
  return *url;
}

}  // namespace

bool IsWildcardHost(const std::string& host) { return host.empty() || host == "0.0.0.0" || host == "::"; }

Result<ListenerPlan> PlanListener(const ClusterOptions& options, const std::string& listen_text, const Url& listen,
                                  std::vector<std::string>& warnings) {
  ListenerPlan plan;
  plan.listen_addr = listen_text;
  const bool client_auth = options.listener_tls() && options.listen_client_ca.has_value();
  if (!IsLoopbackHost(listen.host) && !client_auth) {
    const std::string exposure = "BPL_ETCD_PROXY_LISTEN_ADDR=" + listen_text +
                                 " makes the proxy reachable beyond this container, and it forwards requests with its "
                                 "own client certificate, so anyone who reaches it acts as the proxy";
    if (!options.allow_insecure_listen) {
      return Refuse(exposure + (options.listener_tls() ? " (its TLS listener has no BPL_ETCD_PROXY_LISTEN_CLIENT_CA)" : ""),
                    "listen on 127.0.0.1, or set BPL_ETCD_PROXY_LISTEN_CERT, _LISTEN_KEY and _LISTEN_CLIENT_CA "
                    "(client-certificate auth), or accept the risk with BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true");
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
    if (options.listen_client_ca) plan.tls_flags.push_back("--trusted-ca-file=" + *options.listen_client_ca);
  }
  // etcd members advertise URLs with a scheme (http://host:port); a syncing client reads this one
  // from `member list` through the proxy, so it gets the same shape.
  if (shown.scheme.empty()) shown.scheme = "http";
  plan.advertise_url = shown.scheme + "://" + shown.HostPort();
  return plan;
}

Result<bool> CertificateCoversHost(const std::string& cert_pem, const std::string& host) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())),
                                                BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  ERR_clear_error();
  if (!cert) return MakeError(ErrorKind::kInvalidInput, "holds no PEM certificate");
  if (IsIpAddress(host)) return X509_check_ip_asc(cert.get(), host.c_str(), 0) == 1;
  return X509_check_host(cert.get(), host.data(), host.size(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr) == 1;
}

Status CheckListenerCertificate(const ClusterOptions& options, const std::string& advertise_host,
                                std::vector<std::string>& warnings,
                                const std::function<Result<std::string>()>& installed) {
  if (!options.listener_tls()) return Ok();
  const std::string& path = *options.listen_cert;
  Result<std::string> pem = ReadSmallFile(path, kMaxSettingBytes);
  if (!pem.ok()) {
    return MakeError(ErrorKind::kInvalidInput, "BPL_ETCD_PROXY_LISTEN_CERT: " + pem.error().message,
                     "give the PEM certificate of the proxy's listener");
  }
  Result<bool> covers = CertificateCoversHost(pem.value(), advertise_host);
  if (!covers.ok()) {
    return MakeError(ErrorKind::kInvalidInput, "BPL_ETCD_PROXY_LISTEN_CERT (" + path + ") " + covers.error().message,
                     "give the PEM certificate of the proxy's listener");
  }
  for (const auto& [value, name] : {std::pair{options.listen_key, settings::kListenKey.name},
                                    std::pair{options.listen_client_ca, settings::kListenClientCa.name}}) {
    if (!value) continue;
    Result<std::string> text = ReadSmallFile(*value, kMaxSettingBytes);
    if (!text.ok()) return MakeError(ErrorKind::kInvalidInput, std::string(name) + ": " + text.error().message);
  }
  if (covers.value()) return Ok();
  Result<std::string> version = installed();
  if (!version.ok()) return version.error();
  const std::string problem = "BPL_ETCD_PROXY_LISTEN_CERT (" + path + ") does not cover the advertised host " +
                              advertise_host;
  const std::optional<Version> v = ParseVersion(version.value());
  const bool self_dials = !v || v->major > 3 || (v->major == 3 && v->minor >= 5);
  if (self_dials) {
    return Refuse(problem + ", and etcd " + version.value() +
                      "'s grpc-proxy dials its advertised URL with that certificate and exits when it cannot",
                  "add " + advertise_host + " to the certificate's subjectAltNames, or set "
                  "BPL_ETCD_PROXY_ADVERTISE_ADDR to a host it covers");
  }
  warnings.push_back(problem + ": clients that verify it there will fail");
  return Ok();
}

}  // namespace bp
