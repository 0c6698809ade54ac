// The effects a build or supply phase uses, bundled so entry points wire them once and tests
// pass fakes: the network, the log, the clock and the retry policy (whose sleep is a seam too).
#pragma once

#include "base/clock.h"
#include "base/log.h"
#include "dependency/fetcher.h"
#include "dependency/retry.h"

namespace bp {

struct Services {
  Fetcher& fetcher;
  Logger& log;
  Clock now;
  WallClock today;  // for deprecation dates
  RetryPolicy retry;
};

}  // namespace bp
