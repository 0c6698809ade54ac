#include "dependency/target_filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/files.h"
#include "dependency/buildpack_toml.h"
#include "testing/source_dir.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kTwoTargets[] = R"(api = "0.10"
[buildpack]
  id = "x/y"
  version = "1.0.0"

[[targets]]
  os = "linux"
  arch = "amd64"

[[ targets ]]  # the second
  os = "linux"
  arch = "arm64"

# For platforms that still require stacks.
[[stacks]]
  id = "*"
)";

TEST(KeepOnlyTargetTest, DropsTheOtherTargetsAndKeepsEverythingElse) {
  Result<std::string> amd64 = KeepOnlyTarget(kTwoTargets, {"linux", "amd64"});
  ASSERT_TRUE(amd64.ok()) << amd64.error().message;
  std::string expected = kTwoTargets;
  const std::string arm64_block =
      "[[ targets ]]  # the second\n  os = \"linux\"\n  arch = \"arm64\"\n\n";
  expected.erase(expected.find(arm64_block), arm64_block.size());
  EXPECT_EQ(amd64.value(), expected);

  Result<std::string> arm64 = KeepOnlyTarget(kTwoTargets, {"linux", "arm64"});
  ASSERT_TRUE(arm64.ok()) << arm64.error().message;
  EXPECT_THAT(arm64.value(), Not(HasSubstr("amd64"))) << arm64.value();
  EXPECT_THAT(arm64.value(),
              HasSubstr("[[ targets ]]  # the second\n  os = \"linux\"\n  arch = \"arm64\"\n"));
}

TEST(KeepOnlyTargetTest, TheShippedDescriptorNarrowsToEachOfItsTargets) {
  const std::string text = ReadSmallFile(testing::SourceDir() / "buildpack.toml", 1 << 20).value();
  for (const char* arch : {"amd64", "arm64"}) {
    Result<std::string> narrowed = KeepOnlyTarget(text, {"linux", arch});
    ASSERT_TRUE(narrowed.ok()) << narrowed.error().message;
    Result<BuildpackDescriptor> parsed = ParseBuildpackToml(narrowed.value(), arch);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ASSERT_EQ(parsed.value().targets.size(), 1u);
    EXPECT_EQ(parsed.value().targets[0].ToString(), std::string("linux/") + arch);
    EXPECT_EQ(parsed.value().dependencies.size(),
              ParseBuildpackToml(text, "full").value().dependencies.size());
    EXPECT_THAT(narrowed.value(), HasSubstr("[[stacks]]\n  id = \"*\"\n"));
  }
}

TEST(KeepOnlyTargetTest, AnUndeclaredTargetOrBrokenTomlIsAnError) {
  for (const auto& [text, arch] : std::vector<std::pair<std::string, std::string>>{
           {kTwoTargets, "s390x"},
           {"api = \"0.10\"\n", "amd64"},
           {"[[targets]]\nos = \n", "amd64"},
           {"[[targets]]\nos = \"linux\"\narch = \"amd64\"\n[broken\n", "amd64"}}) {
    Result<std::string> result = KeepOnlyTarget(text, {"linux", arch});
    EXPECT_FALSE(result.ok()) << text;
    if (!result.ok()) EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput) << text;
  }
}

}  // namespace
}  // namespace bp
