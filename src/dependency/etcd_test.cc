#include "dependency/etcd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/etcd_program.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::StartsWith;

BuildpackDescriptor Descriptor() {
  BuildpackDescriptor d;
  d.default_versions["etcd"] = "3.6.*";
  for (const char* v : {"3.5.33", "3.6.14"}) {
    Dependency dep;
    dep.id = "etcd";
    dep.version = v;
    dep.os = "linux";
    dep.arch = "amd64";
    d.dependencies.push_back(dep);
  }
  return d;
}

const VersionRequest kPlanned{"~3.5", VersionOrigin::kBuildPlan, "go.mod (build plan)"};

BuildSettings WithVersion(const std::string& constraint) {
  BuildSettings settings;
  settings.etcd_version = constraint;
  return settings;
}

TEST(EtcdVersionRequestTest, TheSettingWinsOverThePlan) {
  const VersionRequest r = EtcdVersionRequest(WithVersion("3.5.33"), Descriptor(), kPlanned);
  EXPECT_EQ(r.constraint, "3.5.33");
  EXPECT_EQ(r.origin, VersionOrigin::kSetting);
  EXPECT_EQ(r.label, "BP_ETCD_VERSION");
}

TEST(EtcdVersionRequestTest, ThePlanWinsOverTheDefault) {
  const VersionRequest r = EtcdVersionRequest(BuildSettings(), Descriptor(), kPlanned);
  EXPECT_EQ(r.origin, VersionOrigin::kBuildPlan);
  EXPECT_EQ(r.label, "go.mod (build plan)");
}

TEST(EtcdVersionRequestTest, TheDefaultVersionsComeNext) {
  const VersionRequest r = EtcdVersionRequest(BuildSettings(), Descriptor(), std::nullopt);
  EXPECT_EQ(r.constraint, "3.6.*");
  EXPECT_EQ(r.origin, VersionOrigin::kDefaultVersions);
}

TEST(EtcdVersionRequestTest, WithoutDefaultsAnyVersionDoes) {
  const VersionRequest r = EtcdVersionRequest(BuildSettings(), BuildpackDescriptor{}, std::nullopt);
  EXPECT_EQ(r.constraint, "*");
  EXPECT_EQ(r.origin, VersionOrigin::kAnyVersion);
}

TEST(ResolveEtcdTest, InvalidConstraintNamesTheSetting) {
  const VersionRequest request = EtcdVersionRequest(WithVersion("three"), Descriptor(), std::nullopt);
  Result<Dependency> r = ResolveEtcd(Descriptor(), request, {"linux", "amd64"});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, StartsWith("BP_ETCD_VERSION: invalid version constraint \"three\""));
}

TEST(ResolveEtcdTest, PicksTheHighestMatch) {
  EXPECT_EQ(ResolveEtcd(Descriptor(), kPlanned, {"linux", "amd64"}).value().version, "3.5.33");
}

TEST(CheckEtcdTreeTest, RunsTheBinaryAndComparesTheVersion) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::RecordingLogger log;
  EXPECT_NE(CheckEtcdTree(tmp.path(), "3.6.14", HostTarget(), log).error().message.find("no etcd binary"),
            std::string::npos);
  testing::WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\necho 'etcd Version: 3.6.14'\n", fs::perms(0755));
  EXPECT_TRUE(CheckEtcdTree(tmp.path(), "3.6.14", HostTarget(), log).ok());
  Status wrong = CheckEtcdTree(tmp.path(), "3.5.33", HostTarget(), log);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("reports 3.6.14 but buildpack.toml pins 3.5.33"), std::string::npos);
  // A foreign target cannot run here: only the presence of the binary is checked.
  const Target foreign{"linux", HostTarget().arch == "amd64" ? "arm64" : "amd64"};
  EXPECT_TRUE(CheckEtcdTree(tmp.path(), "9.9.9", foreign, log).ok());
  testing::WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\nexit 3\n", fs::perms(0755));
  EXPECT_NE(CheckEtcdTree(tmp.path(), "3.6.14", HostTarget(), log).error().message.find("exit code 3"), std::string::npos);
}

TEST(InstallEtcdTest, RecordsTheInstalledVersionInTheTree) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::FakeServices services;
  const std::string body = testing::FakeEtcdRelease("3.5.30");
  const Dependency dep = testing::MakeDependency("3.5.30", "https://example.test/etcd.tgz", body);
  services.fetcher.bodies[dep.uri] = body;
  EtcdInstall install{dep, ArtifactSource{SourceKind::kUpstream, dep.uri, "upstream"}, tmp.path() / "etcd", {}, HostTarget()};
  Services wired = services.Make();
  ASSERT_TRUE(InstallEtcd(install, services.fetcher, wired.retry, services.log).ok());
  // The launch helper reads this at run time instead of running etcd --version.
  EXPECT_EQ(testing::ReadFile(tmp.path() / "etcd" / kEtcdVersionRecord), "3.5.30\n");
}

}  // namespace
}  // namespace bp
