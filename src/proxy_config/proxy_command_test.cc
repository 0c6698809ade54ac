#include "proxy_config/proxy_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ProxySettings Endpoints(std::vector<std::string> endpoints) {
  ProxySettings s;
  s.endpoints = std::move(endpoints);
  s.endpoints_origin = "BPL_ETCD_PROXY_ENDPOINTS";
  s.sources = {"BPL_ETCD_PROXY_*"};
  return s;
}

// A listen address as ReadLaunchSettings gives it: checked.
ListenAddress Listen(const std::string& text) { return {text, ParseListenAddress(text).value()}; }

Result<ProxyCommand> Assemble(const ProxySettings& s, std::vector<std::string> extra = {}) {
  return AssembleProxyCommand(s, "/layers/etcd/bin/etcd", "/tmp/etcd-proxy", extra);
}

TEST(AssembleProxyCommandTest, DefaultsToLoopback2379AdvertisingTheSameAddress) {
  const ProxyCommand c = Assemble(Endpoints({"10.0.0.1:2379", "10.0.0.2:2379"})).value();
  EXPECT_EQ(c.argv,
            (std::vector<std::string>{
                "/layers/etcd/bin/etcd", "grpc-proxy", "start",
                "--endpoints=10.0.0.1:2379,10.0.0.2:2379", "--listen-addr=127.0.0.1:2379",
                "--advertise-client-url=http://127.0.0.1:2379", "--data-dir=/tmp/etcd-proxy"}));
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.summary, "forwarding 127.0.0.1:2379 to 2 etcd endpoints from BPL_ETCD_PROXY_*");
}

TEST(AssembleProxyCommandTest, EveryOptionBecomesItsFlagThenThePassthrough) {
  ProxySettings s = Endpoints({"https://e:2379"});
  s.listen_addr = Listen("127.0.0.1:12379");
  s.key_prefix = "/app1/";
  s.cacert = TlsFile{"/b/ca.crt", "", "x"};
  s.cert = TlsFile{"/b/tls.crt", "", "x"};
  s.key = TlsFile{"/b/tls.key", "", "x"};
  s.metrics_addr = "0.0.0.0:9379";
  s.data_dir = "/data";
  s.insecure_skip_tls_verify = true;
  const ProxyCommand c = Assemble(s, {"--max-send-bytes=4194304"}).value();
  const std::vector<std::string> tail(c.argv.begin() + 4, c.argv.end());
  EXPECT_EQ(tail,
            (std::vector<std::string>{
                "--listen-addr=127.0.0.1:12379", "--advertise-client-url=http://127.0.0.1:12379",
                "--data-dir=/data", "--namespace=/app1/", "--cacert=/b/ca.crt", "--cert=/b/tls.crt",
                "--key=/b/tls.key", "--insecure-skip-tls-verify",
                "--metrics-addr=http://0.0.0.0:9379", "--max-send-bytes=4194304"}));
  EXPECT_EQ(c.listener.listen_addr, "127.0.0.1:12379");
  EXPECT_EQ(c.warnings.size(), 1u);
  EXPECT_THAT(c.summary, HasSubstr("TLS, namespace /app1/"));
}

TEST(AssembleProxyCommandTest, NonLoopbackListenIsRefusedUnlessAllowedOrClientCertAuth) {
  ProxySettings s = Endpoints({"e:2379"});
  s.listen_addr = Listen("0.0.0.0:2379");
  Result<ProxyCommand> refused = Assemble(s);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message,
              HasSubstr("BPL_ETCD_PROXY_LISTEN_ADDR=0.0.0.0:2379 makes the proxy reachable"));
  EXPECT_THAT(refused.error().hint, HasSubstr("BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true"));

  s.cluster.listen_cert = "/tls/proxy.crt";
  s.cluster.listen_key = "/tls/proxy.key";
  Result<ProxyCommand> tls_without_ca = Assemble(s);
  ASSERT_FALSE(tls_without_ca.ok());
  EXPECT_THAT(tls_without_ca.error().message, HasSubstr("no BPL_ETCD_PROXY_LISTEN_CLIENT_CA"));

  s.cluster.allow_insecure_listen = true;
  const ProxyCommand allowed = Assemble(s).value();
  ASSERT_EQ(allowed.warnings.size(), 1u);
  EXPECT_THAT(allowed.warnings[0], HasSubstr("BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true"));

  s.cluster.allow_insecure_listen = false;
  s.cluster.listen_client_ca = "/tls/clients-ca.crt";
  const ProxyCommand secured = Assemble(s).value();
  EXPECT_TRUE(secured.warnings.empty());
  const std::vector<std::string> flags(secured.argv.begin() + 4, secured.argv.begin() + 9);
  EXPECT_EQ(flags,
            (std::vector<std::string>{"--listen-addr=0.0.0.0:2379",
                                      "--advertise-client-url=https://127.0.0.1:2379",
                                      "--data-dir=/tmp/etcd-proxy", "--cert-file=/tls/proxy.crt",
                                      "--key-file=/tls/proxy.key"}));
  EXPECT_EQ(secured.argv[9], "--trusted-ca-file=/tls/clients-ca.crt");
  EXPECT_EQ(secured.listener.advertise_host, "127.0.0.1");
  EXPECT_THAT(secured.summary, HasSubstr("0.0.0.0:2379 (TLS listener)"));
}

TEST(AssembleProxyCommandTest, AdvertisedAddress) {
  ProxySettings s = Endpoints({"e:2379"});
  s.cluster.allow_insecure_listen = true;
  const auto advertised = [&](const std::string& listen) {
    s.listen_addr = Listen(listen);
    Result<ProxyCommand> c = Assemble(s);
    return c.ok() ? c.value().argv[5] : c.error().message;
  };
  EXPECT_EQ(advertised("0.0.0.0:2379"), "--advertise-client-url=http://127.0.0.1:2379");
  EXPECT_EQ(advertised(":2379"), "--advertise-client-url=http://127.0.0.1:2379");
  EXPECT_EQ(advertised("[::]:2379"), "--advertise-client-url=http://127.0.0.1:2379");
  EXPECT_EQ(advertised("10.1.2.3:2379"), "--advertise-client-url=http://10.1.2.3:2379");
  s.cluster.advertise_addr = "proxy.svc:2379";
  EXPECT_EQ(advertised("0.0.0.0:2379"), "--advertise-client-url=http://proxy.svc:2379");
  s.cluster.advertise_addr =
      "https://proxy.svc:2379";  // TLS terminated in front of the proxy: kept as given
  EXPECT_EQ(advertised("0.0.0.0:2379"), "--advertise-client-url=https://proxy.svc:2379");
  s.cluster.advertise_addr = "0.0.0.0:2379";
  EXPECT_THAT(advertised("0.0.0.0:2379"),
              HasSubstr("BPL_ETCD_PROXY_ADVERTISE_ADDR=\"0.0.0.0:2379\" is a wildcard"));
  s.cluster.advertise_addr = "ftp://x:1";
  EXPECT_THAT(advertised("0.0.0.0:2379"), HasSubstr("is not a host:port address"));
  s.cluster.advertise_addr = "http://x:1";
  s.cluster.listen_cert = "/c";
  s.cluster.listen_key = "/k";
  EXPECT_THAT(advertised("0.0.0.0:2379"), HasSubstr("uses http://, but the listener has TLS"));
}

TEST(AssembleProxyCommandTest, DiscoveryMakesEndpointsOptionalAndClusterFlagsFollowTheBasics) {
  ProxySettings s;
  s.cluster.discovery_srv = "etcd.example";
  s.cluster.insecure_discovery = true;
  s.cluster.auto_sync_interval = "30s";
  s.cluster.max_send_bytes = 10;
  s.cluster.debug = true;
  const ProxyCommand c = Assemble(s, {"--extra"}).value();
  EXPECT_EQ(c.argv[3],
            "--endpoints=");  // grpc-proxy's default would be 127.0.0.1:2379: the proxy itself
  const std::vector<std::string> tail(c.argv.begin() + 7, c.argv.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"--discovery-srv=etcd.example", "--insecure-discovery",
                                            "--endpoints-auto-sync-interval=30s",
                                            "--max-send-bytes=10", "--debug", "--extra"}));
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_THAT(c.warnings[0], HasSubstr("_etcd-client._tcp.etcd.example"));
  EXPECT_THAT(c.summary, HasSubstr("to the etcd members in DNS SRV records of etcd.example"));
}

TEST(AssembleProxyCommandTest, Refusals) {
  struct Case {
    ProxySettings settings;
    const char* expected;
  };
  ProxySettings self = Endpoints({"10.0.0.1:2379", "http://localhost:2379"});
  ProxySettings self_wildcard = Endpoints({"127.0.0.1:2379"});
  self_wildcard.listen_addr = Listen("0.0.0.0:2379");
  self_wildcard.cluster.allow_insecure_listen = true;
  ProxySettings tls_http = Endpoints({"http://e:2379"});
  tls_http.cacert = TlsFile{"/ca", "", "BPL_ETCD_PROXY_CACERT"};
  ProxySettings insecure_http = Endpoints({"http://e:2379"});
  insecure_http.insecure_skip_tls_verify = true;
  ProxySettings self_v6 = Endpoints({"[::1]:2379"});
  self_v6.listen_addr = Listen("[::1]:02379");
  ProxySettings from_file = Endpoints({"e:2379", "secret:99999"});
  from_file.endpoints_origin = "binding 'b'";
  from_file.endpoints_file = "/b/endpoints";
  ProxySettings bad_metrics = Endpoints({"e:2379"});
  bad_metrics.metrics_addr = "127.0.0.1:0";
  const std::vector<Case> cases = {
      {ProxySettings{}, "no etcd endpoints"},
      {Endpoints({}), "no etcd endpoints"},
      {self, "endpoint http://localhost:2379 is the proxy's own listen address 127.0.0.1:2379"},
      {self_wildcard, "is the proxy's own listen address 0.0.0.0:2379"},
      {tls_http,
       "BPL_ETCD_PROXY_CACERT configures TLS, but endpoint http://e:2379 uses plain http://"},
      {insecure_http, "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY configures TLS"},
      {Endpoints({"e"}), "endpoint \"e\" has no port"},
      {Endpoints({"ftp://e:21"}), "endpoint \"ftp://e:21\" is not host:port"},
      {Endpoints({"https://u:secret@e:2379/path"}),
       "endpoint \"https://***@e:2379/path\" has a path"},
      {Endpoints({"https://u:p/secret@e:2379"}),
       "endpoint \"<redacted: not a well-formed URL>\" has credentials holding"},
      {Endpoints({"e:2379\n--debug"}),
       "endpoint \"e:2379\\x0a--debug\" contains a space or a control character"},
      {Endpoints({"e:99999"}), "endpoint \"e:99999\" has a port outside 1-65535"},
      {Endpoints({"e:0"}), "has a port outside 1-65535"},
      {Endpoints({"127.0.0.1:02379"}), "endpoint 127.0.0.1:2379 is the proxy's own listen address"},
      {self_v6, "endpoint [::1]:2379 is the proxy's own listen address"},
      {from_file, "binding 'b' (/b/endpoints): endpoint 2 has a port outside 1-65535"},
      {bad_metrics, "BPL_ETCD_PROXY_METRICS_ADDR=\"127.0.0.1:0\" has a port outside 1-65535"},
  };
  for (const Case& c : cases) {
    Result<ProxyCommand> r = Assemble(c.settings);
    ASSERT_FALSE(r.ok()) << c.expected;
    EXPECT_THAT(r.error().message, HasSubstr(c.expected));
    EXPECT_THAT(r.error().message, Not(HasSubstr("secret")));
    EXPECT_FALSE(r.error().hint.empty());
  }
}

TEST(RedactArgumentTest, PassThroughArgumentsAreRedactedAndEscaped) {
  EXPECT_EQ(RedactArgument("--endpoints=https://u:p/S3CRET@10.0.0.1:2379,b:1"),
            "--endpoints=<redacted: not a well-formed URL>,b:1");
  EXPECT_EQ(RedactArgument("--discovery-srv=u:pw@example.com"), "--discovery-srv=***@example.com");
  EXPECT_EQ(RedactArgument("--x=1\n--debug"), "--x=1\\x0a--debug");
  EXPECT_EQ(RedactArgument("--data-dir=/tmp/etcd-proxy"), "--data-dir=/tmp/etcd-proxy");
}

TEST(AssembleProxyCommandTest, SamePortOnAnotherHostIsFine) {
  EXPECT_TRUE(Assemble(Endpoints({"10.1.1.1:2379", "https://etcd.example:2379/"})).ok());
}

TEST(AssembleProxyCommandTest, CredentialsInEndpointsAreDroppedWithAWarning) {
  const ProxyCommand c =
      Assemble(Endpoints({"alice:pw@10.0.0.1:2379", "https://bob:pw@e:2379"})).value();
  EXPECT_EQ(c.argv[3], "--endpoints=10.0.0.1:2379,https://e:2379");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_THAT(c.warnings[0], HasSubstr("grpc-proxy cannot use"));
  for (const std::string& arg : c.argv) EXPECT_THAT(arg, Not(HasSubstr("pw")));
  Result<ProxyCommand> refused = Assemble(Endpoints({"alice:s3cr3t@127.0.0.1:2379"}));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, Not(HasSubstr("s3cr3t")));
  Result<ProxyCommand> no_port = Assemble(Endpoints({"alice:s3cr3t@host"}));
  ASSERT_FALSE(no_port.ok());
  EXPECT_THAT(no_port.error().message, Not(HasSubstr("s3cr3t")));
}

TEST(RedactArgumentTest, RedactsEveryUrlInAFlag) {
  EXPECT_EQ(RedactArgument("--endpoints=https://u:p@a:1,b:2,http://t@c:3"),
            "--endpoints=https://***@a:1,b:2,http://***@c:3");
  EXPECT_EQ(RedactArgument("--namespace=/x/"), "--namespace=/x/");
  EXPECT_EQ(RedactArgument("https://u:p@a"), "https://***@a");
  EXPECT_EQ(RedactArgument("--endpoints=u:p@a:1,b:2"), "--endpoints=***@a:1,b:2");
}

}  // namespace
}  // namespace bp
