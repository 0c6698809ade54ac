#include "cnb/layer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

const LayerMetadata kWanted = {
    {"version", "3.6.14"}, {"sha256", "abc"}, {"arch", "amd64"}, {"os", "linux"}, {"layout", "1"}};

std::optional<LayerMetadata> ReadBack(const std::string& toml, std::string* why) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "etcd.toml", toml);
  return ReadLayerMetadata(tmp.path(), "etcd", why);
}

TEST(LayerMetadataTest, RoundTripsThroughTheWrittenToml) {
  ScopedTempDir tmp = testing::MakeTempDir();
  ASSERT_TRUE(WriteLayerToml(tmp.path(), "etcd", LaunchAndCacheLayer(), kWanted).ok());
  const std::string text = testing::ReadFile(tmp.path() / "etcd.toml");
  EXPECT_THAT(text, HasSubstr("[types]"));
  EXPECT_THAT(text, HasSubstr("launch = true"));
  EXPECT_THAT(text, HasSubstr("cache = true"));
  std::string why;
  EXPECT_EQ(ReadLayerMetadata(tmp.path(), "etcd", &why), kWanted);
}

TEST(LayerMetadataTest, RestoredMetadataWithoutTypesIsRead) {
  std::string why;
  const auto m = ReadBack("[metadata]\nversion = \"3.6.14\"\nsha256 = \"abc\"\n", &why);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->at("version"), "3.6.14");
}

TEST(LayerMetadataTest, UnusableMetadataIsNulloptWithAReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[metadata]\nversion = 3.6\n", "non-string version"},  // a float after the JSON round trip
      {"[metadata]\nlayout = 1.0\n", "non-string layout"},
      {"[metadata]\nversion = [\"x\"]\n", "non-string version"},
      {"[metadata\ngarbage", "not valid TOML"},
      {"\x01\x02\xff", "not valid TOML"},
      {"[types]\nlaunch = true\n", "no metadata"},
      {"metadata = 5\n", "no metadata"},
  };
  for (const auto& [toml, reason] : cases) {
    std::string why;
    EXPECT_FALSE(ReadBack(toml, &why).has_value()) << toml;
    EXPECT_THAT(why, HasSubstr(reason)) << toml << " -> " << why;
  }
  ScopedTempDir empty = testing::MakeTempDir();
  std::string why;
  EXPECT_FALSE(ReadLayerMetadata(empty.path(), "etcd", &why).has_value());
  EXPECT_EQ(why, "no cached layer");
}

TEST(DecideReuseTest, KeepsOnlyAnIdenticalLayerWithItsFiles) {
  EXPECT_EQ(DecideReuse(kWanted, "", kWanted, "").action, Reuse::kKeep);
  EXPECT_EQ(DecideReuse(kWanted, "", kWanted, "bin/etcdctl").action, Reuse::kReplace);
  EXPECT_EQ(DecideReuse(std::nullopt, "no cached layer", kWanted, "").reason, "no cached layer");
  LayerMetadata older = kWanted;
  older["version"] = "3.5.33";
  EXPECT_EQ(DecideReuse(older, "", kWanted, "").reason, "version 3.5.33 → 3.6.14");
  LayerMetadata other_arch = kWanted;
  other_arch["arch"] = "arm64";
  EXPECT_EQ(DecideReuse(other_arch, "", kWanted, "").action, Reuse::kReplace);
  LayerMetadata changed_sha = kWanted;
  changed_sha["sha256"] = "def";
  EXPECT_EQ(DecideReuse(changed_sha, "", kWanted, "").reason, "the archive checksum changed");
  LayerMetadata extra = kWanted;
  extra["unexpected"] = "x";
  EXPECT_EQ(DecideReuse(extra, "", kWanted, "").action, Reuse::kReplace);
  LayerMetadata missing = kWanted;
  missing.erase("layout");
  EXPECT_EQ(DecideReuse(missing, "", kWanted, "").reason, "layout was not recorded");
}

TEST(DecideReuseTest, TheRecordedFileListIsNotPartOfTheComparison) {
  LayerMetadata restored = kWanted;
  restored[kLayerFilesKey] = "bin/etcd,bin/etcdctl";
  EXPECT_EQ(DecideReuse(restored, "", kWanted, "").action, Reuse::kKeep);
  EXPECT_EQ(DecideReuse(restored, "", kWanted, "bin/etcdctl").reason,
            "the cached layer's bin/etcdctl was not restored");
}

TEST(LayerFileInventoryTest, ListsEveryFileAndLinkSorted) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "bin" / "etcdctl", "x");
  testing::WriteFile(tmp.path() / "bin" / "etcd", "x");
  testing::WriteFile(tmp.path() / "etcd-version", "3.6.14");
  fs::create_directories(tmp.path() / "exec.d");
  fs::create_symlink("../bin/etcd", tmp.path() / "exec.d" / "link");
  EXPECT_EQ(LayerFileInventory(tmp.path()), "bin/etcd,bin/etcdctl,etcd-version,exec.d/link");
}

TEST(FirstMissingFileTest, NamesTheFirstFileThatDidNotComeBack) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "bin" / "etcd", "x");
  EXPECT_EQ(FirstMissingFile(tmp.path(), "bin/etcd"), "");
  EXPECT_EQ(FirstMissingFile(tmp.path(), "bin/etcd,bin/etcdctl"), "bin/etcdctl");
}

TEST(FirstMissingFileTest, AnEmptyInventoryIsItselfMissing) {
  ScopedTempDir tmp = testing::MakeTempDir();
  EXPECT_EQ(FirstMissingFile(tmp.path(), ""), "file list");
}

TEST(FirstMissingFileTest, ADanglingLinkIsMissing) {
  ScopedTempDir tmp = testing::MakeTempDir();
  fs::create_directories(tmp.path() / "exec.d");
  fs::create_symlink("../bin/etcd-proxy", tmp.path() / "exec.d" / "etcd-proxy");
  EXPECT_EQ(FirstMissingFile(tmp.path(), "exec.d/etcd-proxy"), "exec.d/etcd-proxy");
}

TEST(RemoveLayerTest, RemovesTomlDirectoryAndSboms) {
  ScopedTempDir tmp = testing::MakeTempDir();
  for (const char* f :
       {"etcd.toml", "etcd/bin/etcd", "etcd.sbom.cdx.json", "etcd.sbom.spdx.json", "helper.toml"}) {
    testing::WriteFile(tmp.path() / f, "x");
  }
  ASSERT_TRUE(RemoveLayer(tmp.path(), "etcd").ok());
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(tmp.path()))
    left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"helper.toml"});
}

}  // namespace
}  // namespace bp
