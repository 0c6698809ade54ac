// The effects a build or supply phase uses, bundled so entry points wire them once and tests
// pass fakes: the network, the log, the clock and the retry policy (whose sleep is a seam too).
#pragma once

#include <chrono>
#include <functional>

#include "base/log.h"
#include "dependency/fetcher.h"
#include "dependency/retry.h"

namespace bp {

using Clock = std::function<std::chrono::steady_clock::time_point()>;
using WallClock = std::function<std::chrono::system_clock::time_point()>;

struct Services {
  Fetcher& fetcher;
  Logger& log;
  Clock now;
  WallClock today;  // for deprecation dates
  RetryPolicy retry;
};

// Returns "812 ms" or "1.4 s".
std::string FormatDuration(std::chrono::steady_clock::duration elapsed);

}  // namespace bp
