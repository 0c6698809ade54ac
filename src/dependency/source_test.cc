#include "dependency/source.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using testing::MakeTempDir;
using testing::WriteFile;

Dependency Dep() {
  Dependency dep;
  dep.id = "etcd";
  dep.version = "3.6.14";
  dep.uri =
      "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz";
  dep.sha256 = std::string(64, 'a');
  return dep;
}

Binding Mapping(const std::string& name, const std::string& sha, const std::string& uri) {
  Binding binding;
  binding.name = name;
  binding.type = "dependency-mapping";
  binding.entries[sha] = uri;
  return binding;
}

TEST(ChooseSourceTest, UpstreamWhenNothingElseApplies) {
  Result<ArtifactSource> source = ChooseSource(Dep(), SourceSettings{});
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source.value().kind, SourceKind::kUpstream);
  EXPECT_EQ(source.value().uri, Dep().uri);
}

TEST(ChooseSourceTest, FirstHitWinsInTheDocumentedOrder) {
  ScopedTempDir tmp = MakeTempDir();
  SourceSettings settings;
  settings.buildpack_dir = tmp.path() / "bp";
  settings.download_cache_dir = tmp.path() / "cache";
  settings.bindings = {Mapping("other", std::string(64, 'b'), "https://wrong"),
                       Mapping("map", Dep().sha256, "https://mapped/x.tgz")};
  settings.mirrors.default_mirror = "https://mirror.example/{originalHost}";
  settings.mirrors.default_origin = "BP_DEPENDENCY_MIRROR";

  EXPECT_EQ(ChooseSource(Dep(), settings).value().kind, SourceKind::kMappingBinding);
  EXPECT_EQ(ChooseSource(Dep(), settings).value().uri, "https://mapped/x.tgz");
  EXPECT_EQ(ChooseSource(Dep(), settings).value().label, "dependency-mapping binding 'map'");

  WriteFile(CachedArtifactPath(settings.download_cache_dir, Dep()), "cached");
  EXPECT_EQ(ChooseSource(Dep(), settings).value().kind, SourceKind::kDownloadCache);

  WriteFile(CachedArtifactPath(settings.buildpack_dir, Dep()), "offline");
  const ArtifactSource offline = ChooseSource(Dep(), settings).value();
  EXPECT_EQ(offline.kind, SourceKind::kOfflinePackage);
  EXPECT_EQ(offline.uri, "file://" + (tmp.path() / "bp/dependencies" / Dep().sha256 /
                                      "etcd-v3.6.14-linux-amd64.tar.gz")
                                         .string());
  EXPECT_TRUE(offline.IsLocal());
}

TEST(ChooseSourceTest, AMappingThatIsNoUrlIsRefusedNamingTheEntryNeverItsContent) {
  SourceSettings settings;
  for (const std::string bad :
       {"s3cr3t-token", "password: hunter2 s3cr3t", "ftp://host/x.tgz", "https://", "file://",
        "-----BEGIN PRIVATE KEY-----\ns3cr3t\n-----END PRIVATE KEY-----"}) {
    settings.bindings = {Mapping("map", Dep().sha256, bad)};
    Result<ArtifactSource> source = ChooseSource(Dep(), settings);
    ASSERT_FALSE(source.ok()) << bad;
    EXPECT_EQ(source.error().message,
              "dependency-mapping binding 'map' entry " + Dep().sha256 +
                  " does not hold a well-formed https://, http:// or file:// URL");
    EXPECT_EQ((source.error().message + source.error().hint).find("s3cr3t"), std::string::npos);
  }
  for (const std::string good :
       {"https://mirror.example/x.tgz", "http://127.0.0.1:8080/x.tgz", "file:///srv/x.tgz"}) {
    settings.bindings = {Mapping("map", Dep().sha256, good)};
    EXPECT_EQ(ChooseSource(Dep(), settings).value().uri, good);
  }
}

TEST(ChooseSourceTest, MirrorBeforeUpstream) {
  SourceSettings settings;
  settings.mirrors.by_host["github.com"] = "https://gh-mirror.example";
  settings.mirrors.host_origin["github.com"] = "BP_DEPENDENCY_MIRROR_GITHUB_COM";
  const ArtifactSource source = ChooseSource(Dep(), settings).value();
  EXPECT_EQ(source.kind, SourceKind::kMirror);
  EXPECT_EQ(source.uri,
            "https://gh-mirror.example/etcd-io/etcd/releases/download/v3.6.14/"
            "etcd-v3.6.14-linux-amd64.tar.gz");
  EXPECT_EQ(source.label, "mirror (BP_DEPENDENCY_MIRROR_GITHUB_COM)");
}

TEST(ChooseSourceTest, BadMirrorIsAnError) {
  SourceSettings settings;
  settings.mirrors.default_mirror = "http://plain.example";
  settings.mirrors.default_origin = "BP_DEPENDENCY_MIRROR";
  EXPECT_FALSE(ChooseSource(Dep(), settings).ok());
}

Env EnvWith(const std::string& name, const std::string& value) {
  Env env;
  env.Set(name, value);
  return env;
}

TEST(ReadSourceSettingsTest, ABadMirrorFailsOnReadingWhetherOrNotAnythingIsFetchedLater) {
  ScopedTempDir tmp = MakeTempDir();
  // The offline package has the file, so nothing would be downloaded: the setting is still bad.
  WriteFile(CachedArtifactPath(tmp.path() / "bp", Dep()), "offline");
  for (const std::string bad : {"http://plain.example/{originalHost}", "ftp://x", "https://a b"}) {
    Result<SourceSettings> settings = ReadSourceSettings(EnvWith("BP_DEPENDENCY_MIRROR", bad), {},
                                                         tmp.path() / "bp", "", {Dep()});
    ASSERT_FALSE(settings.ok()) << bad;
    EXPECT_EQ(settings.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(settings.error().message.rfind("BP_DEPENDENCY_MIRROR ", 0), 0u)
        << settings.error().message;
  }
}

TEST(ReadSourceSettingsTest, AMirrorForAHostNothingComesFromIsNotChecked) {
  // Other buildpacks of the same build may use their own mirrors for their own hosts.
  Result<SourceSettings> settings = ReadSourceSettings(
      EnvWith("BP_DEPENDENCY_MIRROR_REPO1_MAVEN_ORG", "http://nexus.example"), {}, "", "", {Dep()});
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(ChooseSource(Dep(), settings.value()).value().kind, SourceKind::kUpstream);
}

TEST(ReadSourceSettingsTest, ABadMappingEntryForAFetchedDependencyFailsOnReading) {
  Result<SourceSettings> settings =
      ReadSourceSettings(Env(), {Mapping("map", Dep().sha256, "not a url")}, "", "", {Dep()});
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().message,
            "dependency-mapping binding 'map' entry " + Dep().sha256 +
                " does not hold a well-formed https://, http:// or file:// URL");
}

TEST(ReadSourceSettingsTest, KeepsWhatChooseSourceNeeds) {
  ScopedTempDir tmp = MakeTempDir();
  Result<SourceSettings> settings =
      ReadSourceSettings(EnvWith("BP_DEPENDENCY_MIRROR", "https://mirror.example/{originalHost}"),
                         {Mapping("other", std::string(64, 'b'), "https://elsewhere/x.tgz")},
                         tmp.path() / "bp", tmp.path() / "cache", {Dep()});
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(ChooseSource(Dep(), settings.value()).value().label, "mirror (BP_DEPENDENCY_MIRROR)");
  WriteFile(CachedArtifactPath(tmp.path() / "cache", Dep()), "cached");
  EXPECT_EQ(ChooseSource(Dep(), settings.value()).value().kind, SourceKind::kDownloadCache);
}

}  // namespace
}  // namespace bp
