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

TEST(StringsTest, RedactUrl) {
  EXPECT_EQ(RedactUrl("https://user:pass@host:1/p@x?q=@"), "https://***@host:1/p@x?***");
  EXPECT_EQ(RedactUrl("https://s3.example/b/etcd.tgz?X-Amz-Signature=abc#f"), "https://s3.example/b/etcd.tgz?***");
  EXPECT_EQ(RedactUrl("https://host/path"), "https://host/path");
  EXPECT_EQ(RedactUrl("host:2379"), "host:2379");
  EXPECT_EQ(RedactUrl("alice:s3cr3t@10.0.0.1:2379"), "***@10.0.0.1:2379");
  EXPECT_EQ(RedactUrl("/a/b@c"), "/a/b@c");
  EXPECT_EQ(RedactUrl("http://token@h"), "http://***@h");
}

TEST(StringsTest, IsSha256Hex) {
  EXPECT_TRUE(IsSha256Hex(std::string(64, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a')));
}

}  // namespace
}  // namespace bp
