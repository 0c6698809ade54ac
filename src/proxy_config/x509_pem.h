// OpenSSL behind one small interface, for every check of TLS material (the etcd client's in
// tls_check.h, the listener's in listener_certificate.h, the health probe's key): the owning
// pointers, the PEM readers and the certificate facts those checks ask about. No other file calls
// OpenSSL's X.509 API.
//
// The readers follow what Go's crypto/tls.X509KeyPair accepts, since that is what grpc-proxy
// loads its files with: every CERTIFICATE block of the certificate file, the first
// "… PRIVATE KEY" block of the key file, and no decryption (an encrypted key fails in Go).
// Nothing here ever prompts for a passphrase.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bp {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using StorePtr = std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)>;

// Returns the text of the PEM file at `path`, which `setting` names; kInvalidInput
// "<setting>: <why>" when it cannot be read (missing, too large, not a regular file).
Result<std::string> ReadPemFile(std::string_view setting, const std::string& path);

// Returns the certificates in PEM `text`, in file order (empty when there are none).
std::vector<X509Ptr> ReadPemCertificates(const std::string& text);

// Returns the private key in PEM `text`; otherwise kInvalidInput saying what the text is instead
// ("is empty", "holds an encrypted private key…", "holds no PEM private key"), never quoting it.
Result<KeyPtr> ReadPemPrivateKey(const std::string& text);

// Returns whether `key` is the private key of `cert`.
bool KeyBelongsTo(X509* cert, EVP_PKEY* key);

// Returns the first Common Name of the subject of `cert`; "" when it has none.
std::string SubjectCommonName(X509* cert);

// Returns whether `cert` is valid for `host` (an IP address or a DNS name) by its subjectAltNames
// only, as Go's crypto/x509 checks since Go 1.15 (the CN is ignored).
bool CoversHost(X509* cert, const std::string& host);

// The validity period of a certificate against the current time; its ends as
// "YYYY-MM-DD HH:MM:SS UTC".
struct ValidityPeriod {
  bool started = false;
  bool ended = false;
  std::string not_before;
  std::string not_after;
};
ValidityPeriod ValidityOf(X509* cert);

// What a certificate may be used for, as Go reads it: extendedKeyUsage only (the keyUsage bits
// are ignored), where no extension, or anyExtendedKeyUsage, allows everything.
struct ExtendedKeyUsage {
  bool server_auth = false;
  bool client_auth = false;
};
ExtendedKeyUsage ExtendedKeyUsageOf(X509* cert);

// Returns a trust store holding `certs`.
StorePtr StoreOf(const std::vector<X509Ptr>& certs);

// Returns a trust store of the certificates in the first of `files` that loads, and of those the
// directories `dirs` hold (looked up by subject hash, as c_rehash links them).
StorePtr StoreFrom(const std::vector<std::string>& files, const std::vector<std::string>& dirs);

// Returns why `chain` (leaf first) does not verify to a root in `roots`, as Go's Verify would (a
// trusted leaf alone is enough there, hence partial chains; no purpose: ExtendedKeyUsageOf is
// checked apart); nullopt when it does.
std::optional<std::string> ChainFailure(const std::vector<X509Ptr>& chain, X509_STORE* roots);

}  // namespace bp
