#include "launch/embedded.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

using Vars = std::vector<std::pair<std::string, std::string>>;

Env MakeEnv(std::map<std::string, std::string, std::less<>> vars) { return Env(std::move(vars)); }

TEST(ReadEmbeddedSettingsTest, DefaultsOffWithThirtySeconds) {
  const EmbeddedSettings settings = ReadEmbeddedSettings(Env()).value();
  EXPECT_FALSE(settings.enabled);
  EXPECT_EQ(settings.start_timeout, std::chrono::seconds(30));
}

TEST(ReadEmbeddedSettingsTest, ReadsBothSettings) {
  const EmbeddedSettings settings =
      ReadEmbeddedSettings(
          MakeEnv({{"BPL_ETCD_PROXY_EMBEDDED", " TRUE "}, {"BPL_ETCD_PROXY_START_TIMEOUT", "5"}}))
          .value();
  EXPECT_TRUE(settings.enabled);
  EXPECT_EQ(settings.start_timeout, std::chrono::seconds(5));
  EXPECT_EQ(
      ReadEmbeddedSettings(MakeEnv({{"BPL_ETCD_PROXY_START_TIMEOUT", "0"}})).value().start_timeout,
      std::chrono::seconds(0));
}

TEST(ReadEmbeddedSettingsTest, RefusesValuesItCannotRead) {
  const Result<EmbeddedSettings> yes =
      ReadEmbeddedSettings(MakeEnv({{"BPL_ETCD_PROXY_EMBEDDED", "yes"}}));
  ASSERT_FALSE(yes.ok());
  EXPECT_EQ(yes.error().message, "BPL_ETCD_PROXY_EMBEDDED=\"yes\" is not true or false");
  for (const char* bad : {"-1", "1.5", "30s", "3601"}) {
    const Result<EmbeddedSettings> timeout =
        ReadEmbeddedSettings(MakeEnv({{"BPL_ETCD_PROXY_START_TIMEOUT", bad}}));
    ASSERT_FALSE(timeout.ok()) << bad;
    EXPECT_EQ(timeout.error().message, "BPL_ETCD_PROXY_START_TIMEOUT=\"" + std::string(bad) +
                                           "\" is not a number of seconds");
  }
}

TEST(ReadShutdownDelayTest, UnsetOrZeroKeepsTheExec) {
  EXPECT_FALSE(ReadShutdownDelay(Env()).value());
  EXPECT_FALSE(ReadShutdownDelay(MakeEnv({{"BPL_ETCD_PROXY_SHUTDOWN_DELAY", "0"}})).value());
  EXPECT_EQ(*ReadShutdownDelay(MakeEnv({{"BPL_ETCD_PROXY_SHUTDOWN_DELAY", "15"}})).value(),
            std::chrono::seconds(15));
  const auto bad = ReadShutdownDelay(MakeEnv({{"BPL_ETCD_PROXY_SHUTDOWN_DELAY", "soon"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("BPL_ETCD_PROXY_SHUTDOWN_DELAY=\"soon\""));
}

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
  EXPECT_EQ(
      ClientAddress(HealthTargetFor(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_CERT", "/c.pem"}})).value()),
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
