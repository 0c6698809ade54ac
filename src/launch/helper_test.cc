#include "launch/helper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/etcd_program.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using testing::WriteFile;

TEST(ParseHelperArgsTest, Modes) {
  EXPECT_EQ(ParseHelperArgs({}).value().mode, HelperMode::kRun);
  const HelperArgs run = ParseHelperArgs({"--max-send-bytes=1", "--debug"}).value();
  EXPECT_EQ(run.mode, HelperMode::kRun);
  EXPECT_EQ(run.passthrough.size(), 2u);
  const HelperArgs print = ParseHelperArgs({"print", "--debug"}).value();
  EXPECT_EQ(print.mode, HelperMode::kPrint);
  EXPECT_EQ(print.passthrough, std::vector<std::string>{"--debug"});
  EXPECT_EQ(ParseHelperArgs({"health"}).value().timeout, std::chrono::seconds(60));
  EXPECT_EQ(ParseHelperArgs({"health", "--timeout", "5"}).value().timeout, std::chrono::seconds(5));
  EXPECT_EQ(ParseHelperArgs({"health", "--timeout=7"}).value().timeout, std::chrono::seconds(7));
  EXPECT_FALSE(ParseHelperArgs({"health", "--timeout", "x"}).ok());
  EXPECT_FALSE(ParseHelperArgs({"health", "--bogus"}).ok());
  EXPECT_EQ(ParseHelperArgs({"--version"}).value().mode, HelperMode::kVersion);
  EXPECT_EQ(ParseHelperArgs({"--help"}).value().mode, HelperMode::kHelp);
  EXPECT_EQ(ParseHelperArgs({"components"}).value().mode, HelperMode::kComponents);
}

// The helper plans for the etcd it finds, and asks that etcd for its version only when the build
// left no record.
TEST(PlanProxyForHelperTest, AsksEtcdForItsVersionOnlyWithoutTheBuildsRecord) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\necho 'etcd Version: 3.4.23'\n", fs::perms(0755));
  Env env;
  env.Set("PATH", "/usr/bin:/bin");
  env.Set("TMPDIR", tmp.path().string());
  env.Set("BPL_ETCD_PROXY_ENDPOINTS", "e:2379");
  env.Set("BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL", "30s");
  Result<ProxyCommand> refused = PlanProxyForHelper(env, tmp.path() / "bin", {}, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL (grpc-proxy --endpoints-auto-sync-interval) needs "
            "etcd 3.5.5 or later, but the installed etcd is 3.4.23");
  WriteFile(tmp.path() / kEtcdVersionRecord, "3.5.30\n");  // <tree>/etcd-version beside bin/etcd
  const ProxyCommand accepted = PlanProxyForHelper(env, tmp.path() / "bin", {}, false).value();
  EXPECT_EQ(accepted.argv[0], (tmp.path() / "bin/etcd").string());
  EXPECT_THAT(accepted.argv, ::testing::Contains("--endpoints-auto-sync-interval=30s"));
}

TEST(FindEtcdTest, BesideTheHelperThenPath) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "path/etcd", "#!/bin/sh\n", fs::perms(0755));
  WriteFile(tmp.path() / "noexec/etcd", "x", fs::perms(0644));
  Env env;
  env.Set("PATH", (tmp.path() / "noexec").string() + ":" + (tmp.path() / "path").string());
  EXPECT_EQ(FindEtcd(tmp.path() / "helper", env).value(), tmp.path() / "path/etcd");
  WriteFile(tmp.path() / "helper/etcd", "#!/bin/sh\n", fs::perms(0755));
  EXPECT_EQ(FindEtcd(tmp.path() / "helper", env).value(), tmp.path() / "helper/etcd");
  EXPECT_FALSE(FindEtcd(tmp.path() / "none", Env()).ok());
}

}  // namespace
}  // namespace bp
