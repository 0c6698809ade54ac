#include "proxy/listener_security.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

using testing::MakeTestCert;
using testing::WriteFile;

TEST(CertificateCoversHostTest, SubjectAltNamesOnlyAsGoChecks) {
  const std::string local = MakeTestCert("", "IP:127.0.0.1,DNS:localhost,DNS:*.proxy.svc").cert_pem;
  EXPECT_TRUE(CertificateCoversHost(local, "127.0.0.1").value());
  EXPECT_TRUE(CertificateCoversHost(local, "localhost").value());
  EXPECT_TRUE(CertificateCoversHost(local, "a.proxy.svc").value());
  EXPECT_FALSE(CertificateCoversHost(local, "10.0.0.1").value());
  EXPECT_FALSE(CertificateCoversHost(local, "example.com").value());
  // Go ignores the CN (since Go 1.15), so a CN alone covers nothing.
  EXPECT_FALSE(CertificateCoversHost(MakeTestCert("127.0.0.1").cert_pem, "127.0.0.1").value());
  EXPECT_FALSE(CertificateCoversHost(MakeTestCert("proxy.svc").cert_pem, "proxy.svc").value());
  EXPECT_FALSE(CertificateCoversHost("not a certificate", "127.0.0.1").ok());
}

class CheckListenerCertificateTest : public ::testing::Test {
 protected:
  CheckListenerCertificateTest() {
    WriteFile(tmp_.path() / "proxy.crt", MakeTestCert("", "IP:127.0.0.1").cert_pem);
    WriteFile(tmp_.path() / "proxy.key", "key");
    WriteFile(tmp_.path() / "ca.crt", "ca");
    options_.listen_cert = (tmp_.path() / "proxy.crt").string();
    options_.listen_key = (tmp_.path() / "proxy.key").string();
    options_.listen_client_ca = (tmp_.path() / "ca.crt").string();
  }
  Status Check(const std::string& host, const std::string& version) {
    warnings_.clear();
    return CheckListenerCertificate(options_, host, warnings_, [&, version]() -> Result<std::string> {
      ++probes_;
      return version;
    });
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  ClusterOptions options_;
  std::vector<std::string> warnings_;
  int probes_ = 0;
};

TEST_F(CheckListenerCertificateTest, CoveredHostPassesWithoutAskingTheVersion) {
  EXPECT_TRUE(Check("127.0.0.1", "3.5.30").ok());
  EXPECT_TRUE(warnings_.empty());
  EXPECT_EQ(probes_, 0);
}

TEST_F(CheckListenerCertificateTest, UncoveredHostIsRefusedFrom35AndWarnedOn34) {
  for (const char* version : {"3.5.30", "3.6.14"}) {
    Status refused = Check("proxy.example", version);
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.error().message, HasSubstr("does not cover the advertised host proxy.example, and etcd " + std::string(version) +
                                           "'s grpc-proxy dials its advertised URL"));
    EXPECT_THAT(refused.error().hint, HasSubstr("BPL_ETCD_PROXY_ADVERTISE_ADDR"));
  }
  EXPECT_TRUE(Check("proxy.example", "3.4.23").ok());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("does not cover the advertised host proxy.example"));
}

TEST_F(CheckListenerCertificateTest, UnreadableFilesNameTheirSetting) {
  options_.listen_client_ca = (tmp_.path() / "missing-ca.crt").string();
  Status missing = Check("127.0.0.1", "3.5.30");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message.rfind("BPL_ETCD_PROXY_LISTEN_CLIENT_CA: ", 0), 0u) << missing.error().message;
  options_.listen_cert = (tmp_.path() / "proxy.key").string();
  Status not_pem = Check("127.0.0.1", "3.5.30");
  ASSERT_FALSE(not_pem.ok());
  EXPECT_THAT(not_pem.error().message, HasSubstr("BPL_ETCD_PROXY_LISTEN_CERT"));
  EXPECT_TRUE(CheckListenerCertificate(ClusterOptions{}, "127.0.0.1", warnings_, [] { return Result<std::string>("3.4.23"); }).ok());
}

}  // namespace
}  // namespace bp
