#include "base/build_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Env With(std::map<std::string, std::string, std::less<>> vars) { return Env(std::move(vars)); }

TEST(ReadBuildSettingsTest, DefaultsWhenNothingIsSet) {
  const BuildSettings s = ReadBuildSettings(Env()).value();
  EXPECT_FALSE(s.etcd_version.has_value());
  EXPECT_FALSE(s.proxy_enabled.has_value()) << "unset: the app decides";
  EXPECT_FALSE(s.sidecar);
  EXPECT_EQ(s.sidecar_memory_mb, 64);
}

TEST(ReadBuildSettingsTest, ReadsEverySetting) {
  const BuildSettings s = ReadBuildSettings(With({{"BP_ETCD_VERSION", " ~3.5 "},
                                                  {"BP_ETCD_PROXY_ENABLED", "false"},
                                                  {"BP_ETCD_PROXY_SIDECAR", "TRUE"},
                                                  {"BP_ETCD_PROXY_SIDECAR_MEMORY", "96M"}}))
                              .value();
  EXPECT_EQ(s.etcd_version, std::optional<std::string>("~3.5"));
  EXPECT_EQ(s.proxy_enabled, std::optional<bool>(false));
  EXPECT_TRUE(s.sidecar);
  EXPECT_EQ(s.sidecar_memory_mb, 96);
}

TEST(ReadBuildSettingsTest, NamesTheSettingAtFault) {
  for (const char* name :
       {"BP_ETCD_PROXY_ENABLED", "BP_ETCD_PROXY_SIDECAR", "BP_ETCD_PROXY_SIDECAR_MEMORY"}) {
    Result<BuildSettings> s = ReadBuildSettings(With({{name, "maybe"}}));
    ASSERT_FALSE(s.ok()) << name;
    EXPECT_THAT(s.error().message, HasSubstr(std::string(name) + "=\"maybe\" is not ")) << name;
  }
}

TEST(ReadBuildSettingsTest, EtcdBinariesDefaultToEtcdAndEtcdctl) {
  EXPECT_THAT(ReadBuildSettings(Env()).value().etcd_binaries, ElementsAre("etcd", "etcdctl"));
}

TEST(ReadBuildSettingsTest, EtcdBinariesAlwaysIncludeEtcdFirst) {
  EXPECT_THAT(ReadBuildSettings(With({{"BP_ETCD_BINARIES", "etcdutl, etcdctl,etcdutl"}}))
                  .value()
                  .etcd_binaries,
              ElementsAre("etcd", "etcdutl", "etcdctl"));
}

TEST(ReadBuildSettingsTest, EtcdBinariesMustBeFileNames) {
  for (const char* bad : {"etcd,../bin/sh", "etcd,bin/etcd", "..", "etcd,a b"}) {
    Result<BuildSettings> s = ReadBuildSettings(With({{"BP_ETCD_BINARIES", bad}}));
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().message, "BP_ETCD_BINARIES=\"" + std::string(bad) +
                                     "\" is not a comma list of etcd's binaries");
  }
}

TEST(LogLevelFromTest, DebugLevelOrBpDebugMeanDebug) {
  EXPECT_EQ(LogLevelFrom(Env()), LogLevel::kInfo);
  EXPECT_EQ(LogLevelFrom(With({{"BP_LOG_LEVEL", "debug"}})), LogLevel::kDebug);
  EXPECT_EQ(LogLevelFrom(With({{"BP_DEBUG", "1"}})), LogLevel::kDebug);
  EXPECT_EQ(LogLevelFrom(With({{"BP_DEBUG", "false"}})), LogLevel::kInfo);
}

}  // namespace
}  // namespace bp
