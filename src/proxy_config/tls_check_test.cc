#include "proxy_config/tls_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using testing::MakeTestCert;

TlsFile Pem(const std::string& text, const std::string& origin) {
  return TlsFile{"", text, origin};
}

EtcdVersionProbe Version(const std::string& v) {
  return [v]() -> Result<std::string> { return v; };
}

EtcdVersionProbe NeverAsked() {
  return []() -> Result<std::string> {
    ADD_FAILURE() << "the etcd version was not needed";
    return std::string("3.4.23");
  };
}

TEST(CheckTlsMaterialTest, AcceptsAnEmptyCnClientCertWithItsKey) {
  const auto ca = MakeTestCert("test-ca");
  const auto client = MakeTestCert("");
  ProxySettings s;
  s.cacert = Pem(ca.cert_pem, "BPL_ETCD_PROXY_CACERT");
  s.cert = Pem(client.cert_pem, "BPL_ETCD_PROXY_CERT");
  s.key = Pem(client.key_pem, "BPL_ETCD_PROXY_KEY");
  Status status = CheckTlsMaterial(s, NeverAsked());
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST(CheckTlsMaterialTest, RefusesAClientCertWithACommonName) {
  const auto client = MakeTestCert("app-client");
  ProxySettings s;
  s.cert = Pem(client.cert_pem, "VCAP_SERVICES service 'etcd' credentials.cert");
  s.key = Pem(client.key_pem, "k");
  Status status = CheckTlsMaterial(s, NeverAsked());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(
      status.error().message,
      HasSubstr("VCAP_SERVICES service 'etcd' credentials.cert: the client certificate's subject "
                "has CN=app-client"));
  EXPECT_THAT(status.error().message, Not(HasSubstr("BEGIN")));
}

TEST(CheckTlsMaterialTest, CertAndKeyComeTogetherAndMustMatch) {
  const auto a = MakeTestCert("");
  const auto b = MakeTestCert("");
  ProxySettings only_cert;
  only_cert.cert = Pem(a.cert_pem, "BPL_ETCD_PROXY_CERT");
  EXPECT_THAT(CheckTlsMaterial(only_cert, NeverAsked()).error().message,
              HasSubstr("BPL_ETCD_PROXY_CERT is set without its key"));
  ProxySettings only_key;
  only_key.key = Pem(a.key_pem, "BPL_ETCD_PROXY_KEY");
  EXPECT_THAT(CheckTlsMaterial(only_key, NeverAsked()).error().message,
              HasSubstr("without its certificate"));
  ProxySettings mismatch;
  mismatch.cert = Pem(a.cert_pem, "BPL_ETCD_PROXY_CERT");
  mismatch.key = Pem(b.key_pem, "BPL_ETCD_PROXY_KEY");
  EXPECT_THAT(CheckTlsMaterial(mismatch, NeverAsked()).error().message,
              HasSubstr("is not the key of the certificate"));
}

TEST(CheckTlsMaterialTest, RefusesUnusableFiles) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const auto client = MakeTestCert("");
  testing::WriteFile(tmp.path() / "garbage.pem", "not pem at all");
  testing::WriteFile(tmp.path() / "key-first.pem", client.key_pem + client.cert_pem);
  testing::WriteFile(
      tmp.path() / "encrypted.pem",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
  const std::vector<std::pair<ProxySettings, std::string>> cases = [&] {
    std::vector<std::pair<ProxySettings, std::string>> c;
    ProxySettings missing_ca;
    missing_ca.cacert = TlsFile{(tmp.path() / "missing.pem").string(), "", "BPL_ETCD_PROXY_CACERT"};
    c.push_back({missing_ca, "BPL_ETCD_PROXY_CACERT: cannot read"});
    ProxySettings garbage_ca;
    garbage_ca.cacert = TlsFile{(tmp.path() / "garbage.pem").string(), "", "BPL_ETCD_PROXY_CACERT"};
    c.push_back({garbage_ca, "holds no PEM certificate"});
    ProxySettings key_first;
    key_first.cert = TlsFile{(tmp.path() / "key-first.pem").string(), "", "BPL_ETCD_PROXY_CERT"};
    key_first.key = Pem(client.key_pem, "k");
    c.push_back({key_first, "does not start with a PEM certificate"});
    ProxySettings encrypted;
    encrypted.cert = Pem(client.cert_pem, "c");
    encrypted.key = TlsFile{(tmp.path() / "encrypted.pem").string(), "", "BPL_ETCD_PROXY_KEY"};
    c.push_back({encrypted, "holds an encrypted private key"});
    ProxySettings empty_key;
    empty_key.cert = Pem(client.cert_pem, "c");
    empty_key.key = Pem(" \n", "BPL_ETCD_PROXY_KEY");
    c.push_back({empty_key, "BPL_ETCD_PROXY_KEY: is empty"});
    return c;
  }();
  for (const auto& [settings, expected] : cases) {
    Status status = CheckTlsMaterial(settings, NeverAsked());
    ASSERT_FALSE(status.ok()) << expected;
    EXPECT_THAT(status.error().message, HasSubstr(expected));
  }
}

TEST(CheckTlsMaterialTest, CaWithoutClientCertDependsOnTheEtcdVersion) {
  ProxySettings s;
  s.cacert = Pem(MakeTestCert("ca").cert_pem, "binding 'etcd' entry ca.crt");
  EXPECT_TRUE(CheckTlsMaterial(s, Version("3.4.23")).ok());
  // A version that does not parse gets the newest rules, as in every check (version_guard.h).
  for (const char* version : {"3.5.33", "3.6.14", "not-a-version"}) {
    Status status = CheckTlsMaterial(s, Version(version));
    ASSERT_FALSE(status.ok()) << version;
    EXPECT_THAT(
        status.error().message,
        HasSubstr("binding 'etcd' entry ca.crt is set without a client certificate, which etcd " +
                  std::string(version)));
  }
  EXPECT_FALSE(CheckTlsMaterial(s, []() -> Result<std::string> {
                 return MakeError(ErrorKind::kIo, "no etcd");
               }).ok());
}

}  // namespace
}  // namespace bp
