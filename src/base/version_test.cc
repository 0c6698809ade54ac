#include "base/version.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

struct Case {
  const char* constraint;
  const char* version;
  bool matches;
};

class ConstraintTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConstraintTest, Matches) {
  const Case& c = GetParam();
  Result<VersionConstraint> constraint = VersionConstraint::Parse(c.constraint);
  ASSERT_TRUE(constraint.ok()) << c.constraint << ": " << constraint.error().message;
  const std::optional<Version> version = ParseVersion(c.version);
  ASSERT_TRUE(version.has_value()) << c.version;
  EXPECT_EQ(constraint.value().Matches(*version), c.matches) << c.constraint << " vs " << c.version;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ConstraintTest,
    ::testing::Values(
        Case{"3.6.14", "3.6.14", true}, Case{"3.6.14", "3.6.13", false},
        Case{"=3.6.14", "3.6.14", true}, Case{"v3.6.14", "3.6.14", true},
        Case{"3.6.*", "3.6.0", true}, Case{"3.6.*", "3.6.99", true}, Case{"3.6.*", "3.7.0", false},
        Case{"3.6.x", "3.6.2", true}, Case{"3.6", "3.6.2", true}, Case{"3.6", "3.5.9", false},
        Case{"3.*", "3.0.0", true}, Case{"3.*", "3.99.1", true}, Case{"3.*", "4.0.0", false},
        Case{"3", "3.5.1", true}, Case{"*", "0.0.1", true}, Case{"latest", "9.9.9", true},
        Case{"x", "1.2.3", true}, Case{"~3.5", "3.5.0", true}, Case{"~3.5", "3.5.33", true},
        Case{"~3.5", "3.6.0", false}, Case{"~3.5.2", "3.5.1", false}, Case{"~3.5.2", "3.5.2", true},
        Case{"~3", "3.9.0", true}, Case{"~> 3.5", "3.9.0", true}, Case{"~> 3.5", "4.0.0", false},
        Case{"~> 3.5.2", "3.6.0", false}, Case{"^3.5.0", "3.5.0", true},
        Case{"^3.5.0", "3.9.9", true}, Case{"^3.5.0", "4.0.0", false},
        Case{"^3.5.0", "3.4.9", false}, Case{"^0.3.1", "0.3.9", true},
        Case{"^0.3.1", "0.4.0", false}, Case{"^0.0.3", "0.0.4", false},
        Case{">=3.5,<3.7", "3.5.0", true}, Case{">=3.5,<3.7", "3.6.14", true},
        Case{">=3.5,<3.7", "3.7.0", false}, Case{">=3.5,<3.7", "3.4.23", false},
        Case{">= 3.5, < 3.7", "3.6.1", true}, Case{">=3.5 <3.7", "3.6.1", true},
        Case{">3.5", "3.5.99", false}, Case{">3.5", "3.6.0", true}, Case{">3.5.1", "3.5.2", true},
        Case{"<=3.5", "3.5.99", true}, Case{"<=3.5", "3.6.0", false},
        Case{"<3.6.14", "3.6.13", true}, Case{"!=3.6.13", "3.6.13", false},
        Case{"!=3.6.13", "3.6.14", true}, Case{"3.4.* || 3.6.*", "3.4.23", true},
        Case{"3.4.* || 3.6.*", "3.5.0", false}, Case{"3.5 - 3.6", "3.6.14", true},
        Case{"3.5 - 3.6", "3.7.0", false}, Case{"3.5.1 - 3.5.3", "3.5.3", true},
        Case{"3.6.*", "3.6.15-rc.0", false}, Case{"3.6.15-rc.0", "3.6.15-rc.0", true},
        Case{">=3.6.15-rc.0", "3.6.15-rc.1", true}, Case{">=3.6.15-rc.0", "3.6.16-rc.1", false}));

TEST(ConstraintTest, RejectsWhatIsNotAConstraint) {
  for (const char* text : {"abc", "3.6.*.1", "3..6", ">", ">=", "3.*.1", "03.6", "1.2.3.4", "||",
                           "3.6,,,x.y", "!=3.6", "~>", "3.6.14-", "3.6.14-a..b"}) {
    Result<VersionConstraint> parsed = VersionConstraint::Parse(text);
    ASSERT_FALSE(parsed.ok()) << "<< " << text;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidInput);
    EXPECT_THAT(parsed.error().message, HasSubstr(text));
    EXPECT_FALSE(parsed.error().hint.empty());
  }
}

TEST(ConstraintTest, SaysWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "\"\": empty alternative"},
      {"3.6 || ", "\"3.6 ||\": empty alternative"},
      {">=3.5, <abc", "\">=3.5, <abc\": \"<abc\" is not a version"},
      {"~>", "\"~>\": \"~>\" is not a version"},
      {"3.5 - 3.x.1", "\"3.5 - 3.x.1\": bad upper bound in hyphen range"},
      {"!=3.6", "\"!=3.6\": != needs a full version"},
      {">3.5 <= *", "\">3.5 <= *\": <= needs a version"},
  };
  for (const auto& [text, message] : cases) {
    Result<VersionConstraint> parsed = VersionConstraint::Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().message, std::string("invalid version constraint ") + message);
  }
}

TEST(VersionTest, ParsesAndOrdersBySemverPrecedence) {
  const std::vector<std::string> ordered = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                            "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                            "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                                            "1.1.0",       "2.0.0",         "10.0.0"};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(CompareVersions(*ParseVersion(ordered[i]), *ParseVersion(ordered[i + 1])), 0)
        << ordered[i] << " < " << ordered[i + 1];
  }
  EXPECT_EQ(CompareVersions(*ParseVersion("1.2.3+build.5"), *ParseVersion("1.2.3")), 0);
  EXPECT_EQ(ParseVersion("3.6.14")->ToString(), "3.6.14");
  EXPECT_FALSE(ParseVersion("3.6").has_value());
  EXPECT_FALSE(ParseVersion("").has_value());
  EXPECT_FALSE(ParseVersion("3.6.14x").has_value());
  EXPECT_FALSE(ParseVersion("99999999999.0.0").has_value());
}

}  // namespace
}  // namespace bp
