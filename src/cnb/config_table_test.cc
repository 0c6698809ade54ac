#include "cnb/config_table.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

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
  EXPECT_NE(table.find("Build Configuration:\n"), std::string::npos);
  EXPECT_NE(table.find("Launch Configuration:\n"), std::string::npos);
  EXPECT_NE(table.find("  $BP_ETCD_VERSION       ~3.5  "), std::string::npos) << table;
  EXPECT_NE(table.find("https://***@mirror.example/{originalHost}"), std::string::npos) << table;
  EXPECT_EQ(table.find("pw@"), std::string::npos);
  EXPECT_EQ(table.find("secret-host"), std::string::npos);
  EXPECT_NE(table.back(), '\n');
}

}  // namespace
}  // namespace bp
