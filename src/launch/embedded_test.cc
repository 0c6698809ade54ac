#include "launch/embedded.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using Vars = std::vector<std::pair<std::string, std::string>>;

Env MakeEnv(std::map<std::string, std::string, std::less<>> vars) { return Env(std::move(vars)); }

TEST(IsSidecarProcessTest, OnlyTheMarkerWrittenForTheEtcdProxyProcessCounts) {
  EXPECT_TRUE(IsSidecarProcess(MakeEnv({{"BPI_ETCD_PROXY_PROCESS_TYPE", "etcd-proxy"}})));
  EXPECT_FALSE(IsSidecarProcess(MakeEnv({{"BPI_ETCD_PROXY_PROCESS_TYPE", "web"}})));
  EXPECT_FALSE(IsSidecarProcess(Env()));
}

TEST(ClientAddressTest, FollowsTheListenAddress) {
  EXPECT_EQ(ClientAddress(HealthTargetFor(Env()).value()), "127.0.0.1:2379");
  EXPECT_EQ(
      ClientAddress(
          HealthTargetFor(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_ADDR", "127.0.0.1:3000"}})).value()),
      "127.0.0.1:3000");
  EXPECT_EQ(ClientAddress(
                HealthTargetFor(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_ADDR", "0.0.0.0:3000"}})).value()),
            "127.0.0.1:3000");
  EXPECT_EQ(
      ClientAddress(HealthTargetFor(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_ADDR", ":3000"}})).value()),
      "127.0.0.1:3000");
  EXPECT_EQ(ClientAddress(
                HealthTargetFor(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_ADDR", "[::]:3000"}})).value()),
            "[::1]:3000");
  EXPECT_EQ(ClientAddress(HealthTargetFor(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_CERT", "/c.pem"},
                                                   {"BPL_ETCD_PROXY_LISTEN_KEY", "/k.pem"}}))
                              .value()),
            "https://127.0.0.1:2379");
}

TEST(AppEndpointVariablesTest, SetsBothUnlessTheAppAlreadyDoes) {
  EXPECT_EQ(AppEndpointVariables(Env(), "127.0.0.1:2379"),
            (Vars{{"ETCDCTL_ENDPOINTS", "127.0.0.1:2379"}, {"ETCD_ENDPOINTS", "127.0.0.1:2379"}}));
  EXPECT_EQ(AppEndpointVariables(MakeEnv({{"ETCDCTL_ENDPOINTS", "https://elsewhere:2379"}}), "a:1"),
            (Vars{{"ETCD_ENDPOINTS", "a:1"}}));
  EXPECT_EQ(AppEndpointVariables(MakeEnv({{"ETCDCTL_ENDPOINTS", "x:1"}, {"ETCD_ENDPOINTS", "y:1"}}),
                                 "a:1"),
            Vars{});
  EXPECT_EQ(AppEndpointVariables(MakeEnv({{"ETCD_ENDPOINTS", "  "}}), "a:1").size(), 2u)
      << "blank counts as unset";
}

TEST(ExecDTomlTest, StringPairsOnly) {
  EXPECT_EQ(ExecDToml({}), "");
  EXPECT_EQ(ExecDToml({{"ETCDCTL_ENDPOINTS", "127.0.0.1:2379"},
                       {"ETCD_ENDPOINTS", "https://[::1]:2379"}}),
            "ETCDCTL_ENDPOINTS = \"127.0.0.1:2379\"\nETCD_ENDPOINTS = \"https://[::1]:2379\"\n");
  EXPECT_EQ(ExecDToml({{"X", "a\"b\\c"}}), "X = \"a\\\"b\\\\c\"\n");
}

}  // namespace
}  // namespace bp
