#include "proxy_config/tls_check.h"

#include "base/strings.h"
#include "proxy_config/version_guard.h"
#include "proxy_config/x509_pem.h"

namespace bp {

namespace {

Error Bad(const TlsFile& file, const std::string& problem, const std::string& hint = "") {
  const std::string where = file.path.empty() ? file.origin : file.origin + " (" + file.path + ")";
  return MakeError(ErrorKind::kInvalidInput, where + ": " + problem, hint);
}

Result<std::string> Contents(const TlsFile& file) {
  if (file.path.empty()) return file.pem;
  return ReadPemFile(file.origin, file.path);
}

Status CheckCa(const TlsFile& file) {
  Result<std::string> text = Contents(file);
  if (!text.ok()) return text.error();
  if (ReadPemCertificates(text.value()).empty())
    return Bad(file, "holds no PEM certificate",
               "give the CA bundle that signed the etcd servers' certificates");
  return Ok();
}

Result<X509Ptr> LoadClientCert(const TlsFile& file) {
  Result<std::string> text = Contents(file);
  if (!text.ok()) return text.error();
  // etcd decodes the first PEM block as the certificate; anything else there fails in Go.
  const size_t begin = text.value().find("-----BEGIN ");
  if (begin == std::string::npos ||
      text.value().compare(begin, 27, "-----BEGIN CERTIFICATE-----") != 0) {
    return Bad(file, "does not start with a PEM certificate");
  }
  std::vector<X509Ptr> certs = ReadPemCertificates(text.value());
  if (certs.empty()) return Bad(file, "holds a certificate that cannot be parsed");
  X509Ptr cert = std::move(certs.front());
  if (const std::string name = SubjectCommonName(cert.get()); !name.empty()) {
    return Bad(
        file,
        "the client certificate's subject has CN=" + name +
            ", and etcd's grpc-proxy accepts only client certificates with an empty Common Name",
        "issue the proxy a certificate without CN (identify it with a SAN), see "
        "etcd-io/etcd#11970");
  }
  return cert;
}

Result<KeyPtr> LoadKey(const TlsFile& file) {
  Result<std::string> text = Contents(file);
  if (!text.ok()) return text.error();
  Result<KeyPtr> key = ReadPemPrivateKey(text.value());
  if (!key.ok()) return Bad(file, key.error().message, key.error().hint);
  return key;
}

}  // namespace

Status CheckTlsMaterial(const ProxySettings& settings, const EtcdVersionProbe& etcd_version) {
  if (settings.cert.has_value() != settings.key.has_value()) {
    const TlsFile& present = settings.cert ? *settings.cert : *settings.key;
    return MakeError(
        ErrorKind::kInvalidInput,
        present.origin + " is set without its " + (settings.cert ? "key" : "certificate"),
        "a client certificate needs its key: set both BPL_ETCD_PROXY_CERT and BPL_ETCD_PROXY_KEY");
  }
  if (settings.cacert) {
    Status ca = CheckCa(*settings.cacert);
    if (!ca.ok()) return ca;
  }
  if (settings.cert) {
    Result<X509Ptr> cert = LoadClientCert(*settings.cert);
    if (!cert.ok()) return cert.error();
    Result<KeyPtr> key = LoadKey(*settings.key);
    if (!key.ok()) return key.error();
    if (!KeyBelongsTo(cert.value().get(), key.value().get())) {
      return Bad(*settings.key, "is not the key of the certificate in " + settings.cert->origin);
    }
    return Ok();
  }
  if (settings.cacert) {
    Result<std::string> version = etcd_version();
    if (!version.ok()) return version.error();
    if (FollowsEtcd35ProxyRules(version.value())) {
      return MakeError(ErrorKind::kInvalidInput,
                       settings.cacert->origin +
                           " is set without a client certificate, which etcd " + version.value() +
                           "'s grpc-proxy cannot start with",
                       "set BPL_ETCD_PROXY_CERT and BPL_ETCD_PROXY_KEY (or bind them) as well");
    }
  }
  return Ok();
}

}  // namespace bp
