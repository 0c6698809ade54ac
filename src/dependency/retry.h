// Retrying transient download failures: at most `max_attempts`, waiting `first_backoff` and
// doubling, or what the server's Retry-After asks (capped). Only kUnavailable is retried: a
// 404 or a checksum mismatch will not get better by asking again.
#pragma once

#include <chrono>
#include <functional>

#include "base/log.h"
#include "base/result.h"

namespace bp {

struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_wait{30000};
  std::function<void(std::chrono::milliseconds)> sleep;  // a seam: tests record instead of sleeping
};

// How long the source asked us to wait after the last failure (Fetcher::RequestedWait); zero =
// unsaid.
using RequestedWait = std::function<std::chrono::milliseconds()>;

// Runs `attempt(n)` for n = 1, 2, … until it succeeds, fails for good, or attempts run out.
// Before attempt n + 1 it waits what the source asked for (`requested_wait`, capped at
// `max_wait`), else the doubling backoff. Each retry is announced on `log` as a warning.
// `requested_wait` may be empty.
Status WithRetries(const RetryPolicy& policy, Logger& log,
                   const std::function<Status(int attempt)>& attempt,
                   const RequestedWait& requested_wait = {});

}  // namespace bp
