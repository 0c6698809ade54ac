#include "base/etcd_program.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

TEST(EtcdEnvironmentTest, SetsUnsupportedArchOnArm64) {
  EXPECT_EQ(EtcdEnvironment(Env(), "arm64").Get("ETCD_UNSUPPORTED_ARCH"), "arm64");
}

TEST(EtcdEnvironmentTest, LeavesOtherArchitecturesAlone) {
  EXPECT_FALSE(EtcdEnvironment(Env(), "amd64").Get("ETCD_UNSUPPORTED_ARCH").has_value());
}

TEST(EtcdEnvironmentTest, KeepsTheUsersOwnValue) {
  Env env;
  env.Set("ETCD_UNSUPPORTED_ARCH", "custom");
  EXPECT_EQ(EtcdEnvironment(env, "arm64").Get("ETCD_UNSUPPORTED_ARCH"), "custom");
}

TEST(EtcdBinaryVersionTest, ReadsTheVersionLine) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "etcd",
                     "#!/bin/sh\necho 'etcd Version: 3.6.14'\necho 'Go Version: go1'\n",
                     fs::perms(0755));
  Result<std::string> version = EtcdBinaryVersion(tmp.path() / "etcd");
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(version.value(), "3.6.14");
}

TEST(EtcdBinaryVersionTest, AProgramWithoutTheVersionLineIsAnError) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "etcd", "#!/bin/sh\necho hello\n", fs::perms(0755));
  Result<std::string> version = EtcdBinaryVersion(tmp.path() / "etcd");
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.error().message, HasSubstr("printed no \"etcd Version:\" line"));
}

}  // namespace
}  // namespace bp
