#include "proxy/proxy_command.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

ProxySettings Endpoints(std::vector<std::string> endpoints) {
  ProxySettings s;
  s.endpoints = std::move(endpoints);
  s.endpoints_origin = "BPL_ETCD_PROXY_ENDPOINTS";
  s.sources = {"BPL_ETCD_PROXY_*"};
  return s;
}

Result<ProxyCommand> Assemble(const ProxySettings& s, std::vector<std::string> extra = {}) {
  return AssembleProxyCommand(s, "/layers/etcd/bin/etcd", "/tmp/etcd-proxy", extra);
}

TEST(AssembleProxyCommandTest, DefaultsToLoopback2379AdvertisingTheSameAddress) {
  const ProxyCommand c = Assemble(Endpoints({"10.0.0.1:2379", "10.0.0.2:2379"})).value();
  EXPECT_EQ(c.argv, (std::vector<std::string>{"/layers/etcd/bin/etcd", "grpc-proxy", "start",
                                               "--endpoints=10.0.0.1:2379,10.0.0.2:2379", "--listen-addr=127.0.0.1:2379",
                                               "--advertise-client-url=127.0.0.1:2379", "--data-dir=/tmp/etcd-proxy"}));
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.summary, "forwarding 127.0.0.1:2379 to 2 etcd endpoints from BPL_ETCD_PROXY_*");
}

TEST(AssembleProxyCommandTest, EveryOptionBecomesItsFlagThenThePassthrough) {
  ProxySettings s = Endpoints({"https://e:2379"});
  s.listen_addr = "127.0.0.1:12379";
  s.key_prefix = "/app1/";
  s.cacert = TlsFile{"/b/ca.crt", "", "x"};
  s.cert = TlsFile{"/b/tls.crt", "", "x"};
  s.key = TlsFile{"/b/tls.key", "", "x"};
  s.metrics_addr = "0.0.0.0:9379";
  s.data_dir = "/data";
  s.insecure_skip_tls_verify = true;
  const ProxyCommand c = Assemble(s, {"--max-send-bytes=4194304"}).value();
  const std::vector<std::string> tail(c.argv.begin() + 4, c.argv.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"--listen-addr=127.0.0.1:12379", "--advertise-client-url=127.0.0.1:12379",
                                             "--data-dir=/data", "--namespace=/app1/", "--cacert=/b/ca.crt",
                                             "--cert=/b/tls.crt", "--key=/b/tls.key", "--insecure-skip-tls-verify",
                                             "--metrics-addr=http://0.0.0.0:9379", "--max-send-bytes=4194304"}));
  EXPECT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.summary.find("TLS, namespace /app1/"), std::string::npos);
}

TEST(AssembleProxyCommandTest, NonLoopbackListenWarns) {
  ProxySettings s = Endpoints({"e:2379"});
  s.listen_addr = "0.0.0.0:2379";
  const ProxyCommand c = Assemble(s).value();
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("listening on 0.0.0.0:2379"), std::string::npos);
}

TEST(AssembleProxyCommandTest, Refusals) {
  struct Case {
    ProxySettings settings;
    const char* expected;
  };
  ProxySettings self = Endpoints({"10.0.0.1:2379", "http://localhost:2379"});
  ProxySettings self_wildcard = Endpoints({"127.0.0.1:2379"});
  self_wildcard.listen_addr = "0.0.0.0:2379";
  ProxySettings tls_http = Endpoints({"http://e:2379"});
  tls_http.cacert = TlsFile{"/ca", "", "BPL_ETCD_PROXY_CACERT"};
  ProxySettings insecure_http = Endpoints({"http://e:2379"});
  insecure_http.insecure_skip_tls_verify = true;
  ProxySettings bad_listen = Endpoints({"e:2379"});
  bad_listen.listen_addr = "http://0.0.0.0:2379";
  const std::vector<Case> cases = {
      {ProxySettings{}, "no etcd endpoints"},
      {Endpoints({}), "no etcd endpoints"},
      {self, "endpoint http://localhost:2379 is the proxy's own listen address 127.0.0.1:2379"},
      {self_wildcard, "is the proxy's own listen address 0.0.0.0:2379"},
      {tls_http, "BPL_ETCD_PROXY_CACERT configures TLS, but endpoint http://e:2379 uses plain http://"},
      {insecure_http, "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY configures TLS"},
      {Endpoints({"e"}), "endpoint \"e\" has no port"},
      {Endpoints({"ftp://e:21"}), "\"ftp://e:21\" is not an etcd endpoint"},
      {Endpoints({"https://u:secret@e:2379/path"}), "\"https://***@e:2379/path\" is not an etcd endpoint"},
      {bad_listen, "BPL_ETCD_PROXY_LISTEN_ADDR=\"http://0.0.0.0:2379\" is not a host:port address"},
  };
  for (const Case& c : cases) {
    Result<ProxyCommand> r = Assemble(c.settings);
    ASSERT_FALSE(r.ok()) << c.expected;
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("secret"), std::string::npos);
    EXPECT_FALSE(r.error().hint.empty());
  }
}

TEST(AssembleProxyCommandTest, SamePortOnAnotherHostIsFine) {
  EXPECT_TRUE(Assemble(Endpoints({"10.1.1.1:2379", "https://etcd.example:2379/"})).ok());
}

TEST(AssembleProxyCommandTest, CredentialsInEndpointsAreDroppedWithAWarning) {
  const ProxyCommand c = Assemble(Endpoints({"alice:pw@10.0.0.1:2379", "https://bob:pw@e:2379"})).value();
  EXPECT_EQ(c.argv[3], "--endpoints=10.0.0.1:2379,https://e:2379");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("grpc-proxy cannot use"), std::string::npos);
  for (const std::string& arg : c.argv) EXPECT_EQ(arg.find("pw"), std::string::npos) << arg;
  Result<ProxyCommand> refused = Assemble(Endpoints({"alice:s3cr3t@127.0.0.1:2379"}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message.find("s3cr3t"), std::string::npos) << refused.error().message;
  Result<ProxyCommand> no_port = Assemble(Endpoints({"alice:s3cr3t@host"}));
  ASSERT_FALSE(no_port.ok());
  EXPECT_EQ(no_port.error().message.find("s3cr3t"), std::string::npos) << no_port.error().message;
}

TEST(RedactArgumentTest, RedactsEveryUrlInAFlag) {
  EXPECT_EQ(RedactArgument("--endpoints=https://u:p@a:1,b:2,http://t@c:3"), "--endpoints=https://***@a:1,b:2,http://***@c:3");
  EXPECT_EQ(RedactArgument("--namespace=/x/"), "--namespace=/x/");
  EXPECT_EQ(RedactArgument("https://u:p@a"), "https://***@a");
  EXPECT_EQ(RedactArgument("--endpoints=u:p@a:1,b:2"), "--endpoints=***@a:1,b:2");
}

}  // namespace
}  // namespace bp
