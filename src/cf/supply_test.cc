#include "cf/supply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

using testing::ReadFile;
using testing::WriteFile;

constexpr char kUri[] =
    "https://github.com/etcd-io/etcd/releases/download/v3.6.0/etcd-v3.6.0-linux.tar.gz";

class SupplyTest : public ::testing::Test {
 protected:
  SupplyTest() {
    release_ = testing::FakeEtcdRelease("3.6.0");
    services_.fetcher.bodies[kUri] = release_;
    WriteFile(
        Root() / "bp/buildpack.toml",
        "[buildpack]\nid = 'x'\nversion = '0.2.0'\n[metadata.default-versions]\netcd = '3.*'\n"
        "[[metadata.dependencies]]\nid = 'etcd'\nversion = '3.6.0'\nuri = '" +
            std::string(kUri) + "'\nsha256 = '" + Sha256Hex(release_) +
            "'\nos = 'linux'\narch = '" + HostTarget().arch + "'\nstrip-components = 1\n");
    WriteFile(Root() / "bp/bin/etcd-proxy", "helper", fs::perms(0755));
    WriteFile(Root() / "app/app.rb", "puts 1");
    fs::create_directories(Root() / "deps/3");
  }
  fs::path Root() const { return tmp_.path(); }
  Result<SupplyContext> Context(std::vector<std::string> args = {}) {
    if (args.empty())
      args = {(Root() / "app").string(), (Root() / "cache").string(), (Root() / "deps").string(),
              "3"};
    return SupplyContextFrom(env_, args, Root() / "bp/bin");
  }
  Status Run() {
    Result<SupplyContext> context = Context();
    if (!context.ok()) return context.error();
    Services services = services_.Make();
    return Supply(context.value(), services);
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  testing::FakeServices services_;
  Env env_;
  std::string release_;
};

TEST_F(SupplyTest, InstallsIntoTheIndexedDepsDirOnly) {
  Status status = Run();
  ASSERT_TRUE(status.ok()) << status.error().message;
  const fs::path dep = Root() / "deps/3";
  EXPECT_EQ(fs::read_symlink(dep / "bin/etcd"), "../etcd/bin/etcd");
  EXPECT_EQ(fs::read_symlink(dep / "bin/etcdctl"), "../etcd/bin/etcdctl");
  EXPECT_EQ(ReadFile(dep / "bin/etcd-proxy"), "helper");
  EXPECT_THAT(ReadFile(dep / "config.yml"), HasSubstr("etcd_version: \"3.6.0\""));
  EXPECT_THAT(ReadFile(dep / "profile.d/etcdproxy.sh"), HasSubstr("$DEPS_DIR/3/bin"));
  EXPECT_FALSE(fs::exists(dep / "launch.yml"));
  EXPECT_EQ(
      ReadFile(Root() / "cache/dependencies" / Sha256Hex(release_) / "etcd-v3.6.0-linux.tar.gz"),
      release_);
  EXPECT_TRUE(services_.log.Contains("Etcdproxy Buildpack version 0.2.0"));
  EXPECT_TRUE(services_.log.Contains("Using etcd version 3.6.0"));
}

TEST_F(SupplyTest, RestageWithAWarmCacheMakesNoNetworkRequest) {
  ASSERT_TRUE(Run().ok());
  fs::remove_all(Root() / "deps/3");
  fs::create_directories(Root() / "deps/3");
  services_.fetcher.requested.clear();
  services_.fetcher.bodies.clear();
  ASSERT_TRUE(Run().ok());
  ASSERT_EQ(services_.fetcher.requested.size(), 1u);
  EXPECT_EQ(services_.fetcher.requested[0].rfind("file://" + (Root() / "cache").string(), 0), 0u);
}

TEST_F(SupplyTest, StaleCacheEntriesArePruned) {
  WriteFile(Root() / "cache/dependencies/oldsha/old.tgz", "old");
  ASSERT_TRUE(Run().ok());
  EXPECT_FALSE(fs::exists(Root() / "cache/dependencies/oldsha"));
}

TEST_F(SupplyTest, SidecarIsDeclaredOnlyOnRequest) {
  env_.Set("BP_ETCD_PROXY_SIDECAR", "true");
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(ReadFile(Root() / "deps/3/launch.yml"),
              HasSubstr("command: \"$DEPS_DIR/3/bin/etcd-proxy\""));
  EXPECT_FALSE(services_.log.Contains("zero-padded"));
}

TEST_F(SupplyTest, ASidecarUnderAZeroPaddedIndexIsDeclaredAndStagingSaysTheBuilderDropsIt) {
  env_.Set("BP_ETCD_PROXY_SIDECAR", "true");
  fs::create_directories(Root() / "deps/03");
  Result<SupplyContext> context = Context(
      {(Root() / "app").string(), (Root() / "cache").string(), (Root() / "deps").string(), "03"});
  ASSERT_TRUE(context.ok());
  Services services = services_.Make();
  ASSERT_TRUE(Supply(context.value(), services).ok());
  EXPECT_THAT(ReadFile(Root() / "deps/03/launch.yml"),
              HasSubstr("command: \"$DEPS_DIR/03/bin/etcd-proxy\""));
  EXPECT_TRUE(services_.log.Contains("DEPS_IDX 03 is zero-padded"));
}

TEST_F(SupplyTest, ChecksumMismatchLeavesNoPartialEtcd) {
  services_.fetcher.bodies[kUri] = testing::FakeEtcdRelease("3.6.0", "other");
  Status status = Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kChecksum);
  EXPECT_FALSE(fs::exists(Root() / "deps/3/etcd"));
  EXPECT_FALSE(fs::exists(Root() / "deps/3/bin/etcd"));
  EXPECT_FALSE(fs::exists(Root() / "cache/dependencies" / Sha256Hex(release_)));
}

TEST_F(SupplyTest, DisabledWritesOnlyConfig) {
  env_.Set("BP_ETCD_PROXY_ENABLED", "false");
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(fs::exists(Root() / "deps/3/config.yml"));
  EXPECT_FALSE(fs::exists(Root() / "deps/3/bin"));
  EXPECT_TRUE(services_.fetcher.requested.empty());
}

TEST_F(SupplyTest, BadSettingsFailBeforeAnyWork) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"BP_ETCD_PROXY_SIDECAR_MEMORY", "abc"},
           {"BP_ETCD_PROXY_SIDECAR", "maybe"},
           {"BP_ETCD_PROXY_ENABLED", "flase"},
           {"BP_DEPENDENCY_MIRROR", "http://plain.example"}}) {
    env_ = Env();
    env_.Set(name, value);
    Status status = Run();
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_THAT(status.error().message, HasSubstr(name));
    EXPECT_TRUE(services_.fetcher.requested.empty()) << name;
    EXPECT_TRUE(fs::is_empty(Root() / "deps/3")) << name;
  }
}

// The restage would take the release from CACHE_DIR and download nothing: the bad mirror fails it
// all the same, with the words a CNB build and packaging use.
TEST_F(SupplyTest, ABadMirrorFailsARestageThatWouldUseTheCachedDownload) {
  ASSERT_TRUE(Run().ok());
  fs::remove_all(Root() / "deps/3");
  fs::create_directories(Root() / "deps/3");
  services_.fetcher.requested.clear();
  env_.Set("BP_DEPENDENCY_MIRROR", "http://plain.example/{originalHost}");
  Status status = Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(OneLine(status.error()),
            "BP_DEPENDENCY_MIRROR must be an https:// or file:// URL; for example "
            "https://mirror.example.org/{originalHost}");
  EXPECT_TRUE(services_.fetcher.requested.empty());
  EXPECT_TRUE(fs::is_empty(Root() / "deps/3"));
}

TEST_F(SupplyTest, ACachedDownloadThatNoLongerVerifiesIsFetchedAgain) {
  ASSERT_TRUE(Run().ok());
  const fs::path cached =
      Root() / "cache/dependencies" / Sha256Hex(release_) / "etcd-v3.6.0-linux.tar.gz";
  WriteFile(cached, testing::FakeEtcdRelease("3.6.0", "tampered"));
  services_.fetcher.requested.clear();
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(services_.log.Contains("the cached download failed verification"));
  EXPECT_EQ(services_.fetcher.requested.back(), kUri);
  EXPECT_EQ(ReadFile(cached), release_);
}

TEST_F(SupplyTest, ArgumentsAreValidated) {
  EXPECT_THAT(Context({"a", "b", "c"}).error().message, HasSubstr("expected 4 arguments, got 3"));
  const std::string app = (Root() / "app").string();
  const std::string cache = (Root() / "cache").string();
  const std::string deps = (Root() / "deps").string();
  EXPECT_FALSE(Context({app, cache, deps, "9"}).ok());
  EXPECT_FALSE(Context({app, cache, deps, "../3"}).ok());
  EXPECT_FALSE(Context({(Root() / "none").string(), cache, deps, "3"}).ok());
  fs::create_directories(Root() / "deps/00");
  EXPECT_EQ(Context({app, cache, deps, "00"}).value().DepDir(), Root() / "deps/00");
}

}  // namespace
}  // namespace bp
