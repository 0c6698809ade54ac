#include "dependency/dependency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

Dependency Dep(const std::string& version, const std::string& arch,
               const std::string& os = "linux") {
  Dependency dep;
  dep.id = "etcd";
  dep.version = version;
  dep.arch = arch;
  dep.os = os;
  dep.uri = "https://example.com/etcd-v" + version + "-" + arch + ".tar.gz?x=1";
  return dep;
}

const std::vector<Dependency> kDeps = {Dep("3.5.33", "amd64"), Dep("3.6.14", "amd64"),
                                       Dep("3.6.2", "amd64"),  Dep("3.5.33", "arm64"),
                                       Dep("3.6.14", "arm64"), Dep("3.7.0", "ppc64le")};

VersionConstraint Constraint(const char* text) { return VersionConstraint::Parse(text).value(); }

TEST(ResolveDependencyTest, PicksTheHighestMatchForTheTarget) {
  EXPECT_EQ(
      ResolveDependency(kDeps, "etcd", Constraint("3.*"), {"linux", "amd64"}, "BP_ETCD_VERSION")
          .value()
          .version,
      "3.6.14");
  EXPECT_EQ(
      ResolveDependency(kDeps, "etcd", Constraint("~3.5"), {"linux", "arm64"}, "BP_ETCD_VERSION")
          .value()
          .version,
      "3.5.33");
  EXPECT_EQ(
      ResolveDependency(kDeps, "etcd", Constraint("<3.6.14"), {"linux", "amd64"}, "BP_ETCD_VERSION")
          .value()
          .version,
      "3.6.2");
  const Dependency picked =
      ResolveDependency(kDeps, "etcd", Constraint("3.6.*"), {"linux", "arm64"}, "BP_ETCD_VERSION")
          .value();
  EXPECT_EQ(picked.arch, "arm64");
}

TEST(ResolveDependencyTest, NoMatchListsTheVersionsForTheTarget) {
  Result<Dependency> none =
      ResolveDependency(kDeps, "etcd", Constraint("3.7.*"), {"linux", "amd64"}, "BP_ETCD_VERSION");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::kNotFound);
  EXPECT_THAT(none.error().message, HasSubstr("\"3.7.*\""));
  EXPECT_THAT(none.error().message, HasSubstr("available: 3.6.14, 3.6.2, 3.5.33"));
}

TEST(ResolveDependencyTest, UnlistedTargetNamesTheTargets) {
  Result<Dependency> none =
      ResolveDependency(kDeps, "etcd", Constraint("*"), {"linux", "s390x"}, "BP_ETCD_VERSION");
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.error().message, HasSubstr("linux/s390x"));
  EXPECT_THAT(none.error().message, HasSubstr("linux/amd64, linux/arm64"));
}

TEST(ResolveDependencyTest, EmptyOsAndArchMatchAnyTarget) {
  const std::vector<Dependency> any = {Dep("1.0.0", "", "")};
  EXPECT_TRUE(
      ResolveDependency(any, "etcd", Constraint("*"), {"linux", "riscv64"}, "BP_ETCD_VERSION")
          .ok());
  EXPECT_FALSE(
      ResolveDependency(any, "other", Constraint("*"), {"linux", "amd64"}, "BP_ETCD_VERSION").ok());
}

TEST(DependencyTest, FileNameIsTheLastPathSegmentWithoutQuery) {
  EXPECT_EQ(Dep("3.6.14", "amd64").FileName(), "etcd-v3.6.14-amd64.tar.gz");
}

}  // namespace
}  // namespace bp
