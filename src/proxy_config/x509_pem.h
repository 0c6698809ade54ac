// OpenSSL's PEM readers behind one small interface, for every check of TLS material (the etcd
// client's in tls_check.h, the listener's in listener_certificate.h). The rules follow what Go's
// crypto/tls.X509KeyPair accepts, since that is what grpc-proxy loads its files with: every
// CERTIFICATE block of the certificate file, the first "… PRIVATE KEY" block of the key file, and
// no decryption (an encrypted key fails in Go). Nothing here ever prompts for a passphrase.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace bp {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// Returns the certificates in PEM `text`, in file order (empty when there are none).
std::vector<X509Ptr> ReadPemCertificates(const std::string& text);

// Returns the private key in PEM `text`; otherwise kInvalidInput saying what the text is instead
// ("is empty", "holds an encrypted private key…", "holds no PEM private key"), never quoting it.
Result<KeyPtr> ReadPemPrivateKey(const std::string& text);

// Returns whether `key` is the private key of `cert`.
bool KeyBelongsTo(X509* cert, EVP_PKEY* key);

}  // namespace bp
