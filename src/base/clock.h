// The clocks a phase reads, as seams: entry points pass the real ones, tests pass fixed ones.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace bp {

using Clock = std::function<std::chrono::steady_clock::time_point()>;      // elapsed time
using WallClock = std::function<std::chrono::system_clock::time_point()>;  // dates (deprecation)

// Returns "812 ms" or "1.4 s".
std::string FormatDuration(std::chrono::steady_clock::duration elapsed);

}  // namespace bp
