#include "launch/helper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/etcd_program.h"
#include "base/log.h"
#include "launch/exec_d.h"
#include "launch/health.h"
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
TEST(PlanHelperTest, AsksEtcdForItsVersionOnlyWithoutTheBuildsRecord) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\necho 'etcd Version: 3.4.23'\n", fs::perms(0755));
  Env env;
  env.Set("PATH", "/usr/bin:/bin");
  env.Set("TMPDIR", tmp.path().string());
  env.Set("BPL_ETCD_PROXY_ENDPOINTS", "e:2379");
  env.Set("BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL", "30s");
  Result<HelperPlan> refused = PlanHelper(env, tmp.path() / "bin", {}, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL (grpc-proxy --endpoints-auto-sync-interval) needs "
            "etcd 3.5.5 or later, but the installed etcd is 3.4.23");
  WriteFile(tmp.path() / kEtcdVersionRecord, "3.5.30\n");  // <tree>/etcd-version beside bin/etcd
  const ProxyCommand accepted = PlanHelper(env, tmp.path() / "bin", {}, false).value().command;
  EXPECT_EQ(accepted.argv[0], (tmp.path() / "bin/etcd").string());
  EXPECT_THAT(accepted.argv, ::testing::Contains("--endpoints-auto-sync-interval=30s"));
}

// Every command reads the launch settings through ReadLaunchSettings, so one bad value stops
// `etcd-proxy` and `print` (PlanHelper), `health` (HealthTargetFor) and the exec.d program
// (embedded or not) with the same line.
TEST(LaunchSettingsTest, ABadValueFailsEveryCommandWithTheSameLine) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\nexit 1\n", fs::perms(0755));
  WriteFile(tmp.path() / kEtcdVersionRecord, "3.6.14\n");
  const struct {
    const char* name;
    const char* value;
    const char* line;
  } cases[] = {
      {"BPL_ETCD_PROXY_LISTEN_ADDR", "127.0.0.1:2379,10.9.9.9:2379",
       "BPL_ETCD_PROXY_LISTEN_ADDR=\"127.0.0.1:2379,10.9.9.9:2379\" has a port that is not a "
       "number "
       "from 1 to 65535; set BPL_ETCD_PROXY_LISTEN_ADDR to host:port, for example 127.0.0.1:2379"},
      {"BPL_ETCD_PROXY_LISTEN_ADDR", "http://user:S3CRET@127.0.0.1:2379",
       "BPL_ETCD_PROXY_LISTEN_ADDR=\"http://***@127.0.0.1:2379\" is not a host:port address; set "
       "BPL_ETCD_PROXY_LISTEN_ADDR to host:port, for example 127.0.0.1:2379"},
      {"BPL_ETCD_PROXY_SHUTDOWN_DELAY", "soon",
       "BPL_ETCD_PROXY_SHUTDOWN_DELAY=\"soon\" is not a number of seconds; set "
       "BPL_ETCD_PROXY_SHUTDOWN_DELAY to a whole number from 0 to 3600"},
  };
  for (const auto& c : cases) {
    for (const char* embedded : {"false", "true"}) {
      Env env;
      env.Set("PATH", "/usr/bin:/bin");
      env.Set("TMPDIR", tmp.path().string());
      env.Set("BPL_ETCD_PROXY_ENDPOINTS", "10.0.0.1:2379");
      env.Set("BPL_ETCD_PROXY_EMBEDDED", embedded);
      env.Set(c.name, c.value);
      const std::string what = std::string(c.name) + " with embedded=" + embedded;
      Result<HelperPlan> plan = PlanHelper(env, tmp.path() / "bin", {}, false);
      ASSERT_FALSE(plan.ok()) << what;
      EXPECT_EQ(OneLine(plan.error()), c.line) << what;
      Result<HealthTarget> health = HealthTargetFor(env);
      ASSERT_FALSE(health.ok()) << what;
      EXPECT_EQ(OneLine(health.error()), c.line) << what;
      Status exec_d = RunExecD(env, tmp.path() / "bin");
      ASSERT_FALSE(exec_d.ok()) << what;
      EXPECT_EQ(OneLine(exec_d.error()), c.line) << what;
    }
  }
}

TEST(PlanHelperTest, ThePlanCarriesHowToRunIt) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\nexit 1\n", fs::perms(0755));
  WriteFile(tmp.path() / kEtcdVersionRecord, "3.6.14\n");
  Env env;
  env.Set("PATH", "/usr/bin:/bin");
  env.Set("BPL_ETCD_PROXY_ENDPOINTS", "10.0.0.1:2379");
  env.Set("BPL_ETCD_PROXY_LISTEN_ADDR", "127.0.0.1:12379");
  env.Set("BPL_ETCD_PROXY_SHUTDOWN_DELAY", "7");
  const HelperPlan plan = PlanHelper(env, tmp.path() / "bin", {}, false).value();
  EXPECT_EQ(plan.settings.shutdown_delay, std::chrono::seconds(7));
  EXPECT_THAT(plan.command.argv, ::testing::Contains("--listen-addr=127.0.0.1:12379"));
}

TEST(PlanHelperTest, RunsTheEtcdBesideTheHelperElseTheOneOnPath) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "path/etcd", "#!/bin/sh\n", fs::perms(0755));
  WriteFile(tmp.path() / "noexec/etcd", "x", fs::perms(0644));
  Env env;
  env.Set("PATH", (tmp.path() / "noexec").string() + ":" + (tmp.path() / "path").string());
  env.Set("TMPDIR", tmp.path().string());
  env.Set("BPL_ETCD_PROXY_ENDPOINTS", "e:2379");
  const auto etcd_for = [&](const fs::path& helper_dir) {
    return PlanHelper(env, helper_dir, {}, false).value().command.argv[0];
  };
  EXPECT_EQ(etcd_for(tmp.path() / "helper"), (tmp.path() / "path/etcd").string());
  WriteFile(tmp.path() / "helper/etcd", "#!/bin/sh\n", fs::perms(0755));
  EXPECT_EQ(etcd_for(tmp.path() / "helper"), (tmp.path() / "helper/etcd").string());
  env.Set("PATH", (tmp.path() / "noexec").string());
  Result<HelperPlan> none = PlanHelper(env, tmp.path() / "none", {}, false);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "cannot find the etcd binary beside etcd-proxy or on PATH");
}

}  // namespace
}  // namespace bp
