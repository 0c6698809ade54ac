// The supervisor's restart schedule: a proxy that exits is restarted after 0.5 s,
// then 1 s, 2 s … up to 30 s while it keeps failing; a proxy that stayed up for 60 s earns a
// fresh start at 0.5 s. Pure: the caller measures the uptime.
#pragma once

#include <chrono>

namespace bp {

class RestartBackoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{500};
  static constexpr std::chrono::milliseconds kMax{30000};
  static constexpr std::chrono::milliseconds kResetAfter{60000};

  // Returns how long to wait before restarting a proxy that exited after running for `uptime`.
  std::chrono::milliseconds NextDelay(std::chrono::milliseconds uptime);

 private:
  std::chrono::milliseconds next_ = kFirst;
};

}  // namespace bp
