#include "proxy_config/listener_certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using testing::MakeTestCert;
using testing::MakeTestCertFrom;
using testing::TestCert;
using testing::TestCertSpec;
using testing::WriteFile;

TestCertSpec Spec(const std::string& eku, const TestCert* issuer) {
  TestCertSpec spec;
  spec.cn = "listener";  // a subject apart from its issuer's
  spec.sans = "IP:127.0.0.1";
  spec.extended_key_usage = eku;
  spec.issuer = issuer;
  return spec;
}

// A listener signed by a test CA with serverAuth and clientAuth; each test spoils one thing.
class CheckListenerCertificateTest : public ::testing::Test {
 protected:
  CheckListenerCertificateTest() {
    TestCertSpec ca_spec;
    ca_spec.cn = "listener test CA";
    ca_spec.ca = true;
    ca_ = MakeTestCertFrom(ca_spec);
    UseListener(MakeTestCertFrom(Spec("serverAuth,clientAuth", &ca_)));
    WriteFile(tmp_.path() / "ca.crt", ca_.cert_pem);
    options_.listen_client_ca = (tmp_.path() / "ca.crt").string();
    // Go's roots for the tests without a client CA: this CA only (no system directory).
    WriteFile(tmp_.path() / "roots.pem", ca_.cert_pem);
    env_ = Env({{"SSL_CERT_FILE", (tmp_.path() / "roots.pem").string()},
                {"SSL_CERT_DIR", (tmp_.path() / "none").string()}});
  }
  void UseListener(const TestCert& cert, const std::string& key_pem = "") {
    WriteFile(tmp_.path() / "proxy.crt", cert.cert_pem);
    WriteFile(tmp_.path() / "proxy.key", key_pem.empty() ? cert.key_pem : key_pem);
    options_.listen_cert = (tmp_.path() / "proxy.crt").string();
    options_.listen_key = (tmp_.path() / "proxy.key").string();
  }
  Status Check(const std::string& host, const std::string& version) {
    warnings_.clear();
    return CheckListenerCertificate(options_, host, env_, warnings_,
                                    [&, version]() -> Result<std::string> {
                                      ++probes_;
                                      return version;
                                    });
  }
  // Refused from 3.5 on with `problem`, named after the certificate; accepted on 3.4.
  void ExpectRefusedFrom35(const std::string& problem, size_t warnings_on_34) {
    for (const char* version : {"3.5.30", "3.6.14", "not-a-version"}) {
      Status refused = Check("127.0.0.1", version);
      ASSERT_FALSE(refused.ok()) << version;
      EXPECT_THAT(refused.error().message,
                  StartsWith("BPL_ETCD_PROXY_LISTEN_CERT (" + *options_.listen_cert + ") "));
      EXPECT_THAT(refused.error().message, HasSubstr(problem));
      EXPECT_THAT(refused.error().message, HasSubstr("etcd " + std::string(version) +
                                                     "'s grpc-proxy dials its advertised URL"));
      EXPECT_FALSE(refused.error().hint.empty());
    }
    EXPECT_TRUE(Check("127.0.0.1", "3.4.23").ok());
    EXPECT_EQ(warnings_.size(), warnings_on_34);
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  TestCert ca_;
  ClusterOptions options_;
  Env env_;
  std::vector<std::string> warnings_;
  int probes_ = 0;
};

TEST_F(CheckListenerCertificateTest, AUsableListenerPassesWithoutAskingTheVersion) {
  EXPECT_TRUE(Check("127.0.0.1", "3.5.30").ok());
  options_.listen_client_ca.reset();  // then Go's roots (here SSL_CERT_FILE) must trust it
  EXPECT_TRUE(Check("127.0.0.1", "3.5.30").ok());
  UseListener(MakeTestCertFrom(Spec("", &ca_)));  // no extendedKeyUsage allows every usage in Go
  EXPECT_TRUE(Check("127.0.0.1", "3.6.14").ok());
  EXPECT_TRUE(warnings_.empty());
  EXPECT_EQ(probes_, 0);
  EXPECT_TRUE(CheckListenerCertificate(ClusterOptions{}, "127.0.0.1", env_, warnings_, [] {
                return Result<std::string>("3.4.23");
              }).ok());
}

TEST_F(CheckListenerCertificateTest, UncoveredHostIsRefusedFrom35AndWarnedOn34) {
  for (const char* version : {"3.5.30", "3.6.14"}) {
    Status refused = Check("proxy.example", version);
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.error().message,
                HasSubstr("does not cover the advertised host proxy.example, and etcd " +
                          std::string(version) + "'s grpc-proxy dials its advertised URL"));
    EXPECT_THAT(refused.error().hint, HasSubstr("BPL_ETCD_PROXY_ADVERTISE_ADDR"));
  }
  EXPECT_TRUE(Check("proxy.example", "3.4.23").ok());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("does not cover the advertised host proxy.example"));
}

TEST_F(CheckListenerCertificateTest, WithoutAClientCaTheSystemRootsMustTrustIt) {
  options_.listen_client_ca.reset();
  UseListener(MakeTestCertFrom(Spec("serverAuth", nullptr)));  // self-signed, in no root store
  ExpectRefusedFrom35("is not issued by a CA the system trusts", 0);
}

TEST_F(CheckListenerCertificateTest, TheClientCaMustHaveIssuedIt) {
  TestCertSpec other;
  other.cn = "other test CA";
  other.ca = true;
  const TestCert other_ca = MakeTestCertFrom(other);
  UseListener(MakeTestCertFrom(Spec("serverAuth,clientAuth", &other_ca)));
  ExpectRefusedFrom35("is not issued by a CA in BPL_ETCD_PROXY_LISTEN_CLIENT_CA (" +
                          *options_.listen_client_ca + ")",
                      0);
  WriteFile(tmp_.path() / "ca.crt",
            ca_.cert_pem + other_ca.cert_pem);  // a bundle with its issuer is fine
  EXPECT_TRUE(Check("127.0.0.1", "3.6.14").ok());
}

TEST_F(CheckListenerCertificateTest, ExpiredOrNotYetValidIsRefusedFrom35AndWarnedOn34) {
  TestCertSpec expired = Spec("serverAuth,clientAuth", &ca_);
  expired.valid_from = -7200;
  expired.valid_until = -3600;
  UseListener(MakeTestCertFrom(expired));
  ExpectRefusedFrom35("expired on 20", 1);
  EXPECT_THAT(warnings_[0], HasSubstr("clients that verify it will fail"));
  TestCertSpec future = Spec("serverAuth,clientAuth", &ca_);
  future.valid_from = 3600;
  future.valid_until = 7200;
  UseListener(MakeTestCertFrom(future));
  ExpectRefusedFrom35("is not valid before 20", 1);
}

TEST_F(CheckListenerCertificateTest, KeyUsageMustAllowWhatTheSelfDialNeeds) {
  UseListener(MakeTestCertFrom(Spec("serverAuth", &ca_)));
  ExpectRefusedFrom35("does not allow clientAuth", 0);
  options_.listen_client_ca.reset();  // no client certificate is demanded then
  WriteFile(tmp_.path() / "roots.pem", ca_.cert_pem);
  EXPECT_TRUE(Check("127.0.0.1", "3.6.14").ok());
  UseListener(MakeTestCertFrom(Spec("clientAuth", &ca_)));
  ExpectRefusedFrom35("does not allow serverAuth", 1);
}

TEST_F(CheckListenerCertificateTest, AKeyThatCannotServeIsRefusedOnEveryVersion) {
  const TestCert listener = MakeTestCertFrom(Spec("serverAuth,clientAuth", &ca_));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {MakeTestCert("").key_pem, "is not the key of the certificate in BPL_ETCD_PROXY_LISTEN_CERT"},
      {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
       "holds an encrypted private key"},
      {"\n", "is empty"},
      {listener.cert_pem, "holds no PEM private key"},
  };
  for (const auto& [key, problem] : cases) {
    UseListener(listener, key);
    for (const char* version : {"3.4.23", "3.6.14"}) {
      Status refused = Check("127.0.0.1", version);
      ASSERT_FALSE(refused.ok()) << problem;
      EXPECT_THAT(refused.error().message, StartsWith("BPL_ETCD_PROXY_LISTEN_KEY (" +
                                                      *options_.listen_key + ") " + problem));
      EXPECT_THAT(refused.error().message, ::testing::Not(HasSubstr("AAAA")));
    }
  }
  EXPECT_EQ(probes_, 0);
}

TEST_F(CheckListenerCertificateTest, UnreadableFilesNameTheirSetting) {
  options_.listen_client_ca = (tmp_.path() / "missing-ca.crt").string();
  Status missing = Check("127.0.0.1", "3.5.30");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, StartsWith("BPL_ETCD_PROXY_LISTEN_CLIENT_CA: "));
  WriteFile(tmp_.path() / "garbage", "not pem");
  options_.listen_client_ca = (tmp_.path() / "garbage").string();
  EXPECT_THAT(Check("127.0.0.1", "3.5.30").error().message,
              HasSubstr("BPL_ETCD_PROXY_LISTEN_CLIENT_CA (" + *options_.listen_client_ca +
                        ") holds no PEM certificate"));
  options_.listen_cert = (tmp_.path() / "proxy.key").string();
  Status not_pem = Check("127.0.0.1", "3.5.30");
  ASSERT_FALSE(not_pem.ok());
  EXPECT_THAT(not_pem.error().message, HasSubstr("BPL_ETCD_PROXY_LISTEN_CERT"));
}

}  // namespace
}  // namespace bp
