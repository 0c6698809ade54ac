#include "cnb/config_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConfigurationTableTest, ShowsCurrentBuildValuesAndLaunchDefaultsWithoutCredentials) {
  const std::vector<Configuration> configs = {
      {"BP_ETCD_VERSION", "3.6.*", "the etcd version", true, false},
      {"BP_DEPENDENCY_MIRROR", "", "a mirror", true, false},
      {"BPL_ETCD_PROXY_ENDPOINTS", "", "endpoints", false, true},
  };
  Env env;
  env.Set("BP_ETCD_VERSION", "~3.5");
  env.Set("BP_DEPENDENCY_MIRROR", "https://user:pw@mirror.example/{originalHost}");
  env.Set("BPL_ETCD_PROXY_ENDPOINTS", "https://secret-host:2379");
  const std::string table = ConfigurationTable(configs, env);
  EXPECT_THAT(table, HasSubstr("Build Configuration:\n"));
  EXPECT_THAT(table, HasSubstr("Launch Configuration:\n"));
  EXPECT_THAT(table, HasSubstr("  $BP_ETCD_VERSION       ~3.5  "));
  EXPECT_THAT(table, HasSubstr("https://***@mirror.example/{originalHost}"));
  EXPECT_THAT(table, Not(HasSubstr("pw@")));
  EXPECT_THAT(table, Not(HasSubstr("secret-host")));
  EXPECT_NE(table.back(), '\n');
}

}  // namespace
}  // namespace bp
