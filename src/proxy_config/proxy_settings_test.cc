#include "proxy_config/proxy_settings.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

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
  EXPECT_EQ(s.listen_addr, "127.0.0.1:3000");
  EXPECT_EQ(s.cacert->path, "/ca");
  EXPECT_EQ(s.cert->origin, "BPL_ETCD_PROXY_CERT");
  EXPECT_EQ(s.insecure_skip_tls_verify, true);
  EXPECT_EQ(s.sources, std::vector<std::string>{"BPL_ETCD_PROXY_*"});
  EXPECT_TRUE(ReadLaunchSettings(Env()).value().proxy.sources.empty());
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
