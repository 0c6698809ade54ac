#include "launch/restart_backoff.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

using std::chrono::milliseconds;

TEST(RestartBackoffTest, DoublesFromHalfASecondToThirtySeconds) {
  RestartBackoff backoff;
  const std::vector<long> expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(backoff.NextDelay(milliseconds(100)).count(), expected[i]) << "restart " << i + 1;
  }
}

TEST(RestartBackoffTest, SixtySecondsUpResetsTheSchedule) {
  RestartBackoff backoff;
  for (int i = 0; i < 5; ++i) (void)backoff.NextDelay(milliseconds(10));
  EXPECT_EQ(backoff.NextDelay(milliseconds(59999)).count(), 16000)
      << "just under a minute is not enough";
  EXPECT_EQ(backoff.NextDelay(milliseconds(60000)).count(), 500);
  EXPECT_EQ(backoff.NextDelay(milliseconds(10)).count(), 1000);
}

}  // namespace
}  // namespace bp
