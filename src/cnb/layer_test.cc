#include "cnb/layer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cnb/layer_metadata.h"
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

// A layer's typed metadata, as cnb/layer_metadata.h expects one.
struct TestMetadata {
  std::string version;
  std::string arch;
  std::string sha256;

  template <typename Self, typename Visit>
  static void ForEachField(Self& self, Visit&& visit) {
    visit("version", self.version);
    visit("arch", self.arch);
    visit("sha256", self.sha256);
  }
};

const TestMetadata kTyped{"3.6.14", "amd64", "abc"};
const LayerMetadata kTypedFields = {{"version", "3.6.14"}, {"arch", "amd64"}, {"sha256", "abc"}};

RestoredLayer Restored(const LayerMetadata& metadata, const std::string& missing_file = "") {
  RestoredLayer restored;
  restored.metadata = metadata;
  restored.missing_file = missing_file;
  return restored;
}

TEST(LayerMetadataTest, AStructIsWrittenAsItsKeysAndReadBackEqual) {
  EXPECT_EQ(ToLayerMetadata(kTyped), kTypedFields);
  std::string why;
  const std::optional<TestMetadata> read = FromLayerMetadata<TestMetadata>(kTypedFields, &why);
  ASSERT_TRUE(read.has_value()) << why;
  EXPECT_TRUE(SameLayerMetadata(*read, kTyped));
}

TEST(LayerMetadataTest, AMissingOrExtraKeyReadsAsNothingWithTheReason) {
  LayerMetadata missing = kTypedFields;
  missing.erase("arch");
  std::string why;
  EXPECT_FALSE(FromLayerMetadata<TestMetadata>(missing, &why).has_value());
  EXPECT_EQ(why, "arch was not recorded");
  LayerMetadata extra = kTypedFields;
  extra["arhc"] = "amd64";
  EXPECT_FALSE(FromLayerMetadata<TestMetadata>(extra, &why).has_value());
  EXPECT_EQ(why, "its metadata has extra keys");
}

TEST(LayerMetadataTest, EqualityIsOverEveryField) {
  for (size_t changed = 0; changed < 3; ++changed) {
    TestMetadata other = kTyped;
    size_t field = 0;
    TestMetadata::ForEachField(other, [&](const char*, std::string& value) {
      if (field++ == changed) value += "x";
    });
    EXPECT_FALSE(SameLayerMetadata(other, kTyped)) << "field " << changed;
  }
}

TEST(DecideReuseTest, KeepsOnlyAnIdenticalLayerWithItsFiles) {
  EXPECT_EQ(DecideReuse(Restored(kTypedFields), kTyped).action, Reuse::kKeep);
  EXPECT_EQ(DecideReuse(Restored(kTypedFields, "bin/etcdctl"), kTyped).action, Reuse::kReplace);
  RestoredLayer none;
  none.unusable_reason = "no cached layer";
  EXPECT_EQ(DecideReuse(none, kTyped).reason, "no cached layer");
  LayerMetadata older = kTypedFields;
  older["version"] = "3.5.33";
  EXPECT_EQ(DecideReuse(Restored(older), kTyped).reason, "version 3.5.33 → 3.6.14");
  LayerMetadata other_arch = kTypedFields;
  other_arch["arch"] = "arm64";
  EXPECT_EQ(DecideReuse(Restored(other_arch), kTyped).reason, "arch arm64 → amd64");
  LayerMetadata changed_sha = kTypedFields;
  changed_sha["sha256"] = "def";
  EXPECT_EQ(DecideReuse(Restored(changed_sha), kTyped).reason, "the archive checksum changed");
  LayerMetadata extra = kTypedFields;
  extra["unexpected"] = "x";
  EXPECT_EQ(DecideReuse(Restored(extra), kTyped).reason, "its metadata has extra keys");
  LayerMetadata missing = kTypedFields;
  missing.erase("sha256");
  EXPECT_EQ(DecideReuse(Restored(missing), kTyped).reason, "sha256 was not recorded");
}

TEST(ReadRestoredLayerTest, SetsTheFileListApartAndNamesAFileThatDidNotComeBack) {
  ScopedTempDir tmp = testing::MakeTempDir();
  LayerMetadata recorded = kTypedFields;
  recorded[kLayerFilesKey] = "bin/etcd,bin/etcdctl";
  ASSERT_TRUE(WriteLayerToml(tmp.path(), "etcd", LaunchAndCacheLayer(), recorded).ok());
  testing::WriteFile(tmp.path() / "etcd/bin/etcd", "x");
  RestoredLayer restored = ReadRestoredLayer(tmp.path(), "etcd");
  EXPECT_EQ(restored.metadata, std::optional<LayerMetadata>(kTypedFields));
  EXPECT_EQ(restored.inventory, "bin/etcd,bin/etcdctl");
  EXPECT_EQ(restored.missing_file, "bin/etcdctl");
  EXPECT_EQ(DecideReuse(restored, kTyped).reason,
            "the cached layer's bin/etcdctl was not restored");
  testing::WriteFile(tmp.path() / "etcd/bin/etcdctl", "x");
  EXPECT_EQ(DecideReuse(ReadRestoredLayer(tmp.path(), "etcd"), kTyped).action, Reuse::kKeep);
}

TEST(ReadRestoredLayerTest, NoMetadataSaysWhy) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const RestoredLayer restored = ReadRestoredLayer(tmp.path(), "etcd");
  EXPECT_FALSE(restored.metadata.has_value());
  EXPECT_EQ(restored.unusable_reason, "no cached layer");
  EXPECT_EQ(DecideReuse(restored, kTyped).reason, "no cached layer");
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

// Returns the file ReadRestoredLayer names missing from an etcd layer that recorded `inventory`.
std::string MissingFrom(const fs::path& layers, const std::string& inventory) {
  LayerMetadata recorded = kWanted;
  recorded[kLayerFilesKey] = inventory;
  EXPECT_TRUE(WriteLayerToml(layers, "etcd", LaunchAndCacheLayer(), recorded).ok());
  return ReadRestoredLayer(layers, "etcd").missing_file;
}

TEST(ReadRestoredLayerTest, NamesTheFirstFileThatDidNotComeBack) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "etcd/bin/etcd", "x");
  EXPECT_EQ(MissingFrom(tmp.path(), "bin/etcd"), "");
  EXPECT_EQ(MissingFrom(tmp.path(), "bin/etcd,bin/etcdctl"), "bin/etcdctl");
}

TEST(ReadRestoredLayerTest, AnEmptyInventoryIsItselfMissing) {
  ScopedTempDir tmp = testing::MakeTempDir();
  EXPECT_EQ(MissingFrom(tmp.path(), ""), "file list");
}

TEST(ReadRestoredLayerTest, ADanglingLinkIsMissing) {
  ScopedTempDir tmp = testing::MakeTempDir();
  fs::create_directories(tmp.path() / "etcd/exec.d");
  fs::create_symlink("../bin/etcd-proxy", tmp.path() / "etcd/exec.d/etcd-proxy");
  EXPECT_EQ(MissingFrom(tmp.path(), "exec.d/etcd-proxy"), "exec.d/etcd-proxy");
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
