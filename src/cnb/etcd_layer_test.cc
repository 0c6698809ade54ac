#include "cnb/etcd_layer.h"

#include <gtest/gtest.h>

#include "cnb/layer_metadata.h"
#include "dependency/etcd.h"
#include "testing/test_util.h"

namespace bp {
namespace {

const std::string kSha(64, 'b');

EtcdLayerMetadata Wanted() {
  return {"3.6.14", kSha, "linux", "amd64", "3", "bin/etcd bin/etcdctl etcd-version"};
}

// etcd.toml as the build wrote it when its metadata was a map built inline; a layer cached then
// must still be reused.
const std::string kCachedEtcdToml = R"([metadata]
arch = "amd64"
files = "bin/etcd,bin/etcdctl,etcd-version"
layout = "3"
os = "linux"
places = "bin/etcd bin/etcdctl etcd-version"
sha256 = ")" + kSha + R"("
version = "3.6.14"

[types]
build = false
cache = true
launch = true
)";

TEST(EtcdLayerMetadataTest, WritesTheKeysTheLayerAlwaysRecorded) {
  EXPECT_EQ(ToLayerMetadata(Wanted()),
            (LayerMetadata{{"version", "3.6.14"},
                           {"sha256", kSha},
                           {"os", "linux"},
                           {"arch", "amd64"},
                           {"layout", "3"},
                           {"places", "bin/etcd bin/etcdctl etcd-version"}}));
}

TEST(EtcdLayerMetadataTest, ALayerCachedBeforeIsReadBackEqualAndReused) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "etcd.toml", kCachedEtcdToml);
  for (const char* file : {"bin/etcd", "bin/etcdctl", "etcd-version"})
    testing::WriteFile(tmp.path() / "etcd" / file, "x");
  const RestoredLayer restored = ReadRestoredLayer(tmp.path(), kEtcdLayer);
  std::string why;
  const std::optional<EtcdLayerMetadata> read =
      FromLayerMetadata<EtcdLayerMetadata>(*restored.metadata, &why);
  ASSERT_TRUE(read.has_value()) << why;
  EXPECT_TRUE(*read == Wanted());
  EXPECT_EQ(DecideReuse(restored, Wanted()).action, Reuse::kKeep);
}

TEST(EtcdLayerMetadataTest, AnyFieldChangedReplacesTheLayerNamingIt) {
  EtcdLayerMetadata other = Wanted();
  other.places = "bin/etcd etcd-version";
  RestoredLayer restored;
  restored.metadata = ToLayerMetadata(other);
  EXPECT_EQ(DecideReuse(restored, Wanted()).reason,
            "places bin/etcd etcd-version → bin/etcd bin/etcdctl etcd-version");
  EXPECT_FALSE(other == Wanted());
}

class ContributeEtcdLayerTest : public ::testing::Test {
 protected:
  ContributeEtcdLayerTest() {
    body_ = testing::FakeEtcdRelease("3.6.14");
    dep_ = testing::MakeDependency("3.6.14", "https://github.com/etcd/etcd.tgz", body_,
                                   HostTarget().arch);
    context_.layers_dir = tmp_.path() / "layers";
    context_.buildpack_dir = tmp_.path() / "bp";
    context_.target = HostTarget();
    fs::create_directories(context_.layers_dir);
  }
  Status Contribute(const SourceSettings& sources) {
    Services services = services_.Make();
    return ContributeEtcdLayer(context_, EtcdProvision(BuildSettings()), dep_, sources, services);
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  testing::FakeServices services_;
  BuildContext context_;
  std::string body_;
  Dependency dep_;
};

TEST_F(ContributeEtcdLayerTest, InstallsFromTheSourceTheInstallerChoosesThenReuses) {
  SourceSettings sources;
  sources.mirrors.default_mirror = "https://mirror.example/{originalHost}";
  sources.mirrors.default_origin = "BP_DEPENDENCY_MIRROR";
  services_.fetcher.bodies["https://mirror.example/github.com/etcd/etcd.tgz"] = body_;
  ASSERT_TRUE(Contribute(sources).ok());
  EXPECT_TRUE(services_.log.Contains(
      "Source: mirror (BP_DEPENDENCY_MIRROR) https://mirror.example/github.com/etcd/etcd.tgz"));
  const RestoredLayer written = ReadRestoredLayer(tmp_.path() / "layers", kEtcdLayer);
  std::string why;
  const std::optional<EtcdLayerMetadata> recorded =
      FromLayerMetadata<EtcdLayerMetadata>(*written.metadata, &why);
  ASSERT_TRUE(recorded.has_value()) << why;
  EXPECT_TRUE(*recorded == (EtcdLayerMetadata{"3.6.14", dep_.sha256, "linux", HostTarget().arch,
                                              kLayerLayout, "bin/etcd bin/etcdctl etcd-version"}));
  EXPECT_TRUE(fs::exists(tmp_.path() / "layers/etcd.sbom.cdx.json"));
  services_.fetcher.requested.clear();
  ASSERT_TRUE(Contribute(sources).ok());
  EXPECT_TRUE(services_.fetcher.requested.empty());
  EXPECT_TRUE(services_.log.Contains("Reusing cached layer"));
}

}  // namespace
}  // namespace bp
