#include "base/clock.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(FormatDurationTest, WholeSecondsHaveNoDecimalPoint) {
  EXPECT_EQ(FormatDuration(seconds(0)), "0 s");
  EXPECT_EQ(FormatDuration(seconds(1)), "1 s");
  EXPECT_EQ(FormatDuration(milliseconds(30000)), "30 s");
  EXPECT_EQ(FormatDuration(seconds(86400)), "86400 s") << "never minutes";
}

TEST(FormatDurationTest, MillisecondsBelowOneSecond) {
  EXPECT_EQ(FormatDuration(milliseconds(1)), "1 ms");
  EXPECT_EQ(FormatDuration(milliseconds(500)), "500 ms");
  EXPECT_EQ(FormatDuration(milliseconds(999)), "999 ms");
  EXPECT_EQ(FormatDuration(std::chrono::microseconds(812900)), "812 ms") << "whole milliseconds";
}

TEST(FormatDurationTest, OtherwiseTenthsOfASecondRounded) {
  EXPECT_EQ(FormatDuration(milliseconds(1001)), "1.0 s");
  EXPECT_EQ(FormatDuration(milliseconds(1449)), "1.4 s");
  EXPECT_EQ(FormatDuration(milliseconds(1450)), "1.5 s");
  EXPECT_EQ(FormatDuration(milliseconds(12345)), "12.3 s");
  EXPECT_EQ(FormatDuration(milliseconds(74960)), "75.0 s") << "rounded, so not whole";
}

}  // namespace
}  // namespace bp
