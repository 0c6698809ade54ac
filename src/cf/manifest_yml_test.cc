#include "cf/manifest_yml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/source_dir.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

BuildpackDescriptor Descriptor() {
  BuildpackDescriptor d = ReadBuildpackToml(testing::SourceDir()).value();
  return d;
}

TEST(CfManifestTest, ListsOnlyAmd64DependenciesWithStacksAndDefaults) {
  const std::string yml = CfManifestYml(Descriptor(), {});
  EXPECT_THAT(yml, HasSubstr("language: etcdproxy\n"));
  EXPECT_THAT(yml, HasSubstr("- name: \"etcd\"\n  version: \"3.6.x\"\n")) << yml;
  EXPECT_THAT(yml, HasSubstr("etcd-v3.6.14-linux-amd64.tar.gz"));
  EXPECT_THAT(yml, Not(HasSubstr("arm64")));
  EXPECT_THAT(yml, HasSubstr("  cf_stacks:\n  - \"cflinuxfs4\"\n  - \"cflinuxfs5\"\n"));
  EXPECT_THAT(yml, HasSubstr("- bin/supply\n"));
  EXPECT_THAT(yml, HasSubstr("- bin/compile\n"));
  EXPECT_THAT(yml, Not(HasSubstr("file:")));
}

TEST(CfManifestTest, CachedManifestPointsAtTheBundledFiles) {
  const std::string yml = CfManifestYml(Descriptor(), ManifestOptions{true});
  EXPECT_THAT(
      yml,
      HasSubstr(
          "  file: \"dependencies/ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5/"
          "etcd-v3.6.14-linux-amd64.tar.gz\"\n"));
}

}  // namespace
}  // namespace bp
