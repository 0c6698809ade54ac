#include "dependency/retry.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using std::chrono::milliseconds;

Error Transient() { return MakeError(ErrorKind::kUnavailable, "HTTP 503"); }

TEST(RetryTest, RetriesTransientErrorsWithDoublingBackoff) {
  std::vector<milliseconds> slept;
  RetryPolicy policy;
  policy.sleep = [&](milliseconds d) { slept.push_back(d); };
  testing::RecordingLogger log;
  int calls = 0;
  Status s = WithRetries(policy, log,
                         [&](int) -> Status { return ++calls < 3 ? Status(Transient()) : Ok(); });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(slept, (std::vector<milliseconds>{milliseconds(500), milliseconds(1000)}));
  EXPECT_TRUE(log.Contains("retrying in 500 ms (attempt 2 of 3)"));
}

TEST(RetryTest, GivesUpAfterMaxAttempts) {
  RetryPolicy policy;
  policy.sleep = [](milliseconds) {};
  testing::RecordingLogger log;
  int calls = 0;
  Status s = WithRetries(policy, log, [&](int) -> Status {
    ++calls;
    return Transient();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(calls, 3);
}

TEST(RetryTest, NeverRetriesPermanentErrors) {
  RetryPolicy policy;
  policy.sleep = [](milliseconds) { FAIL() << "must not sleep"; };
  testing::RecordingLogger log;
  for (ErrorKind kind :
       {ErrorKind::kNetwork, ErrorKind::kChecksum, ErrorKind::kInvalidInput, ErrorKind::kIo}) {
    int calls = 0;
    Status s = WithRetries(policy, log, [&](int) -> Status {
      ++calls;
      return MakeError(kind, "no");
    });
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(calls, 1);
  }
}

// Returns the waits between `attempts` transient failures when the source asks for `requested`.
std::vector<milliseconds> WaitsBetween(int attempts, milliseconds requested) {
  std::vector<milliseconds> slept;
  RetryPolicy policy;
  policy.max_attempts = attempts;
  policy.sleep = [&](milliseconds d) { slept.push_back(d); };
  testing::RecordingLogger log;
  Status s = WithRetries(
      policy, log, [](int) -> Status { return Transient(); }, [=] { return requested; });
  EXPECT_FALSE(s.ok());
  return slept;
}

TEST(RetryTest, HonoursTheRequestedWait) {
  EXPECT_EQ(WaitsBetween(2, milliseconds(2000)), std::vector<milliseconds>{milliseconds(2000)});
}

TEST(RetryTest, CapsTheRequestedWait) {
  EXPECT_EQ(WaitsBetween(2, milliseconds(600000)), std::vector<milliseconds>{milliseconds(30000)});
}

TEST(RetryTest, BacksOffWhenNoWaitWasRequested) {
  EXPECT_EQ(WaitsBetween(4, milliseconds(0)),
            (std::vector<milliseconds>{milliseconds(500), milliseconds(1000), milliseconds(2000)}));
}

TEST(RetryTest, SleepsForWhatTheSourceRequested) {
  std::vector<milliseconds> slept;
  RetryPolicy policy;
  policy.sleep = [&](milliseconds d) { slept.push_back(d); };
  testing::RecordingLogger log;
  int calls = 0;
  Status s = WithRetries(
      policy, log, [&](int) -> Status { return ++calls < 2 ? Status(Transient()) : Ok(); },
      [] { return milliseconds(1500); });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(slept, (std::vector<milliseconds>{milliseconds(1500)}));
}

}  // namespace
}  // namespace bp
