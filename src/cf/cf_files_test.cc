#include "cf/cf_files.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

TEST(CfFilesTest, ConfigYmlNamesTheBuildpackAndEtcdVersion) {
  EXPECT_EQ(ConfigYml("0.1.0", "3.6.14"), "---\nname: etcdproxy\nversion: \"0.1.0\"\nconfig:\n  etcd_version: \"3.6.14\"\n");
}

TEST(CfFilesTest, ProfileScriptUsesTheRuntimeDepsDirAndKeepsTheIndexOpaque) {
  const std::string script = ProfileScript("00");
  EXPECT_NE(script.find("export PATH=\"$DEPS_DIR/00/bin${PATH:+:$PATH}\""), std::string::npos) << script;
}

TEST(CfFilesTest, ProfileScriptTellsTheAppWhereTheProxyIsUnlessItKnows) {
  const std::string script = ProfileScript("0");
  EXPECT_NE(script.find("${BPL_ETCD_PROXY_LISTEN_ADDR:-127.0.0.1:2379}"), std::string::npos) << script;
  EXPECT_NE(script.find("if [ -z \"${ETCDCTL_ENDPOINTS:-}\" ]; then export ETCDCTL_ENDPOINTS="), std::string::npos);
  EXPECT_NE(script.find("if [ -z \"${ETCD_ENDPOINTS:-}\" ]; then export ETCD_ENDPOINTS="), std::string::npos);
}

TEST(CfFilesTest, LaunchYmlDeclaresTheSidecarForWeb) {
  EXPECT_EQ(LaunchYml("3", SidecarSettings{true, 128}),
            "---\nprocesses:\n- type: etcd-proxy\n  command: \"$DEPS_DIR/3/bin/etcd-proxy\"\n  limits:\n"
            "    memory: 128\n  platforms:\n    cloudfoundry:\n      sidecar_for:\n      - web\n");
}

TEST(CfFilesTest, SidecarSettings) {
  Env env;
  EXPECT_FALSE(ReadSidecarSettings(env).value().enabled);
  EXPECT_EQ(ReadSidecarSettings(env).value().memory_mb, 64);
  env.Set("BP_ETCD_PROXY_SIDECAR", "TRUE");
  env.Set("BP_ETCD_PROXY_SIDECAR_MEMORY", "96MB");
  EXPECT_TRUE(ReadSidecarSettings(env).value().enabled);
  EXPECT_EQ(ReadSidecarSettings(env).value().memory_mb, 96);
  env.Set("BP_ETCD_PROXY_SIDECAR_MEMORY", "128m");
  EXPECT_EQ(ReadSidecarSettings(env).value().memory_mb, 128);
  for (const char* bad : {"abc", "0", "8", "1G", "-64"}) {
    env.Set("BP_ETCD_PROXY_SIDECAR_MEMORY", bad);
    EXPECT_FALSE(ReadSidecarSettings(env).ok()) << bad;
  }
  env.Set("BP_ETCD_PROXY_SIDECAR_MEMORY", "64");
  env.Set("BP_ETCD_PROXY_SIDECAR", "yes");
  EXPECT_NE(ReadSidecarSettings(env).error().message.find("BP_ETCD_PROXY_SIDECAR"), std::string::npos);
}

TEST(CfFilesTest, YamlQuoteEscapes) { EXPECT_EQ(YamlQuote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\""); }

}  // namespace
}  // namespace bp
