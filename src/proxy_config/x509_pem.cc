#include "proxy_config/x509_pem.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

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

}  // namespace

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

}  // namespace bp
