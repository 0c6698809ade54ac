#include "proxy_config/cluster_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

Result<ClusterOptions> Read(std::map<std::string, std::string, std::less<>> vars) {
  return ClusterOptionsFromEnv(Env(std::move(vars)));
}

std::string ErrorOf(std::map<std::string, std::string, std::less<>> vars) {
  Result<ClusterOptions> r = Read(std::move(vars));
  return r.ok() ? "" : r.error().message;
}

TEST(ClusterOptionsTest, NothingSetMeansNoFlags) {
  const ClusterOptions o = Read({}).value();
  EXPECT_TRUE(ClusterFlags(o).empty());
  EXPECT_FALSE(o.listener_tls());
  EXPECT_FALSE(o.allow_insecure_listen);
}

TEST(ClusterOptionsTest, EverySettingBecomesItsFlag) {
  const ClusterOptions o = Read({{"BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL", "30"},
                                 {"BPL_ETCD_PROXY_DISCOVERY_SRV", "etcd.example.com"},
                                 {"BPL_ETCD_PROXY_DISCOVERY_SRV_NAME", "prod"},
                                 {"BPL_ETCD_PROXY_INSECURE_DISCOVERY", "true"},
                                 {"BPL_ETCD_PROXY_KEEPALIVE_TIME", "10s"},
                                 {"BPL_ETCD_PROXY_KEEPALIVE_TIMEOUT", "5"},
                                 {"BPL_ETCD_PROXY_MAX_SEND_BYTES", "4194304"},
                                 {"BPL_ETCD_PROXY_MAX_RECV_BYTES", "8388608"},
                                 {"BPL_ETCD_PROXY_DEBUG", "TRUE"},
                                 {"BPL_ETCD_PROXY_LISTEN_CERT", "/tls/c"},
                                 {"BPL_ETCD_PROXY_LISTEN_KEY", "/tls/k"},
                                 {"BPL_ETCD_PROXY_LISTEN_CLIENT_CA", "/tls/ca"},
                                 {"BPL_ETCD_PROXY_ADVERTISE_ADDR", "proxy.svc:2379"},
                                 {"BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN", "false"}})
                               .value();
  EXPECT_EQ(ClusterFlags(o),
            (std::vector<std::string>{
                "--discovery-srv=etcd.example.com", "--discovery-srv-name=prod",
                "--insecure-discovery", "--endpoints-auto-sync-interval=30s",
                "--dial-keepalive-time=10s", "--dial-keepalive-timeout=5s",
                "--max-send-bytes=4194304", "--max-recv-bytes=8388608", "--debug"}));
  EXPECT_TRUE(o.listener_tls());
  EXPECT_EQ(o.listen_client_ca, "/tls/ca");
  EXPECT_EQ(o.advertise_addr, "proxy.svc:2379");
  EXPECT_FALSE(o.allow_insecure_listen);
}

// One setting with one value, and a fragment its refusal must hold.
struct Refusal {
  const char* name;
  const char* value;
  const char* fragment;
};

void ExpectRefusals(const std::vector<Refusal>& refusals) {
  for (const Refusal& r : refusals) {
    const std::string message = ErrorOf({{r.name, r.value}});
    EXPECT_THAT(message, HasSubstr(r.fragment)) << r.name << "=" << r.value << ": " << message;
  }
}

TEST(ClusterOptionsTest, MalformedValuesNameTheVariable) {
  ExpectRefusals({
      {"BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL", "soon",
       "BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL=\"soon\" is not a duration"},
      {"BPL_ETCD_PROXY_KEEPALIVE_TIMEOUT", "-5s",
       "BPL_ETCD_PROXY_KEEPALIVE_TIMEOUT=\"-5s\" is not a duration"},
      {"BPL_ETCD_PROXY_DEBUG", "yes please",
       "BPL_ETCD_PROXY_DEBUG=\"yes please\" is not true or false"},
      {"BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN", "maybe",
       "BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=\"maybe\""},
      {"BPL_ETCD_PROXY_MAX_SEND_BYTES", "0",
       "BPL_ETCD_PROXY_MAX_SEND_BYTES=\"0\" is not a whole number from 1 to 2147483647"},
      {"BPL_ETCD_PROXY_MAX_SEND_BYTES", "-1", "is not a whole number from 1 to 2147483647"},
      {"BPL_ETCD_PROXY_MAX_SEND_BYTES", "4MB", "is not a whole number from 1 to 2147483647"},
      {"BPL_ETCD_PROXY_MAX_RECV_BYTES", "2147483648", "is not a whole number from 1 to 2147483647"},
      {"BPL_ETCD_PROXY_MAX_RECV_BYTES", "1e6", "is not a whole number from 1 to 2147483647"},
      {"BPL_ETCD_PROXY_DISCOVERY_SRV", "bad domain;rm", "is not a DNS name"},
  });
}

TEST(ClusterOptionsTest, IncompleteCombinationsAreRefused) {
  ExpectRefusals({
      {"BPL_ETCD_PROXY_LISTEN_KEY", "/k", "LISTEN_KEY is set without BPL_ETCD_PROXY_LISTEN_CERT"},
      {"BPL_ETCD_PROXY_LISTEN_CERT", "/c", "LISTEN_CERT is set without BPL_ETCD_PROXY_LISTEN_KEY"},
      {"BPL_ETCD_PROXY_LISTEN_CLIENT_CA", "/ca", "LISTEN_CLIENT_CA is set without"},
      {"BPL_ETCD_PROXY_DISCOVERY_SRV_NAME", "x", "is set without BPL_ETCD_PROXY_DISCOVERY_SRV"},
      {"BPL_ETCD_PROXY_INSECURE_DISCOVERY", "true", "INSECURE_DISCOVERY is set without"},
  });
  EXPECT_TRUE(Read({{"BPL_ETCD_PROXY_INSECURE_DISCOVERY", "false"}}).ok());
}

TEST(ClusterOptionsTest, MaxRecvMustNotBeBelowTheSendLimit) {
  // grpc-proxy's default send limit is 1.5 MiB, so a smaller receive limit alone fails at start.
  const std::string alone = ErrorOf({{"BPL_ETCD_PROXY_MAX_RECV_BYTES", "1048576"}});
  EXPECT_THAT(alone, HasSubstr("is below the send limit 1572864 (grpc-proxy's default, 1.5 MiB)"));
  const std::string both = ErrorOf(
      {{"BPL_ETCD_PROXY_MAX_SEND_BYTES", "4000"}, {"BPL_ETCD_PROXY_MAX_RECV_BYTES", "3999"}});
  EXPECT_THAT(both, HasSubstr("below the send limit 4000 (BPL_ETCD_PROXY_MAX_SEND_BYTES)"));
  EXPECT_TRUE(
      Read({{"BPL_ETCD_PROXY_MAX_SEND_BYTES", "4000"}, {"BPL_ETCD_PROXY_MAX_RECV_BYTES", "4000"}})
          .ok());
  EXPECT_TRUE(
      Read({{"BPL_ETCD_PROXY_MAX_SEND_BYTES", "1000"}, {"BPL_ETCD_PROXY_MAX_RECV_BYTES", "2000"}})
          .ok());
  EXPECT_TRUE(
      Read({{"BPL_ETCD_PROXY_MAX_SEND_BYTES", "8388608"}}).ok());  // receive default is 2 GiB
}

}  // namespace
}  // namespace bp
