#include "base/version_partial.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

TEST(PartialVersionTest, CountsTheNumbersGivenBeforeAnyWildcard) {
  const struct {
    const char* text;
    int given;
    const char* floor;
    const char* ceiling;
  } cases[] = {
      {"3", 1, "3.0.0", "4.0.0"},
      {"3.*", 1, "3.0.0", "4.0.0"},
      {"3.6", 2, "3.6.0", "3.7.0"},
      {"V3.6.x", 2, "3.6.0", "3.7.0"},
      {"3.6.14", 3, "3.6.14", "3.6.15"},
      {"v3.6.14+build.5", 3, "3.6.14", "3.6.15"},
      {"*", 0, "0.0.0", "0.0.1"},
      {"x.X.*", 0, "0.0.0", "0.0.1"},
      {"3.6.14-rc.1", 3, "3.6.14-rc.1", "3.6.15"},
  };
  for (const auto& c : cases) {
    const std::optional<PartialVersion> partial = ParsePartialVersion(c.text);
    ASSERT_TRUE(partial.has_value()) << c.text;
    EXPECT_EQ(partial->given, c.given) << c.text;
    EXPECT_EQ(partial->Floor().ToString(), c.floor) << c.text;
    EXPECT_EQ(partial->Ceiling().ToString(), c.ceiling) << c.text;
  }
}

TEST(PartialVersionTest, RejectsWhatNamesNoVersionOrSeries) {
  for (const char* text : {"", "v", "3.", ".3", "3..6", "3.*.1", "1.2.3.4", "03", "3.6-rc.1",
                           "3.6.14-", "3.6.14-a..b", "3.6.14+", "3.6.14+b_1", "1234567890", "3a"}) {
    EXPECT_FALSE(ParsePartialVersion(text).has_value()) << text;
  }
}

TEST(PartialVersionTest, NumbersAreSemverNumericIdentifiers) {
  EXPECT_EQ(ParseVersionNumber("0"), 0u);
  EXPECT_EQ(ParseVersionNumber("999999999"), 999999999u);
  EXPECT_FALSE(ParseVersionNumber("1000000000").has_value());  // more than 9 digits
  EXPECT_FALSE(ParseVersionNumber("07").has_value());
  EXPECT_FALSE(ParseVersionNumber("").has_value());
  EXPECT_FALSE(ParseVersionNumber("rc1").has_value());
}

}  // namespace
}  // namespace bp
