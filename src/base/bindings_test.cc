#include "base/bindings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::Not;

using ::testing::HasSubstr;

using testing::WriteFile;

TEST(BindingsTest, ReadsKubernetesProjectedBindings) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path b = tmp.path() / "my-etcd";
  WriteFile(b / "..2024_01_01/type", "Etcd\n");
  WriteFile(b / "..2024_01_01/endpoints", " https://a:2379,https://b:2379 \n");
  WriteFile(b / "..2024_01_01/ca.crt", "PEM");
  fs::create_directory_symlink("..2024_01_01", b / "..data");
  for (const char* entry : {"type", "endpoints", "ca.crt"}) {
    fs::create_symlink(std::string("..data/") + entry, b / entry);
  }
  WriteFile(b / ".hidden", "secret");
  const std::vector<Binding> bindings = ReadBindings(tmp.path()).value();
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].name, "my-etcd");
  EXPECT_EQ(bindings[0].type, "etcd");
  EXPECT_EQ(bindings[0].entries.size(), 1u);  // ca.crt is a path for the proxy, never read here
  EXPECT_EQ(bindings[0].Entry({"missing", "endpoints"}), "https://a:2379,https://b:2379");
  EXPECT_EQ(bindings[0].EntryPath({"ca.crt"}), b / "ca.crt");
  EXPECT_FALSE(bindings[0].Entry({"hidden"}).has_value());
}

TEST(BindingsTest, IgnoresWhatIsNotABindingAndSortsByName) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "zeta/type", "dependency-mapping");
  WriteFile(tmp.path() / "alpha/type", "etcd");
  WriteFile(tmp.path() / "alpha/provider", "bitnami");
  WriteFile(tmp.path() / "legacy/metadata/kind", "etcd");  // the deprecated CNB layout
  WriteFile(tmp.path() / "a-file", "x");
  const std::vector<Binding> bindings = ReadBindings(tmp.path()).value();
  ASSERT_EQ(bindings.size(), 2u);
  EXPECT_EQ(bindings[0].name, "alpha");
  EXPECT_EQ(bindings[0].provider, "bitnami");
  EXPECT_EQ(bindings[1].name, "zeta");
  EXPECT_TRUE(ReadBindings(tmp.path() / "none").value().empty());
}

TEST(BindingsTest, BuildBindingsPreferServiceBindingRoot) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "platform/bindings/p/type", "x");
  WriteFile(tmp.path() / "root/r/type", "y");
  Env env;
  EXPECT_EQ(ReadBuildBindings(env, tmp.path() / "platform").value()[0].name, "p");
  env.Set("SERVICE_BINDING_ROOT", (tmp.path() / "root").string());
  EXPECT_EQ(ReadBuildBindings(env, tmp.path() / "platform").value()[0].name, "r");
}

TEST(BindingsTest, OversizedEntryIsAnError) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "big/type", "etcd");
  WriteFile(tmp.path() / "big/endpoints", std::string(kMaxSettingBytes + 1, 'x'));
  Result<std::vector<Binding>> bindings = ReadBindings(tmp.path());
  ASSERT_FALSE(bindings.ok());
  EXPECT_THAT(bindings.error().message, HasSubstr("binding 'big'"));
  EXPECT_THAT(bindings.error().message, Not(HasSubstr("xxxx")));
}

TEST(BindingsTest, OtherBindingsAndUnneededEntriesAreNeverRead) {
  ScopedTempDir tmp = testing::MakeTempDir();
  WriteFile(tmp.path() / "certs/type", "ca-certificates");
  WriteFile(tmp.path() / "certs/bundle.pem", std::string(2 * kMaxSettingBytes, 'x'));
  WriteFile(tmp.path() / "db/type", "postgresql");
  WriteFile(tmp.path() / "db/password", "secret");
  fs::permissions(tmp.path() / "db/password", fs::perms::none);
  WriteFile(tmp.path() / "etcd/type", "etcd");
  WriteFile(tmp.path() / "etcd/endpoints", "e:2379");
  WriteFile(tmp.path() / "etcd/ca.crt", std::string(2 * kMaxSettingBytes, 'x'));
  const std::vector<Binding> bindings = ReadBindings(tmp.path()).value();
  ASSERT_EQ(bindings.size(), 3u);
  EXPECT_TRUE(bindings[0].entries.empty());
  EXPECT_TRUE(bindings[1].entries.empty());
  EXPECT_EQ(bindings[2].Entry({"endpoints"}), "e:2379");
  EXPECT_EQ(bindings[2].EntryPath({"ca.crt"}), tmp.path() / "etcd" / "ca.crt");
  EXPECT_FALSE(bindings[2].Entry({"ca.crt"}).has_value());
}

TEST(BindingsTest, IsEtcdBindingByTypeTagOrLabel) {
  const auto binding = [](const std::string& type, std::map<std::string, std::string> entries) {
    Binding b;
    b.name = "b";
    b.type = type;
    b.entries = std::move(entries);
    return IsEtcdBinding(b);
  };
  EXPECT_TRUE(binding("etcd", {}));
  // Cloud Foundry's file-based bindings: type is the offering's label or "user-provided".
  EXPECT_TRUE(binding("user-provided", {{"tags", R"(["database", "ETCD"])"}}));
  EXPECT_TRUE(binding("user-provided", {{"tags", "[]"}, {"label", "my-etcd-offering"}}));
  EXPECT_TRUE(binding("a9s-etcd", {{"label", "a9s-etcd"}}));
  EXPECT_FALSE(binding("user-provided", {{"tags", R"(["etcd-backup"])"}}));
  EXPECT_FALSE(binding("user-provided", {{"tags", "etcd"}}));  // not a JSON array
  EXPECT_FALSE(binding("user-provided", {{"tags", R"([1, "etcd"])"}}));
  EXPECT_FALSE(binding("postgresql", {{"label", "postgres"}, {"tags", R"(["sql"])"}}));
}

TEST(BindingsTest, JsonStringArray) {
  EXPECT_EQ(JsonStringArray(R"(["a", "b"])"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(JsonStringArray("[]"), std::vector<std::string>{});
  EXPECT_FALSE(JsonStringArray("[\"a\"").has_value());
  EXPECT_FALSE(JsonStringArray(R"({"a": 1})").has_value());
  EXPECT_FALSE(JsonStringArray("a,b").has_value());
}

}  // namespace
}  // namespace bp
