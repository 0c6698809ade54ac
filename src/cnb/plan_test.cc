#include "cnb/plan.h"

#include <gtest/gtest.h>

#include "base/toml_fields.h"
#include "testing/test_util.h"

namespace bp {
namespace {

TEST(DetectPlanTest, ProvidesAndRequiresEtcdWithMetadataVersion) {
  Result<toml::table> plan =
      ParseToml(DetectPlanToml({"3.6.*", VersionOrigin::kSetting, "BP_ETCD_VERSION"}), "plan");
  ASSERT_TRUE(plan.ok());
  const TomlView root(plan.value());
  EXPECT_EQ(root["provides"][0]["name"].value<std::string>(), "etcd");
  EXPECT_EQ(root["requires"][0]["name"].value<std::string>(), "etcd");
  EXPECT_EQ(root["requires"][0]["metadata"]["version"].value<std::string>(), "3.6.*");
  EXPECT_EQ(root["requires"][0]["metadata"]["version-source"].value<std::string>(),
            "BP_ETCD_VERSION");
  EXPECT_EQ(root["requires"][0]["metadata"]["launch"].value<bool>(), true);
  EXPECT_FALSE(root["requires"][0]["version"]);  // a top-level version is an error since API 0.11
}

TEST(DetectPlanTest, ADefaultIsRecordedAsTheDefault) {
  Result<toml::table> plan = ParseToml(
      DetectPlanToml({"3.6.*", VersionOrigin::kDefaultVersions, "buildpack.toml default-versions"}),
      "plan");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(
      TomlView(plan.value())["requires"][0]["metadata"]["version-source"].value<std::string>(),
      kDefaultVersionSource);
}

TEST(ReadPlanVersionRequestTest, TakesTheFirstNonDefaultEtcdRequest) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path plan = tmp.path() / "plan.toml";
  testing::WriteFile(plan, R"(
[[entries]]
name = "etcd"
[entries.metadata]
version = "3.6.*"
version-source = "default-versions"
[[entries]]
name = "other"
[[entries]]
name = "etcd"
[entries.metadata]
version = "~3.5"
version-source = "go.mod"
)");
  const auto request = ReadPlanVersionRequest(plan).value();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->constraint, "~3.5");
  EXPECT_EQ(request->origin, VersionOrigin::kBuildPlan);
  EXPECT_EQ(request->label, "go.mod (build plan)");
}

TEST(ReadPlanVersionRequestTest, NoFileOrOnlyDefaultsMeansNoRequest) {
  ScopedTempDir tmp = testing::MakeTempDir();
  EXPECT_FALSE(ReadPlanVersionRequest(tmp.path() / "none.toml").value().has_value());
  testing::WriteFile(tmp.path() / "p.toml", "[[entries]]\nname = \"etcd\"\n");
  EXPECT_FALSE(ReadPlanVersionRequest(tmp.path() / "p.toml").value().has_value());
}

TEST(ReadPlanVersionRequestTest, MalformedPlanIsAnError) {
  ScopedTempDir tmp = testing::MakeTempDir();
  for (const char* text : {"[[entries]\n", "[[entries]]\nname = 5\n",
                           "[[entries]]\nname = \"etcd\"\n[entries.metadata]\nversion = 3\n"}) {
    testing::WriteFile(tmp.path() / "p.toml", text);
    EXPECT_FALSE(ReadPlanVersionRequest(tmp.path() / "p.toml").ok()) << text;
  }
}

}  // namespace
}  // namespace bp
