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
  InstallReleaseTest() {
    body_ = testing::FakeEtcdRelease("3.6.14");
    delivery_.dependency =
        testing::MakeDependency("3.6.14", "https://example.com/etcd.tar.gz", body_);
    delivery_.destination = tmp_.path() / "etcd";
    delivery_.target = kAmd64;
    delivery_.announce_source = [this](const ArtifactSource& source) {
      announced_.push_back(source.label);
    };
    services_.fetcher.bodies[delivery_.dependency.uri] = body_;
  }
  Result<ArchiveReport> Install(const Provision& what) {
    Services services = services_.Make();
    return InstallRelease(what, delivery_, services_.fetcher, services.retry, services_.log);
  }
  fs::path Cached() const {
    return CachedArtifactPath(delivery_.sources.download_cache_dir, delivery_.dependency);
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  testing::FakeServices services_;
  std::string body_;
  ReleaseDelivery delivery_;
  std::vector<std::string> announced_;
};

TEST_F(InstallReleaseTest, PlacesTheDescribedBinaries) {
  Result<ArchiveReport> report = Install(Described({"etcd"}));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_THAT(report.value().placed, ElementsAre("bin/etcd"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "etcd/bin/etcdctl"));
}

TEST_F(InstallReleaseTest, ABinaryTheArchiveLacksIsAnErrorNamingTheSetting) {
  Result<ArchiveReport> report = Install(Described({"etcd", "etcdctl", "etcdutl"}));
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
  Result<ArchiveReport> report = Install(what);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.error().message, HasSubstr("refused 3.6.14"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "etcd"));
}

TEST_F(InstallReleaseTest, ChoosesTheSourceItselfAndAnnouncesIt) {
  delivery_.sources.mirrors.default_mirror = "https://mirror.example/{originalHost}";
  delivery_.sources.mirrors.default_origin = "BP_DEPENDENCY_MIRROR";
  const std::string mirrored = "https://mirror.example/example.com/etcd.tar.gz";
  services_.fetcher.bodies[mirrored] = body_;
  ASSERT_TRUE(Install(Described({"etcd"})).ok());
  EXPECT_EQ(services_.fetcher.requested, std::vector<std::string>{mirrored});
  EXPECT_EQ(announced_, std::vector<std::string>{"mirror (BP_DEPENDENCY_MIRROR)"});

  testing::WriteFile(CachedArtifactPath(tmp_.path() / "bp", delivery_.dependency), body_);
  delivery_.sources.buildpack_dir = tmp_.path() / "bp";
  ASSERT_TRUE(Install(Described({"etcd"})).ok());
  EXPECT_EQ(announced_.back(), "offline package");
}

TEST_F(InstallReleaseTest, KeepsADownloadInTheDownloadCacheButNotALocalCopy) {
  delivery_.sources.download_cache_dir = tmp_.path() / "cache";
  ASSERT_TRUE(Install(Described({"etcd"})).ok());
  EXPECT_EQ(testing::ReadFile(Cached()), body_);
  services_.fetcher.requested.clear();
  ASSERT_TRUE(Install(Described({"etcd"})).ok());  // a restage: from the cache, kept as it was
  EXPECT_EQ(announced_.back(), "download cache");
  ASSERT_EQ(services_.fetcher.requested.size(), 1u);
  EXPECT_EQ(services_.fetcher.requested[0], "file://" + Cached().string());
}

TEST_F(InstallReleaseTest, ACachedDownloadThatNoLongerVerifiesIsDiscardedAndFetchedAgain) {
  delivery_.sources.download_cache_dir = tmp_.path() / "cache";
  testing::WriteFile(Cached(), testing::FakeEtcdRelease("3.6.14", "tampered"));
  Result<ArchiveReport> report = Install(Described({"etcd"}));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(announced_, (std::vector<std::string>{"download cache", "buildpack.toml"}));
  EXPECT_TRUE(services_.log.Contains(
      "the cached download failed verification (installing etcd 3.6.14: sha256 mismatch"));
  EXPECT_EQ(testing::ReadFile(Cached()), body_);
  EXPECT_EQ(services_.fetcher.requested.back(), delivery_.dependency.uri);
}

TEST_F(InstallReleaseTest, AnOfflineCopyThatFailsVerificationIsFinal) {
  delivery_.sources.buildpack_dir = tmp_.path() / "bp";
  delivery_.sources.download_cache_dir = tmp_.path() / "cache";
  testing::WriteFile(CachedArtifactPath(tmp_.path() / "bp", delivery_.dependency), "tampered");
  Result<ArchiveReport> report = Install(Described({"etcd"}));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kChecksum);
  EXPECT_EQ(announced_, std::vector<std::string>{"offline package"});
}

TEST(DownloadReleaseTest, DownloadsFromTheChosenSourceVerified) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::FakeServices services;
  const std::string body = testing::FakeEtcdRelease("3.6.14");
  const Dependency dep = testing::MakeDependency("3.6.14", "https://example.com/etcd.tgz", body);
  SourceSettings sources;
  sources.mirrors.by_host["example.com"] = "https://mirror.example/base";
  sources.mirrors.host_origin["example.com"] = "BP_DEPENDENCY_MIRROR_EXAMPLE_COM";
  services.fetcher.bodies["https://mirror.example/base/etcd.tgz"] = body;
  std::vector<std::string> announced;
  Services wired = services.Make();
  Status done = DownloadRelease(
      dep, sources, tmp.path() / "out/etcd.tgz",
      [&](const ArtifactSource& source) { announced.push_back(source.uri); }, services.fetcher,
      wired.retry, services.log);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(testing::ReadFile(tmp.path() / "out/etcd.tgz"), body);
  EXPECT_EQ(announced, std::vector<std::string>{"https://mirror.example/base/etcd.tgz"});
}

}  // namespace
}  // namespace bp
