#include "proxy_config/x509_pem.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "base/files.h"
#include "base/strings.h"

namespace bp {

namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
}

// Refuses every passphrase request: OpenSSL's default would prompt on the terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

// PKCS#8 "ENCRYPTED PRIVATE KEY" and the legacy "Proc-Type: 4,ENCRYPTED" header of OpenSSL's
// traditional format: the two ways a PEM key arrives encrypted.
bool LooksEncrypted(const std::string& text) {
  return text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos ||
         text.find("Proc-Type: 4,ENCRYPTED") != std::string::npos;
}

bool IsIpAddress(const std::string& host) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

std::string UtcTime(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unreadable date";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

}  // namespace

Result<std::string> ReadPemFile(std::string_view setting, const std::string& path) {
  Result<std::string> text = ReadSmallFile(path, kMaxSettingBytes);
  if (!text.ok())
    return MakeError(ErrorKind::kInvalidInput, std::string(setting) + ": " + text.error().message);
  return text;
}

std::vector<X509Ptr> ReadPemCertificates(const std::string& text) {
  std::vector<X509Ptr> certs;
  BioPtr bio = MemoryBio(text);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr))
    certs.emplace_back(cert, X509_free);
  ERR_clear_error();
  return certs;
}

Result<KeyPtr> ReadPemPrivateKey(const std::string& text) {
  if (Trim(text).empty()) return MakeError(ErrorKind::kInvalidInput, "is empty");
  BioPtr bio = MemoryBio(text);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr), EVP_PKEY_free);
  ERR_clear_error();
  if (key) return key;
  if (LooksEncrypted(text)) {
    return MakeError(ErrorKind::kInvalidInput,
                     "holds an encrypted private key, which etcd's grpc-proxy cannot decrypt",
                     "give the key unencrypted (e.g. openssl pkey -in KEY -out KEY.plain) in a "
                     "file only the app can read");
  }
  return MakeError(ErrorKind::kInvalidInput, "holds no PEM private key");
}

bool KeyBelongsTo(X509* cert, EVP_PKEY* key) {
  const bool matches = X509_check_private_key(cert, key) == 1;
  ERR_clear_error();
  return matches;
}

std::string SubjectCommonName(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return "";
  const ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  if (cn == nullptr || ASN1_STRING_length(cn) <= 0) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(cn)),
                     static_cast<size_t>(ASN1_STRING_length(cn)));
}

bool CoversHost(X509* cert, const std::string& host) {
  if (IsIpAddress(host)) return X509_check_ip_asc(cert, host.c_str(), 0) == 1;
  return X509_check_host(cert, host.data(), host.size(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT,
                         nullptr) == 1;
}

ValidityPeriod ValidityOf(X509* cert) {
  ValidityPeriod period;
  period.started = X509_cmp_current_time(X509_get0_notBefore(cert)) <= 0;
  period.ended = X509_cmp_current_time(X509_get0_notAfter(cert)) < 0;
  period.not_before = UtcTime(X509_get0_notBefore(cert));
  period.not_after = UtcTime(X509_get0_notAfter(cert));
  return period;
}

ExtendedKeyUsage ExtendedKeyUsageOf(X509* cert) {
  const uint32_t usages = X509_get_extended_key_usage(cert);  // all bits without the extension
  const bool any = (usages & XKU_ANYEKU) != 0;
  return ExtendedKeyUsage{any || (usages & XKU_SSL_SERVER) != 0,
                          any || (usages & XKU_SSL_CLIENT) != 0};
}

StorePtr StoreOf(const std::vector<X509Ptr>& certs) {
  StorePtr store(X509_STORE_new(), X509_STORE_free);
  for (const X509Ptr& cert : certs) X509_STORE_add_cert(store.get(), cert.get());
  return store;
}

StorePtr StoreFrom(const std::vector<std::string>& files, const std::vector<std::string>& dirs) {
  StorePtr store(X509_STORE_new(), X509_STORE_free);
  for (const std::string& file : files) {
    if (X509_STORE_load_file(store.get(), file.c_str()) == 1) break;
  }
  for (const std::string& dir : dirs) X509_STORE_load_path(store.get(), dir.c_str());
  ERR_clear_error();
  return store;
}

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

}  // namespace bp
