#include "base/strings.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

TEST(StringsTest, TrimSplitJoin) {
  EXPECT_EQ(Trim("  a b \n"), "a b");
  EXPECT_EQ(Trim(" \t\n"), "");
  EXPECT_EQ(SplitList(" a, b ,,c ,", ','), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitList("", ',').empty());
  EXPECT_EQ(Join({"a", "b"}, ", "), "a, b");
}

TEST(StringsTest, ParseBoolAndCount) {
  EXPECT_EQ(ParseBool(" TRUE "), true);
  EXPECT_EQ(ParseBool("false"), false);
  EXPECT_EQ(ParseBool("yes"), std::nullopt);
  EXPECT_EQ(ParseBool(""), std::nullopt);
  EXPECT_EQ(ParseCount("42", 100), 42);
  EXPECT_EQ(ParseCount("101", 100), std::nullopt);
  EXPECT_EQ(ParseCount("-1", 100), std::nullopt);
  EXPECT_EQ(ParseCount("99999999999999999999", 100), std::nullopt);
}

TEST(StringsTest, QuoteEscapesAndCuts) {
  EXPECT_EQ(Quote("plain"), "\"plain\"");
  EXPECT_EQ(Quote("a\nb\x1b[2J\x7f\xc2\x9b"), "\"a\\x0ab\\x1b[2J\\x7f\\xc2\\x9b\"");
  EXPECT_EQ(Quote(std::string(100, 'x'), 8), "\"xxxxxxxx...\"");
}

TEST(StringsTest, IsSha256Hex) {
  EXPECT_TRUE(IsSha256Hex(std::string(64, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a')));
}

}  // namespace
}  // namespace bp
