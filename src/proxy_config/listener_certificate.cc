#include "proxy_config/listener_certificate.h"

#include <optional>

#include "base/settings.h"
#include "base/strings.h"
#include "proxy_config/version_guard.h"

namespace bp {

namespace {

// A problem the listener certificate has for the self-dial; `clients_meet_it` when 3.4's clients,
// which do not share the self-dial's trust or client-certificate rules, would meet it too.
struct SelfDialProblem {
  std::string text;
  std::string hint;
  bool clients_meet_it = false;
};

std::string Described(std::string_view setting, const std::string& path) {
  return std::string(setting) + " (" + EscapeControl(path) + ")";
}

Error Unusable(std::string_view setting, const std::string& path, const std::string& problem,
               const std::string& hint) {
  return MakeError(ErrorKind::kInvalidInput, Described(setting, path) + " " + problem, hint);
}

// Go's crypto/x509 system roots on Linux (root_linux.go, root_unix.go): SSL_CERT_FILE or the
// first of these files that exists, plus the certificates in SSL_CERT_DIR (colon-separated) or
// these directories. OpenSSL looks directories up by subject hash (c_rehash links, which
// ca-certificates maintains) where Go reads every file: the same certificates in practice.
StorePtr GoSystemRoots(const Env& env) {
  std::vector<std::string> files = {"/etc/ssl/certs/ca-certificates.crt",
                                    "/etc/pki/tls/certs/ca-bundle.crt",
                                    "/etc/ssl/ca-bundle.pem",
                                    "/etc/pki/tls/cacert.pem",
                                    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
                                    "/etc/ssl/cert.pem"};
  if (std::optional<std::string> file = env.Get("SSL_CERT_FILE")) files = {*file};
  std::vector<std::string> dirs = {"/etc/ssl/certs", "/etc/pki/tls/certs"};
  if (std::optional<std::string> dir = env.Get("SSL_CERT_DIR")) dirs = SplitList(*dir, ':');
  return StoreFrom(files, dirs);
}

std::optional<SelfDialProblem> ValidityProblem(X509* leaf) {
  const ValidityPeriod period = ValidityOf(leaf);
  if (period.ended) {
    return SelfDialProblem{"expired on " + period.not_after, "renew the listener certificate",
                           true};
  }
  if (!period.started) {
    return SelfDialProblem{"is not valid before " + period.not_before,
                           "use a certificate that is valid now (check the issuer's clock)", true};
  }
  return std::nullopt;
}

std::optional<SelfDialProblem> KeyUsageProblem(X509* leaf, bool demands_client_certificate) {
  const ExtendedKeyUsage usage = ExtendedKeyUsageOf(leaf);
  const std::string hint = "issue it with extendedKeyUsage serverAuth" +
                           std::string(demands_client_certificate ? ", clientAuth" : "") +
                           " (or with no extendedKeyUsage)";
  if (!usage.server_auth)
    return SelfDialProblem{"does not allow serverAuth (extendedKeyUsage)", hint, true};
  if (demands_client_certificate && !usage.client_auth) {
    return SelfDialProblem{
        "does not allow clientAuth (extendedKeyUsage), and with BPL_ETCD_PROXY_LISTEN_CLIENT_CA "
        "the "
        "listener demands it as the client certificate of the proxy's own dial",
        hint, false};
  }
  return std::nullopt;
}

std::optional<SelfDialProblem> TrustProblem(const std::vector<X509Ptr>& chain,
                                            const std::vector<X509Ptr>& client_ca,
                                            const ClusterOptions& options, const Env& env) {
  if (options.listen_client_ca) {
    StorePtr roots = StoreOf(client_ca);
    std::optional<std::string> failure = ChainFailure(chain, roots.get());
    if (!failure) return std::nullopt;
    return SelfDialProblem{
        "is not issued by a CA in " +
            Described(settings::kListenClientCa.name, *options.listen_client_ca) + " (" + *failure +
            "), which the proxy verifies its own certificate with",
        "add the CA that issued the listener certificate to BPL_ETCD_PROXY_LISTEN_CLIENT_CA "
        "(a PEM bundle may hold several CAs)"};
  }
  StorePtr roots = GoSystemRoots(env);
  std::optional<std::string> failure = ChainFailure(chain, roots.get());
  if (!failure) return std::nullopt;
  return SelfDialProblem{"is not issued by a CA the system trusts (" + *failure +
                             "), which the proxy verifies its own certificate with when "
                             "BPL_ETCD_PROXY_LISTEN_CLIENT_CA "
                             "is unset (Go's roots: SSL_CERT_FILE, SSL_CERT_DIR, /etc/ssl/certs)",
                         "set BPL_ETCD_PROXY_LISTEN_CLIENT_CA to the CA that issued it (clients "
                         "then need certificates "
                         "from that CA), or add that CA to SSL_CERT_FILE"};
}

Status CheckKey(const ClusterOptions& options, X509* leaf) {
  const std::string& path = *options.listen_key;
  Result<KeyPtr> key = ReadListenerKey(path);
  if (!key.ok()) return key.error();
  if (!KeyBelongsTo(leaf, key.value().get())) {
    return Unusable(settings::kListenKey.name, path,
                    "is not the key of the certificate in BPL_ETCD_PROXY_LISTEN_CERT",
                    "give the private key that was issued with the listener certificate");
  }
  return Ok();
}

Result<std::vector<X509Ptr>> ReadCertificates(std::string_view setting, const std::string& path,
                                              const std::string& hint) {
  Result<std::string> text = ReadPemFile(setting, path);
  if (!text.ok()) return text.error();
  std::vector<X509Ptr> certs = ReadPemCertificates(text.value());
  if (certs.empty()) return Unusable(setting, path, "holds no PEM certificate", hint);
  return certs;
}

// The first problem the self-dial meets with the listener certificate `chain`, if any.
std::optional<SelfDialProblem> SelfDialProblemOf(const std::vector<X509Ptr>& chain,
                                                 const std::vector<X509Ptr>& client_ca,
                                                 const ClusterOptions& options,
                                                 const std::string& advertise_host,
                                                 const Env& env) {
  X509* leaf = chain.front().get();
  std::optional<SelfDialProblem> problem = ValidityProblem(leaf);
  if (!problem) problem = KeyUsageProblem(leaf, options.listen_client_ca.has_value());
  if (!problem && !CoversHost(leaf, advertise_host)) {
    problem = SelfDialProblem{"does not cover the advertised host " + advertise_host,
                              "add " + advertise_host +
                                  " to the certificate's subjectAltNames, or set "
                                  "BPL_ETCD_PROXY_ADVERTISE_ADDR to a host it covers",
                              true};
  }
  if (!problem) problem = TrustProblem(chain, client_ca, options, env);
  return problem;
}

// Refuses `problem` where grpc-proxy dials itself (3.5 and later); else warns when clients meet it.
Status RefuseOrWarn(const SelfDialProblem& problem, const std::string& cert_path,
                    std::vector<std::string>& warnings,
                    const std::function<Result<std::string>()>& installed) {
  Result<std::string> version = installed();
  if (!version.ok()) return version.error();
  const std::string subject = Described(settings::kListenCert.name, cert_path) + " " + problem.text;
  if (FollowsEtcd35ProxyRules(version.value())) {
    return MakeError(ErrorKind::kInvalidInput,
                     subject + ", and etcd " + version.value() +
                         "'s grpc-proxy dials its advertised URL with that certificate and "
                         "exits when it cannot",
                     problem.hint);
  }
  if (problem.clients_meet_it) warnings.push_back(subject + ": clients that verify it will fail");
  return Ok();
}

}  // namespace

Result<KeyPtr> ReadListenerKey(const std::string& path) {
  Result<std::string> text = ReadPemFile(settings::kListenKey.name, path);
  if (!text.ok()) return text.error();
  Result<KeyPtr> key = ReadPemPrivateKey(text.value());
  if (!key.ok()) {
    return Unusable(settings::kListenKey.name, path, key.error().message,
                    key.error().hint.empty()
                        ? "give the PEM private key of BPL_ETCD_PROXY_LISTEN_CERT"
                        : key.error().hint);
  }
  return key;
}

Status CheckListenerCertificate(const ClusterOptions& options, const std::string& advertise_host,
                                const Env& env, std::vector<std::string>& warnings,
                                const std::function<Result<std::string>()>& installed) {
  if (!options.listener_tls()) return Ok();
  const std::string& cert_path = *options.listen_cert;
  Result<std::vector<X509Ptr>> chain = ReadCertificates(
      settings::kListenCert.name, cert_path, "give the PEM certificate of the proxy's listener");
  if (!chain.ok()) return chain.error();
  Status key = CheckKey(options, chain.value().front().get());
  if (!key.ok()) return key;
  std::vector<X509Ptr> client_ca;
  if (options.listen_client_ca) {
    Result<std::vector<X509Ptr>> ca =
        ReadCertificates(settings::kListenClientCa.name, *options.listen_client_ca,
                         "give the PEM CA bundle that issued the clients' certificates");
    if (!ca.ok()) return ca.error();
    client_ca = std::move(ca.value());
  }
  const std::optional<SelfDialProblem> problem =
      SelfDialProblemOf(chain.value(), client_ca, options, advertise_host, env);
  if (!problem) return Ok();
  return RefuseOrWarn(*problem, cert_path, warnings, installed);
}

}  // namespace bp
