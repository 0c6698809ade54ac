#include "cnb/helper_layer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "cnb/layer_metadata.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

constexpr char kHelper[] = "#!/bin/sh\necho helper\n";

// helper.toml as the build wrote it when its metadata was a map built inline; a layer cached then
// must still be reused.
std::string CachedHelperToml(const std::string& sha256) {
  return R"([metadata]
buildpack-version = "0.1.0"
exec-d = "2"
files = "bin/etcd-proxy,env.launch/etcd-proxy/BPI_ETCD_PROXY_PROCESS_TYPE.override,exec.d/etcd-proxy+app"
layout = "3"
sha256 = ")" +
         sha256 + R"("

[types]
build = false
cache = true
launch = true
)";
}

class ContributeHelperLayerTest : public ::testing::Test {
 protected:
  ContributeHelperLayerTest() {
    testing::WriteFile(tmp_.path() / "bp/bin/etcd-proxy", kHelper, fs::perms(0755));
    context_.layers_dir = tmp_.path() / "layers";
    context_.buildpack_dir = tmp_.path() / "bp";
    context_.target = HostTarget();
    fs::create_directories(context_.layers_dir);
    descriptor_.version = "0.1.0";
    descriptor_.licenses = {"Apache-2.0"};
  }
  // Contributes the layer with a lister that counts its runs and reports `listed`.
  Status Contribute(Result<std::vector<LinkedComponent>> listed) {
    Services services = services_.Make();
    return ContributeHelperLayer(context_, descriptor_, services, [&](const fs::path& helper) {
      ++listings_;
      EXPECT_EQ(helper, tmp_.path() / "bp/bin/etcd-proxy");
      return listed;
    });
  }
  fs::path Layers() const { return tmp_.path() / "layers"; }
  int Warnings() const {
    int warnings = 0;
    for (const std::string& line : services_.log.lines())
      warnings += line.rfind("warning: ", 0) == 0;
    return warnings;
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  testing::FakeServices services_;
  BuildContext context_;
  BuildpackDescriptor descriptor_;
  int listings_ = 0;
  const std::vector<LinkedComponent> openssl_ = {
      {"openssl", "3.0.17", "Apache-2.0", "pkg:generic/openssl@3.0.17", ""}};
};

TEST_F(ContributeHelperLayerTest, WritesTheSbomWhenInstalledAndARebuildDoesNotListAgain) {
  ASSERT_TRUE(Contribute(openssl_).ok());
  EXPECT_EQ(listings_, 1);
  const std::string cdx = testing::ReadFile(Layers() / "helper.sbom.cdx.json");
  const std::string spdx = testing::ReadFile(Layers() / "helper.sbom.spdx.json");
  EXPECT_THAT(cdx, HasSubstr("pkg:generic/openssl@3.0.17"));
  ASSERT_TRUE(Contribute(openssl_).ok());  // the rebuild: the layer and its SBOMs came back
  EXPECT_EQ(listings_, 1);
  EXPECT_TRUE(services_.log.Contains("Reusing cached layer " + (Layers() / "helper").string()));
  EXPECT_EQ(testing::ReadFile(Layers() / "helper.sbom.cdx.json"), cdx);
  EXPECT_EQ(testing::ReadFile(Layers() / "helper.sbom.spdx.json"), spdx);
}

TEST_F(ContributeHelperLayerTest, AReplacedLayerListsAgainAndWritesANewSbom) {
  ASSERT_TRUE(Contribute(openssl_).ok());
  descriptor_.version = "0.2.0";
  ASSERT_TRUE(Contribute(openssl_).ok());
  EXPECT_EQ(listings_, 2);
  EXPECT_TRUE(services_.log.Contains("buildpack-version 0.1.0 → 0.2.0"));
  EXPECT_THAT(testing::ReadFile(Layers() / "helper.sbom.cdx.json"),
              HasSubstr("pkg:generic/etcd-proxy@0.2.0"));
}

TEST_F(ContributeHelperLayerTest, AHelperThatCannotRunHereWarnsOnceWhenInstalled) {
  const Error unavailable = MakeError(ErrorKind::kUnavailable, "it cannot run on this machine");
  ASSERT_TRUE(Contribute(unavailable).ok());
  EXPECT_EQ(Warnings(), 1);
  EXPECT_TRUE(services_.log.Contains("the helper layer gets no SBOM"));
  ASSERT_TRUE(Contribute(unavailable).ok());
  EXPECT_EQ(listings_, 1);
  EXPECT_EQ(Warnings(), 1);
  EXPECT_FALSE(fs::exists(Layers() / "helper.sbom.cdx.json"));
}

TEST_F(ContributeHelperLayerTest, AHelperThatFailsToListFailsTheBuild) {
  Status status = Contribute(MakeError(ErrorKind::kInternal, "it exited 3"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "it exited 3");
  EXPECT_FALSE(fs::exists(Layers() / "helper.toml"));
  EXPECT_FALSE(fs::exists(Layers() / "helper.sbom.cdx.json"));
}

TEST_F(ContributeHelperLayerTest, ALayerCachedBeforeIsReusedWithoutListing) {
  ASSERT_TRUE(Contribute(openssl_).ok());
  testing::WriteFile(Layers() / "helper.toml", CachedHelperToml(Sha256Hex(kHelper)));
  ASSERT_TRUE(Contribute(openssl_).ok());
  EXPECT_EQ(listings_, 1);
  EXPECT_TRUE(services_.log.Contains("Reusing cached layer " + (Layers() / "helper").string()));
  const RestoredLayer restored = ReadRestoredLayer(Layers(), kHelperLayer);
  std::string why;
  const std::optional<HelperLayerMetadata> read =
      FromLayerMetadata<HelperLayerMetadata>(*restored.metadata, &why);
  ASSERT_TRUE(read.has_value()) << why;
  EXPECT_TRUE(*read == (HelperLayerMetadata{"0.1.0", Sha256Hex(kHelper), "3", "2"}));
}

}  // namespace
}  // namespace bp
