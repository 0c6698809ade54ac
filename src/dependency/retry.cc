#include "dependency/retry.h"

#include <algorithm>
#include <string>

#include "base/clock.h"

namespace bp {

namespace {

// Returns how long to wait before attempt `next_attempt` (2, 3, …): what the source asked for
// (`requested`, capped), else the doubling backoff.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, std::chrono::milliseconds requested,
                                     int next_attempt) {
  if (requested.count() > 0) return std::min(requested, policy.max_wait);
  std::chrono::milliseconds delay = policy.first_backoff;
  for (int i = 2; i < next_attempt; ++i) delay *= 2;
  return std::min(delay, policy.max_wait);
}

}  // namespace

Status WithRetries(const RetryPolicy& policy, Logger& log,
                   const std::function<Status(int attempt)>& attempt,
                   const RequestedWait& requested_wait) {
  for (int n = 1;; ++n) {
    Status status = attempt(n);
    if (status.ok() || status.error().kind != ErrorKind::kUnavailable || n >= policy.max_attempts)
      return status;
    const std::chrono::milliseconds requested =
        requested_wait ? requested_wait() : std::chrono::milliseconds(0);
    const std::chrono::milliseconds delay = RetryDelay(policy, requested, n + 1);
    log.Warning(status.error().message + "; retrying in " + FormatDuration(delay) + " (attempt " +
                std::to_string(n + 1) + " of " + std::to_string(policy.max_attempts) + ")");
    if (policy.sleep) policy.sleep(delay);
  }
}

}  // namespace bp
