#include "base/env.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

TEST(EnvTest, FromEnvironSkipsMalformedEntries) {
  char a[] = "A=1";
  char b[] = "B==2=";
  char c[] = "NOEQUALS";
  char d[] = "=empty";
  char* environ[] = {a, b, c, d, nullptr};
  const Env env = Env::FromEnviron(environ);
  EXPECT_EQ(env.Get("A"), "1");
  EXPECT_EQ(env.Get("B"), "=2=");
  EXPECT_EQ(env.vars().size(), 2u);
}

TEST(EnvTest, GetSettingTrimsAndTreatsBlankAsUnset) {
  Env env;
  env.Set("X", "  v  ");
  env.Set("BLANK", "   ");
  EXPECT_EQ(env.GetSetting("X"), "v");
  EXPECT_EQ(env.GetSetting("BLANK"), std::nullopt);
  EXPECT_EQ(env.Get("BLANK"), "   ");
  EXPECT_EQ(env.GetOr("MISSING", "d"), "d");
}

TEST(EnvTest, PlatformEnvFilesOverrideAndDropOneTrailingNewline) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "env/BP_ETCD_VERSION", "3.5.*\n");
  testing::WriteFile(tmp.path() / "env/MULTI", "a\nb\n\n");
  testing::WriteFile(tmp.path() / "env/CRLF", "x\r\n");
  fs::create_directories(tmp.path() / "env/a-directory");
  Env env;
  env.Set("BP_ETCD_VERSION", "3.6.*");
  env.Set("KEEP", "k");
  const Env merged = OverlayPlatformEnv(env, tmp.path()).value();
  EXPECT_EQ(merged.Get("BP_ETCD_VERSION"), "3.5.*");
  EXPECT_EQ(merged.Get("MULTI"), "a\nb\n");
  EXPECT_EQ(merged.Get("CRLF"), "x");
  EXPECT_EQ(merged.Get("KEEP"), "k");
  EXPECT_FALSE(merged.Get("a-directory").has_value());
  EXPECT_TRUE(OverlayPlatformEnv(env, tmp.path() / "missing").ok());
}

}  // namespace
}  // namespace bp
