// The clocks a phase reads, as seams: entry points pass the real ones, tests pass fixed ones.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace bp {

using Clock = std::function<std::chrono::steady_clock::time_point()>;      // elapsed time
using WallClock = std::function<std::chrono::system_clock::time_point()>;  // dates (deprecation)

// Returns how every message of the buildpack and its helper words a duration: whole seconds
// without a decimal point ("30 s", "0 s"), less than a second in milliseconds ("812 ms"), else
// seconds rounded to tenths ("1.4 s", "75.0 s" for 74 960 ms). Never minutes: "86400 s".
std::string FormatDuration(std::chrono::steady_clock::duration duration);

}  // namespace bp
