#include "proxy_config/listener_certificate.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <optional>

#include "base/files.h"
#include "base/settings.h"
#include "base/strings.h"
#include "proxy_config/version_guard.h"
#include "proxy_config/x509_pem.h"

namespace bp {

namespace {

using StorePtr = std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)>;

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

Result<std::string> ReadSetting(std::string_view setting, const std::string& path) {
  Result<std::string> text = ReadSmallFile(path, kMaxSettingBytes);
  if (!text.ok())
    return MakeError(ErrorKind::kInvalidInput, std::string(setting) + ": " + text.error().message);
  return text;
}

bool IsIpAddress(const std::string& host) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

bool Covers(X509* cert, const std::string& host) {
  if (IsIpAddress(host)) return X509_check_ip_asc(cert, host.c_str(), 0) == 1;
  return X509_check_host(cert, host.data(), host.size(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT,
                         nullptr) == 1;
}

std::string UtcTime(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unreadable date";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

// Go's crypto/x509 system roots on Linux (root_linux.go, root_unix.go): SSL_CERT_FILE or the
// first of these files that exists, plus the certificates in SSL_CERT_DIR (colon-separated) or
// these directories. OpenSSL looks directories up by subject hash (c_rehash links, which
// ca-certificates maintains) where Go reads every file: the same certificates in practice.
StorePtr GoSystemRoots(const Env& env) {
  StorePtr store(X509_STORE_new(), X509_STORE_free);
  std::vector<std::string> files = {"/etc/ssl/certs/ca-certificates.crt",
                                    "/etc/pki/tls/certs/ca-bundle.crt",
                                    "/etc/ssl/ca-bundle.pem",
                                    "/etc/pki/tls/cacert.pem",
                                    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
                                    "/etc/ssl/cert.pem"};
  if (std::optional<std::string> file = env.Get("SSL_CERT_FILE")) files = {*file};
  for (const std::string& file : files) {
    if (X509_STORE_load_file(store.get(), file.c_str()) == 1) break;
  }
  std::vector<std::string> dirs = {"/etc/ssl/certs", "/etc/pki/tls/certs"};
  if (std::optional<std::string> dir = env.Get("SSL_CERT_DIR")) dirs = SplitList(*dir, ':');
  for (const std::string& dir : dirs) X509_STORE_load_path(store.get(), dir.c_str());
  ERR_clear_error();
  return store;
}

// Returns why `chain` (leaf first) does not verify to a root in `roots`, as Go's Verify would
// (a trusted leaf alone is enough there, hence PARTIAL_CHAIN; no purpose: key usage is checked
// apart); nullopt when it does.
std::optional<std::string> ChainFailure(const std::vector<X509Ptr>& chain, X509_STORE* roots) {
  struct FreeStack {
    void operator()(STACK_OF(X509) * stack) const {
      sk_X509_free(stack);
    }  // the certificates stay in `chain`
  };
  std::unique_ptr<STACK_OF(X509), FreeStack> untrusted(sk_X509_new_null());
  for (size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted.get(), chain[i].get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  X509_STORE_set_flags(roots, X509_V_FLAG_PARTIAL_CHAIN);
  if (!ctx || X509_STORE_CTX_init(ctx.get(), roots, chain.front().get(), untrusted.get()) != 1)
    return "cannot verify";
  const bool verified = X509_verify_cert(ctx.get()) == 1;
  const int code = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  if (verified) return std::nullopt;
  return std::string(X509_verify_cert_error_string(code));
}

std::optional<SelfDialProblem> ValidityProblem(X509* leaf) {
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    return SelfDialProblem{"expired on " + UtcTime(X509_get0_notAfter(leaf)),
                           "renew the listener certificate", true};
  }
  if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
    return SelfDialProblem{"is not valid before " + UtcTime(X509_get0_notBefore(leaf)),
                           "use a certificate that is valid now (check the issuer's clock)", true};
  }
  return std::nullopt;
}

// Go ignores the keyUsage bits and checks extendedKeyUsage only: no extension, or
// anyExtendedKeyUsage, allows everything.
std::optional<SelfDialProblem> KeyUsageProblem(X509* leaf, bool demands_client_certificate) {
  const uint32_t usages = X509_get_extended_key_usage(leaf);
  if (usages & XKU_ANYEKU) return std::nullopt;
  const std::string hint = "issue it with extendedKeyUsage serverAuth" +
                           std::string(demands_client_certificate ? ", clientAuth" : "") +
                           " (or with no extendedKeyUsage)";
  if (!(usages & XKU_SSL_SERVER))
    return SelfDialProblem{"does not allow serverAuth (extendedKeyUsage)", hint, true};
  if (demands_client_certificate && !(usages & XKU_SSL_CLIENT)) {
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
    StorePtr roots(X509_STORE_new(), X509_STORE_free);
    for (const X509Ptr& ca : client_ca) X509_STORE_add_cert(roots.get(), ca.get());
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
  Result<std::string> text = ReadSetting(settings::kListenKey.name, path);
  if (!text.ok()) return text.error();
  Result<KeyPtr> key = ReadPemPrivateKey(text.value());
  if (!key.ok()) {
    return Unusable(settings::kListenKey.name, path, key.error().message,
                    key.error().hint.empty()
                        ? "give the PEM private key of BPL_ETCD_PROXY_LISTEN_CERT"
                        : key.error().hint);
  }
  if (!KeyBelongsTo(leaf, key.value().get())) {
    return Unusable(settings::kListenKey.name, path,
                    "is not the key of the certificate in BPL_ETCD_PROXY_LISTEN_CERT",
                    "give the private key that was issued with the listener certificate");
  }
  return Ok();
}

Result<std::vector<X509Ptr>> ReadCertificates(std::string_view setting, const std::string& path,
                                              const std::string& hint) {
  Result<std::string> text = ReadSetting(setting, path);
  if (!text.ok()) return text.error();
  std::vector<X509Ptr> certs = ReadPemCertificates(text.value());
  if (certs.empty()) return Unusable(setting, path, "holds no PEM certificate", hint);
  return certs;
}

}  // namespace

Result<bool> CertificateCoversHost(const std::string& cert_pem, const std::string& host) {
  std::vector<X509Ptr> certs = ReadPemCertificates(cert_pem);
  if (certs.empty()) return MakeError(ErrorKind::kInvalidInput, "holds no PEM certificate");
  return Covers(certs.front().get(), host);
}

Status CheckListenerCertificate(const ClusterOptions& options, const std::string& advertise_host,
                                const Env& env, std::vector<std::string>& warnings,
                                const std::function<Result<std::string>()>& installed) {
  if (!options.listener_tls()) return Ok();
  const std::string& cert_path = *options.listen_cert;
  Result<std::vector<X509Ptr>> chain = ReadCertificates(
      settings::kListenCert.name, cert_path, "give the PEM certificate of the proxy's listener");
  if (!chain.ok()) return chain.error();
  X509* leaf = chain.value().front().get();
  Status key = CheckKey(options, leaf);
  if (!key.ok()) return key;
  std::vector<X509Ptr> client_ca;
  if (options.listen_client_ca) {
    Result<std::vector<X509Ptr>> ca =
        ReadCertificates(settings::kListenClientCa.name, *options.listen_client_ca,
                         "give the PEM CA bundle that issued the clients' certificates");
    if (!ca.ok()) return ca.error();
    client_ca = std::move(ca.value());
  }
  std::optional<SelfDialProblem> problem = ValidityProblem(leaf);
  if (!problem) problem = KeyUsageProblem(leaf, options.listen_client_ca.has_value());
  if (!problem && !Covers(leaf, advertise_host)) {
    problem = SelfDialProblem{"does not cover the advertised host " + advertise_host,
                              "add " + advertise_host +
                                  " to the certificate's subjectAltNames, or set "
                                  "BPL_ETCD_PROXY_ADVERTISE_ADDR to a host it covers",
                              true};
  }
  if (!problem) problem = TrustProblem(chain.value(), client_ca, options, env);
  if (!problem) return Ok();
  Result<std::string> version = installed();
  if (!version.ok()) return version.error();
  const std::string subject =
      Described(settings::kListenCert.name, cert_path) + " " + problem->text;
  if (FollowsEtcd35ProxyRules(version.value())) {
    return MakeError(ErrorKind::kInvalidInput,
                     subject + ", and etcd " + version.value() +
                         "'s grpc-proxy dials its advertised URL with that certificate and "
                         "exits when it cannot",
                     problem->hint);
  }
  if (problem->clients_meet_it) warnings.push_back(subject + ": clients that verify it will fail");
  return Ok();
}

}  // namespace bp
