#include "launch/restart_backoff.h"

#include <algorithm>

namespace bp {

std::chrono::milliseconds RestartBackoff::NextDelay(std::chrono::milliseconds uptime) {
  if (uptime >= kResetAfter) next_ = kFirst;
  const std::chrono::milliseconds delay = next_;
  next_ = std::min(next_ * 2, kMax);
  return delay;
}

}  // namespace bp
