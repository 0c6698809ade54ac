#include "proxy_config/version_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/etcd_program.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

using testing::WriteFile;

// A probe that counts how often it is asked.
struct Probe {
  std::string version;
  int calls = 0;
  std::function<Result<std::string>()> Fn() {
    return [this]() -> Result<std::string> {
      ++calls;
      return version;
    };
  }
};

TEST(CheckVersionSupportTest, UngatedSettingsNeverAskForTheVersion) {
  ClusterOptions o;
  o.discovery_srv = "x";
  o.max_send_bytes = 10;
  o.debug = true;
  Probe probe{"3.4.23"};
  EXPECT_TRUE(CheckVersionSupport(o, {"--max-recv-bytes=20"}, probe.Fn()).ok());
  EXPECT_EQ(probe.calls, 0);
}

TEST(CheckVersionSupportTest, EachGatedSettingAgainstTheShippedVersions) {
  struct Case {
    void (*set)(ClusterOptions&);
    const char* setting;
    const char* flag;
    const char* minimum;
  };
  const std::vector<Case> cases = {
      {[](ClusterOptions& o) { o.auto_sync_interval = "30s"; }, "BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL",
       "--endpoints-auto-sync-interval", "3.5.5"},
      {[](ClusterOptions& o) { o.keepalive_time = "10s"; }, "BPL_ETCD_PROXY_KEEPALIVE_TIME",
       "--dial-keepalive-time", "3.5.13"},
      {[](ClusterOptions& o) { o.keepalive_timeout = "5s"; }, "BPL_ETCD_PROXY_KEEPALIVE_TIMEOUT",
       "--dial-keepalive-timeout", "3.5.13"},
  };
  for (const Case& c : cases) {
    ClusterOptions o;
    c.set(o);
    Probe old{"3.4.23"};
    Status refused = CheckVersionSupport(o, {}, old.Fn());
    ASSERT_FALSE(refused.ok()) << c.setting;
    EXPECT_EQ(refused.error().message, std::string(c.setting) + " (grpc-proxy " + c.flag +
                                           ") needs etcd " + c.minimum +
                                           " or later, but the installed etcd is 3.4.23");
    EXPECT_EQ(old.calls, 1);
    for (const char* accepted : {"3.5.30", "3.5.33", "3.6.14", c.minimum}) {
      Probe probe{accepted};
      EXPECT_TRUE(CheckVersionSupport(o, {}, probe.Fn()).ok()) << c.setting << " " << accepted;
    }
  }
  ClusterOptions keepalive;
  keepalive.keepalive_time = "10s";
  Probe between{"3.5.12"};
  EXPECT_THAT(CheckVersionSupport(keepalive, {}, between.Fn()).error().message,
              HasSubstr("installed etcd is 3.5.12"));
}

TEST(CheckVersionSupportTest, PassthroughFlagsAreGuardedToo) {
  Probe probe{"3.4.23"};
  Status refused = CheckVersionSupport({}, {"--debug", "--dial-keepalive-time=10s"}, probe.Fn());
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("the argument --dial-keepalive-time (grpc-proxy "
                                                 "--dial-keepalive-time) needs etcd 3.5.13"));
  EXPECT_TRUE(CheckVersionSupport({}, {"--dial-keepalive-time-ish"}, probe.Fn()).ok());
}

TEST(CheckVersionSupportTest, AProbeFailureIsTheError) {
  ClusterOptions o;
  o.auto_sync_interval = "1s";
  Status failed = CheckVersionSupport(
      o, {}, [] { return Result<std::string>(MakeError(ErrorKind::kIo, "cannot run etcd")); });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "cannot run etcd");
}

TEST(InstalledEtcdVersionTest, ReadsTheBuildsRecordThroughLinksElseRunsEtcd) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path tree = tmp.path() / "etcd";
  WriteFile(tree / "bin/etcd", "binary", fs::perms(0755));
  Probe probe{"9.9.9"};
  EXPECT_EQ(InstalledEtcdVersion(tree / "bin/etcd", probe.Fn()).value(), "9.9.9");  // no record yet
  WriteFile(tree / kEtcdVersionRecord, "3.5.30\n");
  // Cloud Foundry's $DEPS_DIR/<idx>/bin/etcd is a relative link into the install tree.
  fs::create_directories(tmp.path() / "bin");
  fs::create_symlink("../etcd/bin/etcd", tmp.path() / "bin/etcd");
  EXPECT_EQ(InstalledEtcdVersion(tree / "bin/etcd", probe.Fn()).value(), "3.5.30");
  EXPECT_EQ(InstalledEtcdVersion(tmp.path() / "bin/etcd", probe.Fn()).value(), "3.5.30");
  EXPECT_EQ(probe.calls, 1);
  WriteFile(tree / kEtcdVersionRecord, "garbage");
  EXPECT_EQ(InstalledEtcdVersion(tree / "bin/etcd", probe.Fn()).value(), "9.9.9");
  fs::remove(tree / kEtcdVersionRecord);
  fs::create_directory(tree / kEtcdVersionRecord);
  EXPECT_EQ(InstalledEtcdVersion(tree / "bin/etcd", probe.Fn()).value(), "9.9.9")
      << "a directory is no record";
  EXPECT_EQ(probe.calls, 3);
}

TEST(FollowsEtcd35ProxyRulesTest, FromThreeFiveOnAndForAnUnparsableVersion) {
  for (const char* older : {"3.4.23", "3.4.0", "2.3.8"})
    EXPECT_FALSE(FollowsEtcd35ProxyRules(older)) << older;
  for (const char* newer : {"3.5.0", "3.5.30", "3.6.14", "3.7.0-alpha.0", "4.0.0"}) {
    EXPECT_TRUE(FollowsEtcd35ProxyRules(newer)) << newer;
  }
  // A version that cannot be read gets the newest rules: the shipped default is 3.6.
  for (const char* unreadable : {"", "garbage", "3", "v3.4"})
    EXPECT_TRUE(FollowsEtcd35ProxyRules(unreadable)) << unreadable;
}

}  // namespace
}  // namespace bp
