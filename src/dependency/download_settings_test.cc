#include "dependency/download_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

auto Nothing = [](const std::string&) { return false; };

TEST(DownloadSettingsTest, Defaults) {
  const DownloadSettings s = ReadDownloadSettings(Env(), Nothing).value();
  EXPECT_EQ(s.connect_timeout.count(), 30);
  EXPECT_EQ(s.stall_timeout.count(), 60);
  EXPECT_EQ(s.max_attempts, 3);
  EXPECT_EQ(TransferLimitsFrom(s).deadline, std::chrono::seconds(600));
  EXPECT_EQ(TransferLimitsFrom(s).max_bytes, 256u << 20);
  EXPECT_EQ(s.ca_file, "");
  EXPECT_EQ(ProxyForScheme(s, "https"), "");
}

TEST(DownloadSettingsTest, TimeoutsAreValidated) {
  Env env;
  env.Set("BP_DOWNLOAD_CONNECT_TIMEOUT", "5");
  env.Set("BP_DOWNLOAD_STALL_TIMEOUT", " 2 ");
  const DownloadSettings s = ReadDownloadSettings(env, Nothing).value();
  EXPECT_EQ(s.connect_timeout.count(), 5);
  EXPECT_EQ(s.stall_timeout.count(), 2);
  for (const char* bad : {"0", "-1", "1.5", "abc", "3601"}) {
    env.Set("BP_DOWNLOAD_STALL_TIMEOUT", bad);
    Result<DownloadSettings> r = ReadDownloadSettings(env, Nothing);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error().message, HasSubstr("BP_DOWNLOAD_STALL_TIMEOUT"));
  }
}

TEST(DownloadSettingsTest, SizeLimitAndDeadlineAreValidated) {
  Env env;
  env.Set("BP_DOWNLOAD_TIMEOUT", "7200");
  env.Set("BP_DOWNLOAD_MAX_SIZE_MB", "1");
  const DownloadSettings s = ReadDownloadSettings(env, Nothing).value();
  EXPECT_EQ(s.total_timeout.count(), 7200);
  EXPECT_EQ(s.max_bytes, 1u << 20);
  for (const char* bad : {"0", "86401", "1e3"}) {
    env.Set("BP_DOWNLOAD_TIMEOUT", bad);
    Result<DownloadSettings> r = ReadDownloadSettings(env, Nothing);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error().message, HasSubstr("BP_DOWNLOAD_TIMEOUT"));
  }
  env.Set("BP_DOWNLOAD_TIMEOUT", "60");
  env.Set("BP_DOWNLOAD_MAX_SIZE_MB", "65537");
  EXPECT_FALSE(ReadDownloadSettings(env, Nothing).ok());
}

TEST(DownloadSettingsTest, CaFromEnvironmentElseFirstSystemBundle) {
  Env env;
  EXPECT_EQ(ReadDownloadSettings(env, [](const std::string& p) { return p == "/etc/ssl/cert.pem"; })
                .value()
                .ca_file,
            "/etc/ssl/cert.pem");
  EXPECT_EQ(ReadDownloadSettings(env, [](const std::string&) { return true; }).value().ca_file,
            "/etc/ssl/certs/ca-certificates.crt");
  env.Set("SSL_CERT_DIR", "/certs");
  const DownloadSettings dir_only =
      ReadDownloadSettings(env, [](const std::string&) { return true; }).value();
  EXPECT_EQ(dir_only.ca_dir, "/certs");
  EXPECT_EQ(dir_only.ca_file, "");
  env.Set("SSL_CERT_FILE", "/my/ca.pem");
  EXPECT_EQ(ReadDownloadSettings(env, Nothing).value().ca_file, "/my/ca.pem");
}

TEST(DownloadSettingsTest, ProxiesPerSchemeLowercaseFirst) {
  Env env;
  env.Set("HTTPS_PROXY", "http://upper:3128");
  env.Set("https_proxy", "http://lower:3128");
  env.Set("HTTP_PROXY", "http://plain:3128");
  env.Set("NO_PROXY", "localhost,.internal");
  const DownloadSettings s = ReadDownloadSettings(env, Nothing).value();
  EXPECT_EQ(ProxyForScheme(s, "https"), "http://lower:3128");
  EXPECT_EQ(ProxyForScheme(s, "http"), "http://plain:3128");
  EXPECT_EQ(s.no_proxy, "localhost,.internal");
  Env all;
  all.Set("ALL_PROXY", "socks5://all:1080");
  EXPECT_EQ(ProxyForScheme(ReadDownloadSettings(all, Nothing).value(), "https"),
            "socks5://all:1080");
}

}  // namespace
}  // namespace bp
