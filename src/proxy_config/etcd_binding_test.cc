#include "proxy_config/etcd_binding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

Binding Etcd(const std::string& name, std::map<std::string, std::string> entries) {
  Binding b;
  b.name = name;
  b.type = "etcd";
  b.directory = "/bindings/" + name;
  b.entries = std::move(entries);
  return b;
}

TEST(EtcdBindingTest, MapsEntriesToSettingsWithFilePaths) {
  const auto s =
      SettingsFromBindings({Etcd("etcd", {{"endpoints", "https://a:2379, https://b:2379"},
                                          {"ca.crt", "x"},
                                          {"tls.crt", "x"},
                                          {"tls.key", "x"},
                                          {"namespace", "/ns/"}})},
                           std::nullopt)
          .value();
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->endpoints, (std::vector<std::string>{"https://a:2379", "https://b:2379"}));
  EXPECT_EQ(s->endpoints_file, "/bindings/etcd/endpoints");
  EXPECT_EQ(s->cacert->path, "/bindings/etcd/ca.crt");
  EXPECT_EQ(s->cacert->origin, "binding 'etcd' entry ca.crt");
  EXPECT_EQ(s->cert->path, "/bindings/etcd/tls.crt");
  EXPECT_EQ(s->key->path, "/bindings/etcd/tls.key");
  EXPECT_TRUE(s->key->pem.empty());
  EXPECT_EQ(s->key_prefix, "/ns/");
}

TEST(EtcdBindingTest, AlternativeEntryNames) {
  const auto s = SettingsFromBindings({Etcd("e", {{"host", "db.internal"},
                                                  {"port", "12379"},
                                                  {"ca", "x"},
                                                  {"cert", "x"},
                                                  {"private-key", "x"}})},
                                      std::nullopt)
                     .value();
  EXPECT_EQ(*s->endpoints, std::vector<std::string>{"db.internal:12379"});
  EXPECT_EQ(s->cacert->path, "/bindings/e/ca");
  EXPECT_EQ(s->key->path, "/bindings/e/private-key");
  EXPECT_EQ(s->endpoints_file, "/bindings/e/host, /bindings/e/port");
  const auto uris =
      SettingsFromBindings({Etcd("e", {{"uris", "u:1"}, {"uri", "v:1"}})}, std::nullopt).value();
  EXPECT_EQ(*uris->endpoints, std::vector<std::string>{"u:1"});
  EXPECT_EQ(uris->endpoints_file, "/bindings/e/uris") << "messages name the entry that was read";
  const auto host_only = SettingsFromBindings({Etcd("e", {{"host", "h"}})}, std::nullopt).value();
  EXPECT_EQ(*host_only->endpoints, std::vector<std::string>{"h:2379"});
  const auto none = SettingsFromBindings({Etcd("e", {})}, std::nullopt).value();
  EXPECT_FALSE(none->endpoints.has_value());
}

TEST(EtcdBindingTest, SelectionAmongSeveral) {
  Binding other = Etcd("mysql", {});
  other.type = "mysql";
  EXPECT_FALSE(SettingsFromBindings({other}, std::nullopt).value().has_value());
  const std::vector<Binding> two = {Etcd("a", {{"endpoints", "a:1"}}),
                                    Etcd("b", {{"endpoints", "b:1"}})};
  Result<std::optional<ProxySettings>> ambiguous = SettingsFromBindings(two, std::nullopt);
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_THAT(ambiguous.error().message,
              HasSubstr("SERVICE_BINDING_ROOT has 2 etcd services ('a', 'b')"));
  EXPECT_EQ(*SettingsFromBindings(two, "b").value()->endpoints, std::vector<std::string>{"b:1"});
  // The directory the selector literally names wins over another binding's `name` entry.
  const std::vector<Binding> aliased = {Etcd("a", {{"endpoints", "a:1"}, {"name", "b"}}),
                                        Etcd("b", {{"endpoints", "b:1"}})};
  EXPECT_EQ(*SettingsFromBindings(aliased, "b").value()->endpoints,
            std::vector<std::string>{"b:1"});
  EXPECT_EQ(*SettingsFromBindings({aliased[0]}, "b").value()->endpoints,
            std::vector<std::string>{"a:1"})
      << "an alias still answers";
}

TEST(EtcdBindingTest, CloudFoundryFileBasedBindingWithVcapCredentialNames) {
  Binding cf;
  cf.name = "my-etcd";
  cf.type = "user-provided";
  cf.directory = "/etc/cf-service-bindings/my-etcd";
  cf.entries = {{"tags", R"(["etcd"])"},   {"label", "user-provided"},
                {"name", "etcd-instance"}, {"endpoints", R"(["https://a:2379", "https://b:2379"])"},
                {"ca_cert", "x"},          {"client_cert", "x"},
                {"client_key", "x"},       {"namespace", "/cf/"}};
  Binding other = Etcd("mysql", {{"tags", R"(["mysql"])"}});
  other.type = "user-provided";
  const auto s = SettingsFromBindings({cf, other}, std::nullopt).value();
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->endpoints, (std::vector<std::string>{"https://a:2379", "https://b:2379"}));
  EXPECT_EQ(s->cacert->path, "/etc/cf-service-bindings/my-etcd/ca_cert");
  EXPECT_EQ(s->cert->path, "/etc/cf-service-bindings/my-etcd/client_cert");
  EXPECT_EQ(s->key->path, "/etc/cf-service-bindings/my-etcd/client_key");
  EXPECT_EQ(s->key_prefix, "/cf/");
  // The instance name selects it too, as in VCAP_SERVICES.
  EXPECT_TRUE(SettingsFromBindings({cf, other}, "etcd-instance").value().has_value());
  cf.entries["endpoints"] = "https://a:2379, https://b:2379";
  EXPECT_EQ(SettingsFromBindings({cf}, std::nullopt).value()->endpoints->size(), 2u);
  cf.entries["endpoints"] = R"(["https://a:2379", 7])";
  Result<std::optional<ProxySettings>> bad = SettingsFromBindings({cf}, std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(
      bad.error().message,
      HasSubstr("binding 'my-etcd': its endpoints entry starts with '[' but is not a JSON array"));
  cf.entries.erase("endpoints");
  cf.entries["uris"] = R"(["https://c:2379"])";
  EXPECT_EQ(*SettingsFromBindings({cf}, std::nullopt).value()->endpoints,
            std::vector<std::string>{"https://c:2379"});
}

}  // namespace
}  // namespace bp
