#include "proxy_config/x509_pem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using testing::MakeTestCert;

TEST(ReadPemCertificatesTest, ReadsEveryCertificateInOrderAndNothingElse) {
  const auto a = MakeTestCert("a");
  const auto b = MakeTestCert("b");
  EXPECT_EQ(ReadPemCertificates(a.cert_pem + a.key_pem + b.cert_pem).size(), 2u);
  EXPECT_TRUE(ReadPemCertificates(a.key_pem).empty());
  EXPECT_TRUE(ReadPemCertificates("").empty());
}

TEST(ReadPemPrivateKeyTest, SaysWhyThereIsNoUsableKeyWithoutQuotingIt) {
  const auto a = MakeTestCert("");
  ASSERT_TRUE(
      ReadPemPrivateKey(a.cert_pem + a.key_pem).ok());  // other blocks are skipped, as Go does
  EXPECT_EQ(ReadPemPrivateKey(" \n\t").error().message, "is empty");
  EXPECT_EQ(ReadPemPrivateKey(a.cert_pem).error().message, "holds no PEM private key");
  const std::string legacy =
      "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: "
      "AES-128-CBC,00\n\nc2VjcmV0\n"
      "-----END EC PRIVATE KEY-----\n";
  const std::string pkcs8 =
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nc2VjcmV0\n-----END ENCRYPTED PRIVATE KEY-----\n";
  for (const std::string& encrypted : {legacy, pkcs8}) {
    Result<KeyPtr> key = ReadPemPrivateKey(encrypted);  // never prompts, even on a terminal
    ASSERT_FALSE(key.ok());
    EXPECT_THAT(key.error().message, ::testing::HasSubstr("encrypted"));
    EXPECT_THAT(key.error().message + key.error().hint,
                ::testing::Not(::testing::HasSubstr("c2VjcmV0")));
  }
}

TEST(KeyBelongsToTest, MatchesOnlyTheCertificatesOwnKey) {
  const auto a = MakeTestCert("");
  const auto b = MakeTestCert("");
  X509Ptr cert = std::move(ReadPemCertificates(a.cert_pem).front());
  EXPECT_TRUE(KeyBelongsTo(cert.get(), ReadPemPrivateKey(a.key_pem).value().get()));
  EXPECT_FALSE(KeyBelongsTo(cert.get(), ReadPemPrivateKey(b.key_pem).value().get()));
}

}  // namespace
}  // namespace bp
