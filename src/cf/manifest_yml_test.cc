#include "cf/manifest_yml.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

BuildpackDescriptor Descriptor() {
  BuildpackDescriptor d = ReadBuildpackToml(BP_SOURCE_DIR).value();
  return d;
}

TEST(CfManifestTest, ListsOnlyAmd64DependenciesWithStacksAndDefaults) {
  const std::string yml = CfManifestYml(Descriptor(), {});
  EXPECT_NE(yml.find("language: etcdproxy\n"), std::string::npos);
  EXPECT_NE(yml.find("- name: \"etcd\"\n  version: \"3.6.x\"\n"), std::string::npos) << yml;
  EXPECT_NE(yml.find("etcd-v3.6.14-linux-amd64.tar.gz"), std::string::npos);
  EXPECT_EQ(yml.find("arm64"), std::string::npos);
  EXPECT_NE(yml.find("  cf_stacks:\n  - \"cflinuxfs4\"\n  - \"cflinuxfs5\"\n"), std::string::npos);
  EXPECT_NE(yml.find("- bin/supply\n"), std::string::npos);
  EXPECT_EQ(yml.find("file:"), std::string::npos);
}

TEST(CfManifestTest, CachedManifestPointsAtTheBundledFiles) {
  const std::string yml = CfManifestYml(Descriptor(), ManifestOptions{true});
  EXPECT_NE(yml.find("  file: \"dependencies/ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5/"
                     "etcd-v3.6.14-linux-amd64.tar.gz\"\n"), std::string::npos) << yml;
}

}  // namespace
}  // namespace bp
