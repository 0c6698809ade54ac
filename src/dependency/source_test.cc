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
  Result<ArtifactSource> source = ChooseSource(Dep(), SourceOptions{});
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source.value().kind, SourceKind::kUpstream);
  EXPECT_EQ(source.value().uri, Dep().uri);
}

TEST(ChooseSourceTest, FirstHitWinsInTheDocumentedOrder) {
  ScopedTempDir tmp = MakeTempDir();
  SourceOptions options;
  options.buildpack_dir = tmp.path() / "bp";
  options.download_cache_dir = tmp.path() / "cache";
  options.bindings = {Mapping("other", std::string(64, 'b'), "https://wrong"),
                      Mapping("map", Dep().sha256, "https://mapped/x.tgz")};
  options.mirrors.default_mirror = "https://mirror.example/{originalHost}";
  options.mirrors.default_origin = "BP_DEPENDENCY_MIRROR";

  EXPECT_EQ(ChooseSource(Dep(), options).value().kind, SourceKind::kMappingBinding);
  EXPECT_EQ(ChooseSource(Dep(), options).value().uri, "https://mapped/x.tgz");
  EXPECT_EQ(ChooseSource(Dep(), options).value().label, "dependency-mapping binding 'map'");

  WriteFile(CachedArtifactPath(options.download_cache_dir, Dep()), "cached");
  EXPECT_EQ(ChooseSource(Dep(), options).value().kind, SourceKind::kDownloadCache);

  WriteFile(CachedArtifactPath(options.buildpack_dir, Dep()), "offline");
  const ArtifactSource offline = ChooseSource(Dep(), options).value();
  EXPECT_EQ(offline.kind, SourceKind::kOfflinePackage);
  EXPECT_EQ(offline.uri, "file://" + (tmp.path() / "bp/dependencies" / Dep().sha256 /
                                      "etcd-v3.6.14-linux-amd64.tar.gz")
                                         .string());
  EXPECT_TRUE(offline.IsLocal());
}

TEST(ChooseSourceTest, AMappingThatIsNoUrlIsRefusedNamingTheEntryNeverItsContent) {
  SourceOptions options;
  for (const std::string bad :
       {"s3cr3t-token", "password: hunter2 s3cr3t", "ftp://host/x.tgz", "https://", "file://",
        "-----BEGIN PRIVATE KEY-----\ns3cr3t\n-----END PRIVATE KEY-----"}) {
    options.bindings = {Mapping("map", Dep().sha256, bad)};
    Result<ArtifactSource> source = ChooseSource(Dep(), options);
    ASSERT_FALSE(source.ok()) << bad;
    EXPECT_EQ(source.error().message,
              "dependency-mapping binding 'map' entry " + Dep().sha256 +
                  " does not hold a well-formed https://, http:// or file:// URL");
    EXPECT_EQ((source.error().message + source.error().hint).find("s3cr3t"), std::string::npos);
  }
  for (const std::string good :
       {"https://mirror.example/x.tgz", "http://127.0.0.1:8080/x.tgz", "file:///srv/x.tgz"}) {
    options.bindings = {Mapping("map", Dep().sha256, good)};
    EXPECT_EQ(ChooseSource(Dep(), options).value().uri, good);
  }
}

TEST(ChooseSourceTest, MirrorBeforeUpstream) {
  SourceOptions options;
  options.mirrors.by_host["github.com"] = "https://gh-mirror.example";
  options.mirrors.host_origin["github.com"] = "BP_DEPENDENCY_MIRROR_GITHUB_COM";
  const ArtifactSource source = ChooseSource(Dep(), options).value();
  EXPECT_EQ(source.kind, SourceKind::kMirror);
  EXPECT_EQ(source.uri,
            "https://gh-mirror.example/etcd-io/etcd/releases/download/v3.6.14/"
            "etcd-v3.6.14-linux-amd64.tar.gz");
  EXPECT_EQ(source.label, "mirror (BP_DEPENDENCY_MIRROR_GITHUB_COM)");
}

TEST(ChooseSourceTest, BadMirrorIsAnError) {
  SourceOptions options;
  options.mirrors.default_mirror = "http://plain.example";
  options.mirrors.default_origin = "BP_DEPENDENCY_MIRROR";
  EXPECT_FALSE(ChooseSource(Dep(), options).ok());
}

}  // namespace
}  // namespace bp
