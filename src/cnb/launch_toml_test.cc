#include "cnb/launch_toml.h"

#include <gtest/gtest.h>

#include "base/toml_fields.h"

namespace bp {
namespace {

TEST(LaunchTomlTest, OneNonDefaultEtcdProxyProcessWithArrayCommand) {
  Result<toml::table> launch = ParseToml(LaunchToml({EtcdProxyProcess()}), "launch.toml");
  ASSERT_TRUE(launch.ok());
  const toml::array* processes = launch.value()["processes"].as_array();
  ASSERT_NE(processes, nullptr);
  ASSERT_EQ(processes->size(), 1u);
  const TomlView p(processes->get(0));
  EXPECT_EQ(p["type"].value<std::string>(), "etcd-proxy");
  ASSERT_TRUE(p["command"].is_array());
  EXPECT_EQ(p["command"][0].value<std::string>(), "etcd-proxy");
  EXPECT_EQ(p["command"].as_array()->size(), 1u);
  ASSERT_TRUE(p["args"].is_array());
  EXPECT_TRUE(p["args"].as_array()->empty());
  EXPECT_EQ(p["default"].value<bool>(), false);
  EXPECT_FALSE(p["direct"]);
}

}  // namespace
}  // namespace bp
