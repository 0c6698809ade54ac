#include "proxy_config/x509_pem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using testing::MakeTestCert;
using testing::MakeTestCertFrom;
using testing::TestCert;
using testing::TestCertSpec;

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

TEST(CoversHostTest, SubjectAltNamesOnlyAsGoChecks) {
  const auto covers = [](const std::string& cert_pem, const std::string& host) {
    return CoversHost(ReadPemCertificates(cert_pem).front().get(), host);
  };
  const std::string local = MakeTestCert("", "IP:127.0.0.1,DNS:localhost,DNS:*.proxy.svc").cert_pem;
  EXPECT_TRUE(covers(local, "127.0.0.1"));
  EXPECT_TRUE(covers(local, "localhost"));
  EXPECT_TRUE(covers(local, "a.proxy.svc"));
  EXPECT_FALSE(covers(local, "10.0.0.1"));
  EXPECT_FALSE(covers(local, "example.com"));
  // Go ignores the CN (since Go 1.15), so a CN alone covers nothing.
  EXPECT_FALSE(covers(MakeTestCert("127.0.0.1").cert_pem, "127.0.0.1"));
  EXPECT_FALSE(covers(MakeTestCert("proxy.svc").cert_pem, "proxy.svc"));
}

TEST(SubjectCommonNameTest, TheCnOrNothing) {
  EXPECT_EQ(SubjectCommonName(ReadPemCertificates(MakeTestCert("proxy").cert_pem).front().get()),
            "proxy");
  EXPECT_EQ(SubjectCommonName(ReadPemCertificates(MakeTestCert("").cert_pem).front().get()), "");
}

TEST(ValidityOfTest, StartedAndEndedAgainstNow) {
  const auto period = [](long from, long until) {
    TestCertSpec spec;
    spec.valid_from = from;
    spec.valid_until = until;
    return ValidityOf(ReadPemCertificates(MakeTestCertFrom(spec).cert_pem).front().get());
  };
  const ValidityPeriod now = period(-60, 3600);
  EXPECT_TRUE(now.started);
  EXPECT_FALSE(now.ended);
  EXPECT_THAT(now.not_after, ::testing::EndsWith(" UTC"));
  EXPECT_FALSE(period(3600, 7200).started);
  EXPECT_TRUE(period(-7200, -3600).ended);
}

TEST(ExtendedKeyUsageOfTest, NoExtensionAllowsEverything) {
  const auto usage = [](const std::string& eku) {
    TestCertSpec spec;
    spec.extended_key_usage = eku;
    return ExtendedKeyUsageOf(ReadPemCertificates(MakeTestCertFrom(spec).cert_pem).front().get());
  };
  EXPECT_TRUE(usage("").server_auth && usage("").client_auth);
  EXPECT_TRUE(usage("serverAuth").server_auth);
  EXPECT_FALSE(usage("serverAuth").client_auth);
  EXPECT_FALSE(usage("clientAuth").server_auth);
  EXPECT_TRUE(usage("anyExtendedKeyUsage").server_auth);
}

TEST(ChainFailureTest, ATrustedLeafOrItsIssuerVerifies) {
  TestCertSpec ca_spec;
  ca_spec.cn = "test CA";
  ca_spec.ca = true;
  const TestCert ca = MakeTestCertFrom(ca_spec);
  TestCertSpec leaf_spec;
  leaf_spec.cn = "leaf";
  leaf_spec.issuer = &ca;
  const std::string leaf_pem = MakeTestCertFrom(leaf_spec).cert_pem;
  const std::vector<X509Ptr> chain = ReadPemCertificates(leaf_pem);
  EXPECT_FALSE(ChainFailure(chain, StoreOf(ReadPemCertificates(ca.cert_pem)).get()).has_value());
  // A trusted leaf alone is enough, as in Go.
  EXPECT_FALSE(ChainFailure(chain, StoreOf(ReadPemCertificates(leaf_pem)).get()).has_value());
  EXPECT_TRUE(
      ChainFailure(chain, StoreOf(ReadPemCertificates(MakeTestCert("other").cert_pem)).get())
          .has_value());
  EXPECT_TRUE(ChainFailure(chain, StoreFrom({"/nonexistent"}, {}).get()).has_value());
}

}  // namespace
}  // namespace bp
