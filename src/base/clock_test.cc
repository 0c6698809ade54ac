#include "base/clock.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

using std::chrono::milliseconds;

TEST(FormatDurationTest, MillisecondsBelowOneSecond) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0 ms");
  EXPECT_EQ(FormatDuration(milliseconds(812)), "812 ms");
  EXPECT_EQ(FormatDuration(milliseconds(999)), "999 ms");
}

TEST(FormatDurationTest, TenthsOfASecondFromOneSecond) {
  EXPECT_EQ(FormatDuration(milliseconds(1000)), "1.0 s");
  EXPECT_EQ(FormatDuration(milliseconds(1449)), "1.4 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(75)), "75.0 s");
}

}  // namespace
}  // namespace bp
