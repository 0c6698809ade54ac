#include "proxy_config/proxy_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/etcd_program.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using testing::WriteFile;

class PlanProxyTest : public ::testing::Test {
 protected:
  PlanProxyTest() {
    // Never run: the version comes from the record or from the counting function below.
    WriteFile(Dir() / "bin/etcd", "not run\n");
    WriteFile(Dir() / "bindings/etcd/type", "etcd");
    WriteFile(Dir() / "bindings/etcd/endpoints", "https://from-binding:2379");
    WriteFile(Dir() / "bindings/etcd/namespace", "/binding/");
    env_.Set("PATH", "/usr/bin:/bin");
    env_.Set("TMPDIR", (Dir() / "tmp").string());
    fs::create_directories(Dir() / "tmp");
  }
  fs::path Dir() const { return tmp_.path(); }
  // As the helper plans: the launch settings read once, then the plan from them.
  Result<ProxyCommand> Plan(bool write = false) {
    Result<LaunchSettings> settings = ReadLaunchSettings(env_);
    if (!settings.ok()) return settings.error();
    return PlanProxy(env_, settings.value(),
                     InstalledEtcd{Dir() / "bin/etcd",
                                   [this]() -> Result<std::string> {
                                     ++version_reports_;
                                     return std::string("3.4.23");
                                   }},
                     {}, write);
  }
  std::string Arg(const ProxyCommand& c, const std::string& flag) {
    for (const std::string& a : c.argv) {
      if (a.rfind(flag + "=", 0) == 0) return a.substr(flag.size() + 1);
    }
    return "";
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  Env env_;
  int version_reports_ = 0;
};

TEST_F(PlanProxyTest, FieldWisePrecedenceAcrossTheThreeSources) {
  env_.Set(
      "VCAP_SERVICES",
      R"({"x":[{"name":"cf","tags":["etcd"],"credentials":{"endpoints":["https://from-vcap:2379"],"namespace":"/vcap/"}}]})");
  ProxyCommand c = Plan().value();
  EXPECT_EQ(Arg(c, "--endpoints"), "https://from-vcap:2379");
  EXPECT_EQ(Arg(c, "--namespace"), "/vcap/");
  env_.Set("SERVICE_BINDING_ROOT", (Dir() / "bindings").string());
  c = Plan().value();
  EXPECT_EQ(Arg(c, "--endpoints"), "https://from-binding:2379");
  EXPECT_EQ(Arg(c, "--namespace"), "/binding/");
  env_.Set("BPL_ETCD_PROXY_NAMESPACE", "/env/");
  c = Plan().value();
  EXPECT_EQ(Arg(c, "--endpoints"),
            "https://from-binding:2379");  // only the namespace was overridden
  EXPECT_EQ(Arg(c, "--namespace"), "/env/");
  EXPECT_EQ(c.argv[0], (Dir() / "bin/etcd").string());
  EXPECT_EQ(Arg(c, "--data-dir"), (Dir() / "tmp/etcd-proxy").string());
  EXPECT_THAT(c.summary,
              HasSubstr("BPL_ETCD_PROXY_* + binding 'etcd' + VCAP_SERVICES service 'cf'"));
}

TEST_F(PlanProxyTest, VcapPemIsWrittenOnlyWhenRunning) {
  const testing::TestCert ca = testing::MakeTestCert("ca");
  const testing::TestCert client = testing::MakeTestCert("");
  auto escape = [](const std::string& pem) {
    std::string out;
    for (char ch : pem) out += ch == '\n' ? std::string("\\n") : std::string(1, ch);
    return out;
  };
  env_.Set("VCAP_SERVICES",
           "{\"x\":[{\"name\":\"cf\",\"tags\":[\"etcd\"],\"credentials\":{\"endpoints\":\"https://"
           "e:2379\","
           "\"ca\":\"" +
               escape(ca.cert_pem) + "\",\"cert\":\"" + escape(client.cert_pem) + "\",\"key\":\"" +
               escape(client.key_pem) + "\"}}]}");
  const ProxyCommand dry = Plan(false).value();
  const fs::path key = Arg(dry, "--key");
  EXPECT_EQ(key.parent_path().parent_path(), Dir() / "tmp");
  EXPECT_EQ(key.parent_path().filename().string().rfind(
                "etcd-proxy-tls-" + std::to_string(::geteuid()) + "-", 0),
            0u);
  EXPECT_FALSE(fs::exists(key.parent_path()));
  const ProxyCommand real = Plan(true).value();
  EXPECT_EQ(real.argv, dry.argv);
  EXPECT_EQ(testing::ReadFile(key), client.key_pem);
  for (const std::string& arg : real.argv) EXPECT_THAT(arg, Not(HasSubstr("BEGIN")));
}

TEST_F(PlanProxyTest, SelectorMustNameSomething) {
  env_.Set("SERVICE_BINDING_ROOT", (Dir() / "bindings").string());
  env_.Set("BPL_ETCD_PROXY_BINDING", "missing");
  Result<ProxyCommand> r = Plan();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("BPL_ETCD_PROXY_BINDING=\"missing\" names no binding"));
  env_.Set("BPL_ETCD_PROXY_BINDING", "etcd");
  EXPECT_TRUE(Plan().ok());
}

TEST_F(PlanProxyTest, ErrorsFromEverySourceSurface) {
  env_.Set("VCAP_SERVICES", "{not json");
  EXPECT_THAT(Plan().error().message, HasSubstr("VCAP_SERVICES is not valid JSON"));
  env_.Unset("VCAP_SERVICES");
  env_.Set("BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY", "maybe");
  EXPECT_THAT(Plan().error().message, HasSubstr("BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY"));
  env_.Unset("BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY");
  env_.Set("BPL_ETCD_PROXY_ENDPOINTS", "e:2379");
  env_.Set("BPL_ETCD_PROXY_CACERT", (Dir() / "missing-ca.pem").string());
  EXPECT_THAT(Plan().error().message, HasSubstr("BPL_ETCD_PROXY_CACERT: cannot read"));
}

TEST_F(PlanProxyTest, GuardrailsUseTheBuildsVersionRecordBeforeAskingEtcd) {
  env_.Set("BPL_ETCD_PROXY_ENDPOINTS", "e:2379");
  env_.Set("BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL", "30s");
  Result<ProxyCommand> refused = Plan();  // no record: the etcd reports 3.4.23
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(version_reports_, 1);
  EXPECT_EQ(refused.error().message,
            "BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL (grpc-proxy --endpoints-auto-sync-interval) needs "
            "etcd 3.5.5 or later, but the installed etcd is 3.4.23");
  WriteFile(Dir() / kEtcdVersionRecord, "3.5.30\n");  // <tree>/etcd-version beside <tree>/bin/etcd
  const ProxyCommand accepted = Plan().value();
  EXPECT_EQ(Arg(accepted, "--endpoints-auto-sync-interval"), "30s");
  EXPECT_EQ(version_reports_, 1);  // the record answered
}

TEST_F(PlanProxyTest, ListenerCertificateMustCoverTheAdvertisedHostFrom35) {
  WriteFile(Dir() / kEtcdVersionRecord, "3.5.30\n");
  // A self-signed listener certificate that is its own client CA: usable but for the host.
  const testing::TestCert listener = testing::MakeTestCert("", "IP:127.0.0.1");
  WriteFile(Dir() / "tls/proxy.crt", listener.cert_pem);
  WriteFile(Dir() / "tls/proxy.key", listener.key_pem);
  WriteFile(Dir() / "tls/ca.crt", listener.cert_pem);
  env_.Set("BPL_ETCD_PROXY_ENDPOINTS", "e:2379");
  env_.Set("BPL_ETCD_PROXY_LISTEN_ADDR", "0.0.0.0:23790");
  env_.Set("BPL_ETCD_PROXY_LISTEN_CERT", (Dir() / "tls/proxy.crt").string());
  env_.Set("BPL_ETCD_PROXY_LISTEN_KEY", (Dir() / "tls/proxy.key").string());
  env_.Set("BPL_ETCD_PROXY_LISTEN_CLIENT_CA", (Dir() / "tls/ca.crt").string());
  const ProxyCommand c = Plan().value();
  EXPECT_EQ(Arg(c, "--advertise-client-url"), "https://127.0.0.1:23790");
  EXPECT_TRUE(c.warnings.empty());
  env_.Set("BPL_ETCD_PROXY_ADVERTISE_ADDR", "proxy.example:23790");
  Result<ProxyCommand> refused = Plan();
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message,
              HasSubstr("does not cover the advertised host proxy.example"));
  WriteFile(Dir() / kEtcdVersionRecord, "3.4.23\n");
  const ProxyCommand warned = Plan().value();
  ASSERT_EQ(warned.warnings.size(), 1u);
  EXPECT_THAT(warned.warnings[0], HasSubstr("does not cover the advertised host proxy.example"));
}

TEST_F(PlanProxyTest, NoVersionRuleInPlayAsksForNoVersion) {
  env_.Set("BPL_ETCD_PROXY_ENDPOINTS", "e:2379");
  ASSERT_TRUE(Plan().ok());
  EXPECT_EQ(version_reports_, 0);
}

}  // namespace
}  // namespace bp
