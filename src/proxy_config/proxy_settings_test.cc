#include "proxy_config/proxy_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

Env MakeEnv(std::map<std::string, std::string, std::less<>> vars) { return Env(std::move(vars)); }

TEST(ReadLaunchSettingsTest, ReadsEveryVariable) {
  Env env;
  env.Set("BPL_ETCD_PROXY_ENDPOINTS", "a:1, b:2");
  env.Set("BPL_ETCD_PROXY_LISTEN_ADDR", "127.0.0.1:3000");
  env.Set("BPL_ETCD_PROXY_NAMESPACE", "/n/");
  env.Set("BPL_ETCD_PROXY_CACERT", "/ca");
  env.Set("BPL_ETCD_PROXY_CERT", "/c");
  env.Set("BPL_ETCD_PROXY_KEY", "/k");
  env.Set("BPL_ETCD_PROXY_METRICS_ADDR", "http://0.0.0.0:9");
  env.Set("BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY", "TRUE");
  env.Set("BPL_ETCD_PROXY_DATA_DIR", "/d");
  const ProxySettings s = ReadLaunchSettings(env).value().proxy;
  EXPECT_EQ(*s.endpoints, (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_EQ(s.listen_addr->text, "127.0.0.1:3000");
  EXPECT_EQ(s.listen_addr->address.port, 3000);
  EXPECT_EQ(s.cacert->path, "/ca");
  EXPECT_EQ(s.cert->origin, "BPL_ETCD_PROXY_CERT");
  EXPECT_EQ(s.insecure_skip_tls_verify, true);
  EXPECT_EQ(s.sources, std::vector<std::string>{"BPL_ETCD_PROXY_*"});
  EXPECT_TRUE(ReadLaunchSettings(Env()).value().proxy.sources.empty());
}

TEST(ReadLaunchSettingsTest, TheListenAddressIsCheckedOnceAndKeptAsGivenTrimmed) {
  const ListenAddress listen = ListenAddressOf(
      ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_ADDR", "\t:02379 \n"}})).value().proxy);
  EXPECT_EQ(listen.text, ":02379");  // what --listen-addr gets
  EXPECT_EQ(listen.address.host, "");
  EXPECT_EQ(listen.address.port, 2379);
  const ListenAddress fallback = ListenAddressOf(ReadLaunchSettings(Env()).value().proxy);
  EXPECT_EQ(fallback.text, "127.0.0.1:2379");
  EXPECT_EQ(fallback.address.host, "127.0.0.1");
  Result<LaunchSettings> url =
      ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_LISTEN_ADDR", "http://u:S3CRET@0.0.0.0:2379"}}));
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.error().message,
            "BPL_ETCD_PROXY_LISTEN_ADDR=\"http://***@0.0.0.0:2379\" is not a host:port address");
}

TEST(ReadLaunchSettingsTest, HowToRunDefaultsToSidecarWithoutDelayAndThirtySecondStarts) {
  const LaunchSettings settings = ReadLaunchSettings(Env()).value();
  EXPECT_FALSE(settings.embedded);
  EXPECT_EQ(settings.start_timeout, std::chrono::seconds(30));
  EXPECT_FALSE(settings.shutdown_delay);
}

TEST(ReadLaunchSettingsTest, ReadsHowToRun) {
  const LaunchSettings settings =
      ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_EMBEDDED", " TRUE "},
                                  {"BPL_ETCD_PROXY_START_TIMEOUT", "5"},
                                  {"BPL_ETCD_PROXY_SHUTDOWN_DELAY", "15"}}))
          .value();
  EXPECT_TRUE(settings.embedded);
  EXPECT_EQ(settings.start_timeout, std::chrono::seconds(5));
  EXPECT_EQ(settings.shutdown_delay, std::chrono::milliseconds(15000));
  EXPECT_EQ(
      ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_START_TIMEOUT", "0"}})).value().start_timeout,
      std::chrono::seconds(0));
  EXPECT_FALSE(
      ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_SHUTDOWN_DELAY", "0"}})).value().shutdown_delay)
      << "0 keeps the plain execve";
}

TEST(ReadLaunchSettingsTest, RefusesHowToRunValuesItCannotRead) {
  const Result<LaunchSettings> yes =
      ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_EMBEDDED", "yes"}}));
  ASSERT_FALSE(yes.ok());
  EXPECT_EQ(yes.error().message, "BPL_ETCD_PROXY_EMBEDDED=\"yes\" is not true or false");
  for (const char* bad : {"-1", "1.5", "30s", "3601"}) {
    const Result<LaunchSettings> timeout =
        ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_START_TIMEOUT", bad}}));
    ASSERT_FALSE(timeout.ok()) << bad;
    EXPECT_EQ(timeout.error().message, "BPL_ETCD_PROXY_START_TIMEOUT=\"" + std::string(bad) +
                                           "\" is not a number of seconds");
  }
  const Result<LaunchSettings> soon =
      ReadLaunchSettings(MakeEnv({{"BPL_ETCD_PROXY_SHUTDOWN_DELAY", "soon"}}));
  ASSERT_FALSE(soon.ok());
  EXPECT_THAT(soon.error().message, HasSubstr("BPL_ETCD_PROXY_SHUTDOWN_DELAY=\"soon\""));
}

TEST(OverlayTest, HigherFieldsWinLowerFillTheGaps) {
  ProxySettings high;
  high.key_prefix = "/high/";
  high.sources = {"high"};
  ProxySettings low;
  low.endpoints = std::vector<std::string>{"low:1"};
  low.endpoints_origin = "low";
  low.key_prefix = "/low/";
  low.cacert = TlsFile{"/ca", "", "low"};
  low.sources = {"low"};
  const ProxySettings merged = Overlay(high, low);
  EXPECT_EQ(merged.key_prefix, "/high/");
  EXPECT_EQ(*merged.endpoints, std::vector<std::string>{"low:1"});
  EXPECT_EQ(merged.endpoints_origin, "low");
  EXPECT_EQ(merged.cacert->path, "/ca");
  EXPECT_EQ(merged.sources, (std::vector<std::string>{"high", "low"}));
}

}  // namespace
}  // namespace bp
