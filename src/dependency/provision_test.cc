#include "dependency/provision.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Provision Described(std::vector<std::string> binaries) {
  Provision what;
  what.id = "etcd";
  what.version_setting = "BP_ETCD_VERSION";
  what.binaries_setting = "BP_ETCD_BINARIES";
  what.binaries = std::move(binaries);
  return what;
}

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

const Target kAmd64{"linux", "amd64"};
const VersionRequest kPlanned{"~3.5", VersionOrigin::kBuildPlan, "go.mod (build plan)"};
const std::chrono::system_clock::time_point kToday =
    std::chrono::system_clock::from_time_t(1700000000);

TEST(LayoutKeyTest, ChangesWhenABinaryIsAdded) {
  EXPECT_NE(LayoutKey(Described({"etcd", "etcdctl"})),
            LayoutKey(Described({"etcd", "etcdctl", "etcdutl"})));
}

TEST(LayoutKeyTest, ChangesWhenABinaryIsDropped) {
  EXPECT_NE(LayoutKey(Described({"etcd", "etcdctl"})), LayoutKey(Described({"etcd"})));
}

TEST(LayoutKeyTest, IsTheSameForTheSameDescription) {
  EXPECT_EQ(LayoutKey(Described({"etcd", "etcdctl"})), LayoutKey(Described({"etcd", "etcdctl"})));
}

TEST(PlacedFilesTest, AreTheBinariesUnderBin) {
  EXPECT_THAT(PlacedFiles(Described({"etcd", "etcdctl"})), ElementsAre("bin/etcd", "bin/etcdctl"));
}

TEST(PlacedFilesTest, IncludeTheFilesTheCheckWrites) {
  Provision what = Described({"etcd"});
  what.written_files = {"etcd-version"};
  EXPECT_THAT(PlacedFiles(what), ElementsAre("bin/etcd", "etcd-version"));
}

TEST(LayoutKeyTest, ChangesWhenTheCheckWritesAnotherFile) {
  Provision recorded = Described({"etcd"});
  recorded.written_files = {"etcd-version"};
  EXPECT_NE(LayoutKey(Described({"etcd"})), LayoutKey(recorded));
}

TEST(RequestForTest, TheSettingWinsOverThePlan) {
  Provision what = Described({"etcd"});
  what.requested_version = "3.5.33";
  const VersionRequest r = RequestFor(what, Descriptor(), kPlanned);
  EXPECT_EQ(r.constraint, "3.5.33");
  EXPECT_EQ(r.origin, VersionOrigin::kSetting);
  EXPECT_EQ(r.label, "BP_ETCD_VERSION");
}

TEST(RequestForTest, ThePlanWinsOverTheDefault) {
  const VersionRequest r = RequestFor(Described({"etcd"}), Descriptor(), kPlanned);
  EXPECT_EQ(r.origin, VersionOrigin::kBuildPlan);
  EXPECT_EQ(r.label, "go.mod (build plan)");
}

TEST(RequestForTest, TheDefaultVersionsComeNext) {
  const VersionRequest r = RequestFor(Described({"etcd"}), Descriptor(), std::nullopt);
  EXPECT_EQ(r.constraint, "3.6.*");
  EXPECT_EQ(r.origin, VersionOrigin::kDefaultVersions);
}

TEST(RequestForTest, WithoutDefaultsAnyVersionDoes) {
  const VersionRequest r = RequestFor(Described({"etcd"}), BuildpackDescriptor{}, std::nullopt);
  EXPECT_EQ(r.constraint, "*");
  EXPECT_EQ(r.origin, VersionOrigin::kAnyVersion);
}

TEST(SelectReleaseTest, PicksTheHighestMatch) {
  Result<Selection> s = SelectRelease(Described({"etcd"}), Descriptor(), kPlanned, kAmd64, kToday);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s.value().dependency.version, "3.5.33");
  EXPECT_FALSE(s.value().deprecation_warning.has_value());
}

TEST(SelectReleaseTest, AnInvalidConstraintNamesTheSetting) {
  Provision what = Described({"etcd"});
  what.requested_version = "three";
  Result<Selection> s = SelectRelease(what, Descriptor(), std::nullopt, kAmd64, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message,
              StartsWith("BP_ETCD_VERSION: invalid version constraint \"three\""));
}

TEST(SelectReleaseTest, NoMatchTellsWhichSettingToChange) {
  Provision what = Described({"etcd"});
  what.requested_version = "9.*";
  Result<Selection> s = SelectRelease(what, Descriptor(), std::nullopt, kAmd64, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().hint, StartsWith("set BP_ETCD_VERSION to one of the available versions"));
}

TEST(SelectReleaseTest, CarriesTheDeprecationWarning) {
  BuildpackDescriptor descriptor = Descriptor();
  for (Dependency& dep : descriptor.dependencies) dep.deprecation_date = "2020-01-01T00:00:00Z";
  Result<Selection> s =
      SelectRelease(Described({"etcd"}), descriptor, std::nullopt, kAmd64, kToday);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s.value().deprecation_warning.has_value());
}

TEST(PlacementRulesTest, PlacesOnlyTheDescribedBinaries) {
  const ExtractRules rules = PlacementRules(Described({"etcd", "etcdctl"}), 1);
  EXPECT_EQ(rules.strip_components, 1);
  EXPECT_EQ(rules.place("etcd"), "bin/etcd");
  EXPECT_EQ(rules.place("etcdctl"), "bin/etcdctl");
  EXPECT_EQ(rules.place("etcdutl"), "");
  EXPECT_EQ(rules.place("Documentation/etcd"), "");
}

class InstallReleaseTest : public ::testing::Test {
 protected:
  Result<InstallReport> Install(const Provision& what) {
    const std::string body = testing::FakeEtcdRelease("3.6.14");
    ReleaseInstall request;
    request.dependency = testing::MakeDependency("3.6.14", "https://example.com/etcd.tar.gz", body);
    request.source.uri = request.dependency.uri;
    request.destination = tmp_.path() / "etcd";
    request.target = kAmd64;
    services_.fetcher.bodies[request.source.uri] = body;
    Services services = services_.Make();
    return InstallRelease(what, request, services_.fetcher, services.retry, services_.log);
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  testing::FakeServices services_;
};

TEST_F(InstallReleaseTest, PlacesTheDescribedBinaries) {
  Result<InstallReport> report = Install(Described({"etcd"}));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_THAT(report.value().placed, ElementsAre("bin/etcd"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "etcd/bin/etcdctl"));
}

TEST_F(InstallReleaseTest, ABinaryTheArchiveLacksIsAnErrorNamingTheSetting) {
  Result<InstallReport> report = Install(Described({"etcd", "etcdctl", "etcdutl"}));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(
      report.error().message,
      HasSubstr("BP_ETCD_BINARIES names etcdutl, which the etcd 3.6.14 archive does not hold"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "etcd"));
}

TEST_F(InstallReleaseTest, RunsTheDescribedCheckBeforePromoting) {
  Provision what = Described({"etcd"});
  what.check = [](const fs::path&, const std::string& version, const Target&, Logger&) -> Status {
    return MakeError(ErrorKind::kInvalidInput, "refused " + version);
  };
  Result<InstallReport> report = Install(what);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.error().message, HasSubstr("refused 3.6.14"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "etcd"));
}

}  // namespace
}  // namespace bp
