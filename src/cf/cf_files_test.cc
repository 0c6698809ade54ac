#include "cf/cf_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

TEST(CfFilesTest, ConfigYmlNamesTheBuildpackAndEtcdVersion) {
  EXPECT_EQ(ConfigYml("0.1.0", "3.6.14"),
            "---\nname: etcdproxy\nversion: \"0.1.0\"\nconfig:\n  etcd_version: \"3.6.14\"\n");
}

TEST(CfFilesTest, ProfileScriptUsesTheRuntimeDepsDirAndKeepsTheIndexOpaque) {
  const std::string script = ProfileScript("00");
  EXPECT_THAT(script, HasSubstr("export PATH=\"$DEPS_DIR/00/bin${PATH:+:$PATH}\""));
}

TEST(CfFilesTest, ProfileScriptTellsTheAppWhereTheProxyIsUnlessItKnows) {
  const std::string script = ProfileScript("0");
  EXPECT_THAT(script, HasSubstr("${BPL_ETCD_PROXY_LISTEN_ADDR:-127.0.0.1:2379}"));
  EXPECT_THAT(script,
              HasSubstr("if [ -z \"${ETCDCTL_ENDPOINTS:-}\" ]; then export ETCDCTL_ENDPOINTS="));
  EXPECT_THAT(script, HasSubstr("if [ -z \"${ETCD_ENDPOINTS:-}\" ]; then export ETCD_ENDPOINTS="));
}

TEST(CfFilesTest, OnlyAZeroPaddedIndexHidesLaunchYmlFromTheBuilder) {
  for (const char* padded : {"00", "01", "09", "007"})
    EXPECT_TRUE(BuilderIgnoresLaunchYml(padded)) << padded;
  for (const char* read : {"0", "3", "10", "12", "a0", "0a"})
    EXPECT_FALSE(BuilderIgnoresLaunchYml(read)) << read;
}

TEST(CfFilesTest, LaunchYmlDeclaresTheSidecarForWeb) {
  EXPECT_EQ(
      LaunchYml("3", 128),
      "---\nprocesses:\n- type: etcd-proxy\n  command: \"$DEPS_DIR/3/bin/etcd-proxy\"\n  limits:\n"
      "    memory: 128\n  platforms:\n    cloudfoundry:\n      sidecar_for:\n      - web\n");
}

TEST(CfFilesTest, YamlQuoteEscapes) { EXPECT_EQ(YamlQuote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\""); }

}  // namespace
}  // namespace bp
