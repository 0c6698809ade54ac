#include "proxy_config/vcap_services.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::optional<ProxySettings> Parse(const std::string& json,
                                   const std::optional<std::string>& selector = std::nullopt) {
  Result<std::optional<ProxySettings>> r = SettingsFromVcapServices(json, selector);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::nullopt;
}

Error ParseError(const std::string& json,
                 const std::optional<std::string>& selector = std::nullopt) {
  Result<std::optional<ProxySettings>> r = SettingsFromVcapServices(json, selector);
  EXPECT_FALSE(r.ok()) << json;
  return r.ok() ? Error{} : r.error();
}

constexpr char kUserProvided[] =
    R"({"user-provided":[{"label":"user-provided","name":"my-etcd","instance_name":"my-etcd",
 "binding_name":null,"tags":["etcd"],"credentials":{"endpoints":["https://a:2379","https://b:2379"],
 "ca":"-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n","cert":"C","key":"K","namespace":"/app1/"}}],
 "p-mysql":[{"label":"p-mysql","name":"db","tags":["mysql"],"credentials":{"uri":"mysql://x"}}]})";

TEST(VcapServicesTest, ReadsTheTaggedServiceCredentials) {
  const auto s = Parse(kUserProvided);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->endpoints, (std::vector<std::string>{"https://a:2379", "https://b:2379"}));
  EXPECT_EQ(s->endpoints_origin, "VCAP_SERVICES service 'my-etcd'");
  EXPECT_EQ(s->cacert->pem, "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
  EXPECT_EQ(s->cacert->origin, "VCAP_SERVICES service 'my-etcd' credentials.ca");
  EXPECT_EQ(s->cert->pem, "C");
  EXPECT_EQ(s->key->pem, "K");
  EXPECT_EQ(s->key_prefix, "/app1/");
}

TEST(VcapServicesTest, AlternativeKeysAndShapes) {
  const auto s = Parse(R"({"etcd-broker":[{"label":"etcd-broker","name":"e","credentials":
    {"uris":["https://a:2379,https://b:2379","https://c:2379"],"ca_cert":"-----BEGIN CERTIFICATE-----\\nX\\n-----END CERTIFICATE-----",
     "client_cert":"C","client_key":"K"}}]})");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->endpoints->size(), 3u);
  EXPECT_EQ(
      s->cacert->pem,
      "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----");  // double-escaped newlines
  EXPECT_EQ(s->cert->origin, "VCAP_SERVICES service 'e' credentials.client_cert");
  const auto comma = Parse(
      R"({"x":[{"name":"e","tags":["ETCD"],"credentials":{"endpoints":" a:2379 , b:2379 "}}]})");
  EXPECT_EQ(*comma->endpoints, (std::vector<std::string>{"a:2379", "b:2379"}));
  const auto uri =
      Parse(R"({"x":[{"name":"e","tags":["etcd"],"credentials":{"uri":"https://h:2379"}}]})");
  EXPECT_EQ(*uri->endpoints, std::vector<std::string>{"https://h:2379"});
}

TEST(VcapServicesTest, TagsWinOverLabels) {
  const auto s = Parse(
      R"({"etcd-label":[{"label":"etcd-label","name":"by-label","credentials":{"endpoints":"l:1"}}],
                          "other":[{"label":"other","name":"by-tag","tags":["etcd"],"credentials":{"endpoints":"t:1"}}]})");
  EXPECT_EQ(*s->endpoints, std::vector<std::string>{"t:1"});
}

TEST(VcapServicesTest, NoEtcdServiceIsNoSettings) {
  EXPECT_FALSE(Parse(R"({"p-mysql":[{"name":"db","credentials":{}}]})").has_value());
  EXPECT_FALSE(Parse("{}").has_value());
}

TEST(VcapServicesTest, SeveralEtcdServicesNeedASelector) {
  const std::string two =
      R"({"a":[{"name":"one","instance_name":"inst-one","tags":["etcd"],"credentials":{"endpoints":"1:1"}},
                                   {"name":"two","binding_name":"bind-two","tags":["etcd"],"credentials":{"endpoints":"2:2"}}]})";
  const Error error = ParseError(two);
  EXPECT_THAT(error.message, HasSubstr("VCAP_SERVICES has 2 etcd services ('one', 'two')"));
  EXPECT_THAT(error.hint, HasSubstr("BPL_ETCD_PROXY_BINDING"));
  EXPECT_EQ(*Parse(two, "two")->endpoints, std::vector<std::string>{"2:2"});
  EXPECT_EQ(*Parse(two, "inst-one")->endpoints, std::vector<std::string>{"1:1"});
  EXPECT_EQ(*Parse(two, "bind-two")->endpoints, std::vector<std::string>{"2:2"});
  EXPECT_FALSE(Parse(two, "nope").has_value());
}

TEST(VcapServicesTest, MalformedInputIsAnErrorWithoutEchoingSecrets) {
  for (const std::string bad :
       {"not json", "[1,2]", "{\"a\":5}", "{\"a\":[5]}", "{\"a\":[{\"tags\":[\"etcd\"]}]}",
        R"({"a":[{"name":"e","tags":["etcd"],"credentials":{"endpoints":5}}]})",
        R"({"a":[{"name":"e","tags":["etcd"],"credentials":{"endpoints":[1]}}]})",
        R"({"a":[{"name":"e","tags":["etcd"],"credentials":{"key":{"secret-key-material":1}}}]})",
        "{\"a\":[{\"name\":\"e\",\"credentials\":{\"password\":\"hunter2\"", ""}) {
    const Error error = ParseError(bad);
    EXPECT_EQ(error.kind, ErrorKind::kInvalidInput) << bad;
    EXPECT_THAT(error.message, Not(HasSubstr("hunter2")));
    EXPECT_THAT(error.message, Not(HasSubstr("secret-key-material")));
  }
}

TEST(VcapServicesTest, JsonThatIsNotAnObjectIsCalledSo) {
  EXPECT_EQ(ParseError("[]").message, "VCAP_SERVICES is not a JSON object");
  EXPECT_EQ(ParseError("{").message, "VCAP_SERVICES is not valid JSON");
}

TEST(VcapServicesTest, ServiceNamesAreEscaped) {
  const Error error =
      ParseError(R"({"a":[{"name":"x\u001b[2Jy","tags":["etcd"]},{"name":"z","tags":["etcd"]}]})");
  EXPECT_THAT(error.message, HasSubstr("'x\\x1b[2Jy'")) << error.message;
}

TEST(VcapServicesTest, ReadsTheVariableElseTheFile) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "vcap.json", "{\"from\":\"file\"}");
  Env env;
  EXPECT_FALSE(ReadVcapServices(env).value().has_value());
  env.Set("VCAP_SERVICES_FILE_PATH", (tmp.path() / "vcap.json").string());
  const VcapServicesText from_file = *ReadVcapServices(env).value();
  EXPECT_EQ(from_file.text, "{\"from\":\"file\"}");
  EXPECT_EQ(from_file.file, (tmp.path() / "vcap.json").string());
  env.Set("VCAP_SERVICES", "{}");
  const VcapServicesText from_variable = *ReadVcapServices(env).value();
  EXPECT_EQ(from_variable.text, "{}");
  EXPECT_EQ(from_variable.file, std::nullopt) << "the variable wins over the file";
  env.Unset("VCAP_SERVICES");
  env.Set("VCAP_SERVICES_FILE_PATH", (tmp.path() / "missing.json").string());
  EXPECT_FALSE(ReadVcapServices(env).ok());
}

TEST(VcapServicesTest, TagsMatchWholeNotBySubstring) {
  const std::string json =
      R"({"aws-s3":[{"label":"aws-s3","name":"backups","tags":["s3","etcd-backups"],"credentials":{"uri":"s3:1"}}],
                               "user-provided":[{"label":"user-provided","name":"kv","tags":[" ETCD "],"credentials":{"endpoints":"k:1"}}]})";
  EXPECT_EQ(*Parse(json)->endpoints, std::vector<std::string>{"k:1"});
  EXPECT_FALSE(
      Parse(
          R"({"s3":[{"name":"b","tags":["etcd-backups","not-etcd"],"credentials":{"uri":"s3:1"}}]})")
          .has_value());
}

TEST(VcapServicesTest, FromAFileServicesAndKeysGoByPosition) {
  const std::string json =
      R"({"secret-provider-key":[{"name":"secret-name","tags":["etcd"],"credentials":{"endpoints":5}}]})";
  Result<std::optional<ProxySettings>> from_file =
      SettingsFromVcapServices(json, std::nullopt, /*from_file=*/true);
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error().message,
            "VCAP_SERVICES: service 1 credentials.endpoints must be a list or string");
  EXPECT_THAT(ParseError(json).message, HasSubstr("service 'secret-name'"))
      << "the variable's names are shown";
  Result<std::optional<ProxySettings>> list =
      SettingsFromVcapServices(R"({"a":[],"secret-provider-key":5})", std::nullopt, true);
  EXPECT_EQ(list.error().message, "VCAP_SERVICES: service list 2 is not a list of services");
  const std::string two =
      R"({"p":[{"name":"secret-one","tags":["etcd"]},{"name":"secret-two","tags":["etcd"]}]})";
  Result<std::optional<ProxySettings>> ambiguous =
      SettingsFromVcapServices(two, std::nullopt, true);
  EXPECT_THAT(ambiguous.error().message, HasSubstr("2 etcd services (service 1, service 2)"));
  Result<std::optional<ProxySettings>> chosen = SettingsFromVcapServices(
      R"({"p":[{"name":"secret-name","tags":["etcd"],"credentials":{"endpoints":"e:1"}}]})",
      std::nullopt, true);
  EXPECT_EQ(chosen.value()->endpoints_origin, "VCAP_SERVICES service 1");
}

}  // namespace
}  // namespace bp
