#include "base/toml_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ParseTomlTest, MalformedInputIsAnErrorNeverAnAbort) {
  // Inputs that violate toml++ 3.3.0's internal preconditions (found by fuzz/).
  for (const char* text : {"[\n", "[.", "[[[1]]]", "[;buildpack]", "a=1979-05-27T:", "a=[}]",
                           "a = \"\\", "=", "[a]\n[a]"}) {
    Result<toml::table> parsed = ParseToml(text, "t.toml");
    ASSERT_FALSE(parsed.ok()) << "<< " << text;
    EXPECT_EQ(parsed.error().message.rfind("t.toml: line ", 0), 0u) << parsed.error().message;
  }
}

TEST(ParseTomlTest, NonAsciiBytesNeverReachTheParser) {
  // Each of these reached toml++ 3.3.0's __builtin_unreachable (found by fuzz/); now a bare-key
  // character is an ordinary parse error, and text inside strings reads back with '?'.
  for (const char* text :
       {"a\xC3\xA9 = 1", "[t\xC3\xA9st]", "a = \xC3\xA9", "version = 1979-05'2\xC9\xB2'",
        "infa=1[[r[[[[[[\"60-\xEF\xBB\xB7-\x01", "a = 1 '\xC3\xA9'"}) {
    Result<toml::table> parsed = ParseToml(text, "t");
    ASSERT_FALSE(parsed.ok()) << "<< " << text;
    EXPECT_THAT(parsed.error().message, HasSubstr("(non-ASCII characters are read as '?')"));
  }
  Result<toml::table> strings =
      ParseToml("name = \"h\xC3\xA9llo\" # caf\xC3\xA9\nm = \"\"\"\xC3\xA9\"\"\"\n", "t");
  ASSERT_TRUE(strings.ok()) << strings.error().message;
  EXPECT_EQ(strings.value()["name"].value<std::string>(), "h??llo");
  EXPECT_EQ(strings.value()["m"].value<std::string>(), "??");
  EXPECT_THAT(ParseToml("a = [", "t").error().message, Not(HasSubstr("non-ASCII")));
}

TEST(ToTomlTextTest, EveryStringReadsBackUnchanged) {
  for (const std::string& value : std::vector<std::string>{
           "\nleading newline", "has ''' and\nnewlines", "quote \" and \\ backslash", "tab\there",
           std::string("nul\0byte", 8), "caf\xC3\xA9 \xEA\xAA\xAA", "plain"}) {
    const std::string text = ToTomlText(toml::table{{"k", value}});
    Result<toml::table> parsed = ParseToml(text, "t");
    ASSERT_TRUE(parsed.ok()) << text << parsed.error().message;
    EXPECT_EQ(parsed.value()["k"].value<std::string>(), value) << text;
  }
}

TEST(TypedFieldsTest, WrongTypesNameTheField) {
  const toml::table t = ParseToml("s = 1\nb = \"x\"\ni = true\nl = [1]\n", "t").value();
  EXPECT_EQ(StringField(TomlView(t)["s"], "the s").error().message, "the s must be a string");
  EXPECT_EQ(BoolField(TomlView(t)["b"], "the b", false).error().message,
            "the b must be true or false");
  EXPECT_EQ(IntField(TomlView(t)["i"], "the i", 0).error().message, "the i must be an integer");
  EXPECT_FALSE(StringListField(TomlView(t)["l"], "the l").ok());
  EXPECT_EQ(StringField(TomlView(t)["missing"], "x").value(), "");
  EXPECT_EQ(IntField(TomlView(t)["missing"], "x", 7).value(), 7);
}

}  // namespace
}  // namespace bp
